"""What a provider SDK declares about its resources and functions: output properties and types.

Every generated Pulumi SDK registers its resource modules with the runtime
(`pulumi.runtime.register_resource_module`, fed by each package's `_utilities.register`), which
maps a type token such as `aws:apigateway/restApi:RestApi` to its Python class. A class's output
properties are its `@pulumi.getter(name=...)` properties typed `pulumi.Output[T]`; a function's
result is the `@pulumi.output_type` class `<Function>Result` beside it. Reading those
declarations, rather than keeping a list, covers every resource of every SDK a program imports.

Pulumi's Python codegen types an output `Optional[T]` unless the package schema lists it as
required, which bridged providers do for computed attributes: in pulumi-aws 7,
`sns.Topic.kms_master_key_id` is `Output[Optional[str]]`, the computed
`ec2.Instance.private_ip` is `Output[str]` (tests/mlrails/test_declarations.py checks both).
So a non-optional output is one the provider always returns.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import typing
from typing import Any, NamedTuple

from pulumi import _types
from pulumi.runtime import rpc


class OutputProperty(NamedTuple):
    wire_name: str
    # The declared type with Output[...] and Optional[...] removed.
    type: Any
    optional: bool
    # Also an input of the resource: the provider returns what the program set.
    is_input: bool


def split_token(token: str) -> tuple[str, str, str]:
    """`aws:s3/bucket:Bucket` -> ("aws", "s3/bucket", "Bucket")."""
    pkg, _, rest = token.partition(":")
    module, _, kind = rest.rpartition(":")
    return pkg, module, kind


@functools.cache
def resource_class(token: str) -> type | None:
    """The SDK class registered for a resource type token, if its package is imported."""
    pkg, module, _ = split_token(token)
    for registered in rpc._RESOURCE_MODULES.get(f"{pkg}:{module}", []):
        info = getattr(registered, "mod_info", None)
        if not info or token not in info.get("classes", {}):
            continue
        try:
            return getattr(importlib.import_module(info["fqn"]), info["classes"][token])
        except (ImportError, AttributeError):
            return None
    return None


@functools.cache
def package_module(pkg: str) -> str | None:
    """The Python package of a Pulumi package name (`aws` -> `pulumi_aws`)."""
    for registered in rpc._RESOURCE_PACKAGES.get(pkg, []):
        info = getattr(registered, "pkg_info", None)
        if info and info.get("fqn"):
            return info["fqn"]
    return None


@functools.cache
def function_result_class(token: str) -> type | None:
    """The `<Function>Result` output type of a provider function (`aws:ec2/getAmi:getAmi`)."""
    pkg, module, kind = split_token(token)
    root = package_module(pkg)
    if root is None or not kind:
        return None
    top = module.split("/")[0]
    name = kind[:1].upper() + kind[1:] + "Result"
    for candidate in (root if top == "index" else f"{root}.{top.replace('-', '_')}", root):
        try:
            found = getattr(importlib.import_module(candidate), name, None)
        except ImportError:
            continue
        if isinstance(found, type) and _types.is_output_type(found):
            return found
    return None


def _strip(hint: Any) -> tuple[Any, bool]:
    """Output[Optional[T]] -> (T, True); Output[T] -> (T, False)."""
    import pulumi

    if typing.get_origin(hint) is pulumi.Output:
        hint = typing.get_args(hint)[0]
    optional = _types._is_optional_type(hint)
    return _types.unwrap_optional_type(hint), optional


@functools.cache
def resource_outputs(cls: type) -> tuple[OutputProperty, ...]:
    """The output properties a resource class declares (cached: computed once per class)."""
    init = getattr(cls, "_internal_init", None)
    inputs = set(inspect.signature(init).parameters) if init is not None else set()
    hints = _types._raw_return_hints(cls)
    python_names = {wire: py for py, wire, _ in _types._py_properties(cls)}
    properties = []
    for wire_name, hint in hints.items():
        if wire_name in ("id", "urn"):
            continue
        declared, optional = _strip(hint)
        properties.append(
            OutputProperty(wire_name, declared, optional, python_names.get(wire_name) in inputs)
        )
    return tuple(properties)


@functools.cache
def output_type_fields(cls: type) -> tuple[OutputProperty, ...]:
    """The properties of an `@pulumi.output_type` class (nested outputs, function results)."""
    return tuple(
        OutputProperty(wire_name, *_strip(hint), False)
        for wire_name, hint in _types._raw_return_hints(cls).items()
    )
