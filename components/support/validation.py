"""Checking a component's arguments before anything is registered, every problem at once.

Modules that define Args TypedDicts must not use `from __future__ import annotations`: with it,
`NotRequired[...]` stays a string, TypedDict counts every key as required, and Pulumi's
component analyzer cannot read the types.

Types come from the Args TypedDict: plain values are validated with pydantic against it, with
`pulumi.Input[T]` read as "T, or an Output that will be checked by the provider". A float with no
fraction is an `int` where the type says int: numbers cross Pulumi's wire as JSON numbers (a
protobuf Struct holds only doubles), so a YAML or TypeScript program's 14 reaches a component
hosted by the provider as 14.0; it is replaced by the int in the args themselves, so the checks
and resources after see an int. Domain rules
(ranges, names, combinations) are added by the component through `Problems`. Every problem
names the argument, the value received and the fix; they are raised together, once.
"""

from __future__ import annotations

import collections.abc
import functools
import re
import types
import typing
from collections.abc import Awaitable, Iterator
from typing import Annotated, Any, NotRequired, Required, TypeVar

import pulumi
import pydantic
from typing_extensions import (
    TypedDict,  # pydantic needs it for TypedDicts before 3.12
    TypeIs,
)

T = TypeVar("T")


class ArgumentsError(ValueError):
    """A component was given arguments it cannot build safely. The message lists every problem."""


class Problems:
    """Collects what is wrong with a component's arguments, then raises once."""

    def __init__(self, component: str, name: str) -> None:
        self.component = component
        self.name = name
        self.found: list[str] = []

    def add(self, argument: str, value: Any, problem: str, fix: str) -> None:
        self.found.append(f"`{argument}` is {_show(value)}: {problem}; {fix}")

    def add_message(self, message: str) -> None:
        """A problem already phrased in full (what, where, fix)."""
        self.found.append(message)

    def require(self, condition: bool, argument: str, value: Any, problem: str, fix: str) -> None:
        if not condition:
            self.add(argument, value, problem, fix)

    def raise_if_any(self) -> None:
        if not self.found:
            return
        listed = " ".join(f"({i}) {p}." for i, p in enumerate(self.found, 1))
        raise ArgumentsError(
            f"{self.component} {self.name!r}: {len(self.found)} problem(s) with its arguments: {listed}"
        )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def is_output(value: Any) -> bool:
    return isinstance(value, pulumi.Output | Awaitable)


def plain(value: pulumi.Input[T]) -> TypeIs[T]:
    """A value known now (not an Output): the only kind the component can check itself."""
    return not is_output(value)


def check_types(args_type: type, args: Any, problems: Problems) -> dict[str, Any]:
    """Validate plain values of `args` against the TypedDict; Outputs pass through unchecked."""
    if not isinstance(args, dict):
        problems.add(
            "args", args, f"must be a {args_type.__name__} (a dict)", "pass a dict of arguments"
        )
        return {}
    try:
        validated = _adapter(args_type).validate_python(args, strict=True)
    except pydantic.ValidationError as error:
        reported: set[str] = set()
        for detail in error.errors():
            if detail["type"] == "is_instance_of":
                continue  # the "or an Output" branch of an Input: the other branch says more
            path = ".".join(str(p) for p in detail["loc"] if not _is_branch_tag(p))
            if path in reported:
                continue
            reported.add(path)
            if detail["type"] == "missing":
                problems.add_message(f"`{path}` is missing: it is required; pass it")
                continue
            problems.add(
                path or "args",
                detail.get("input"),
                detail["msg"].lower(),
                f"see {args_type.__name__} for its type",
            )
    else:
        _integers_in_place(args, validated)
    return args


def _integral(value: Any) -> Any:
    return int(value) if type(value) is float and value.is_integer() else value


# `int` as pydantic checks it: an integral float is taken (and returned) as the int it stands for.
_INTEGER = Annotated[int, pydantic.BeforeValidator(_integral)]


def _integers_in_place(given: Any, validated: Any) -> None:
    """Replace each integral float pydantic read as an int, in the caller's own dicts and lists."""
    if isinstance(given, dict) and isinstance(validated, dict):
        pairs = [(key, given[key], validated[key]) for key in given if key in validated]
    elif isinstance(given, list) and isinstance(validated, list) and len(given) == len(validated):
        pairs = [(index, old, validated[index]) for index, old in enumerate(given)]
    else:
        return
    for key, old, new in pairs:
        if type(old) is float and type(new) is int:
            given[key] = new
        else:
            _integers_in_place(old, new)


_BRANCH_TAG = re.compile(
    r"^(is-instance\[.*|str|int|float|bool|list\[.*|dict\[.*|union\[.*|function-.*)$"
)


def _is_branch_tag(part: Any) -> bool:
    """pydantic names union branches in error locations; they are not argument names."""
    return isinstance(part, str) and bool(_BRANCH_TAG.match(part))


@functools.cache
def _adapter(args_type: type) -> pydantic.TypeAdapter:
    return pydantic.TypeAdapter(_checkable(args_type))


def _output_or(annotation: Any) -> Any:
    """`Input[T]` -> `T | Output` for pydantic: Outputs are accepted as they are."""
    return typing.Union[pydantic.InstanceOf[pulumi.Output], _checkable(annotation)]  # noqa: UP007  # built from values, which `|` cannot join


# `pulumi.Input[T]` carries its Output member as the forward reference "Output[T]"; these names
# let typing resolve it in whatever module an Args TypedDict lives.
_INPUT_FORWARD_REFS = {"Output": pulumi.Output, "T": Any}


@functools.cache
def _checkable(annotation: Any) -> Any:
    """The annotation pydantic can check: Input unwrapped, nested TypedDicts rebuilt the same way."""
    if typing.is_typeddict(annotation):
        hints = typing.get_type_hints(annotation, localns=_INPUT_FORWARD_REFS)
        fields = {}
        for key, hint in hints.items():
            required = key in annotation.__required_keys__
            fields[key] = Required[_checkable(hint)] if required else NotRequired[_checkable(hint)]
        checkable = TypedDict(annotation.__name__, fields)  # type: ignore[misc]  # fields known at run time
        checkable.__pydantic_config__ = pydantic.ConfigDict(extra="forbid")  # type: ignore[attr-defined]  # pydantic reads it off any TypedDict
        return checkable
    origin = typing.get_origin(annotation)
    if origin in (Required, NotRequired):
        return _checkable(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = list(typing.get_args(annotation))
        if any(_is_awaitable_or_output(m) for m in members):
            concrete = [m for m in members if not _is_awaitable_or_output(m)]
            return _output_or(concrete[0] if len(concrete) == 1 else typing.Union[tuple(concrete)])  # noqa: UP007  # a tuple of types has no `|` form
        return typing.Union[tuple(_checkable(m) for m in members)]  # noqa: UP007  # see above
    # types.GenericAlias is `list[X]` built from a value, which a type checker cannot read.
    if origin in (list, typing.List):  # noqa: UP006  # annotations written either way
        return types.GenericAlias(list, (_checkable(typing.get_args(annotation)[0]),))
    if origin in (dict, typing.Dict):  # noqa: UP006  # annotations written either way
        key, value = typing.get_args(annotation)
        return types.GenericAlias(dict, (key, _checkable(value)))
    if isinstance(annotation, type) and issubclass(annotation, pulumi.Resource):
        return pydantic.InstanceOf[annotation]  # type: ignore[misc]  # a class known at run time
    if annotation is int:
        return _INTEGER
    return annotation


def _is_awaitable_or_output(member: Any) -> bool:
    """The `Awaitable[T]` and `Output[T]` members of `pulumi.Input[T]`."""
    origin = typing.get_origin(member) or member
    return origin is pulumi.Output or origin is collections.abc.Awaitable


def each(values: Any) -> Iterator[Any]:
    """The plain items of a list argument (an Output list is checked by the provider)."""
    if isinstance(values, list | tuple):
        yield from (v for v in values if plain(v))


def settle(args: Any, key: str, problems: Problems, why: str) -> None:
    """Replace `args[key]`, an Output whose value has arrived, with that value, in place.

    A component needs some values themselves, not a promise of them: one alarm per variant name.
    Hosted by the component provider, a value another resource produced (ModelEndpoint's
    variantNames in a YAML program) arrives as an Output whose value the engine already sent, held
    in a finished future (pulumi/runtime/rpc.py `deserialize_output_value` and
    pulumi/provider/server.py `_select_value`, pulumi 3.272); that value is used, and the
    dependency it carried stays on the Outputs the component reads beside it (the endpoint name).
    A value still unknown or secret is a problem: `why` says what it is needed for.
    """
    if not isinstance(args, dict) or not isinstance(args.get(key), pulumi.Output):
        return
    data = args[key]._data
    arrived = data.done() and not data.cancelled() and data.exception() is None
    if arrived and data.result().is_known and not data.result().is_secret:
        value = data.result().value
        if not pulumi.runtime.rpc.contains_unknowns(value):
            args[key] = value
            return
    problems.add(
        key,
        args[key],
        f"its value is not known when the component is created, and {why}",
        "pass the values themselves, or the output of a resource that knows them in a preview "
        "(a ModelEndpoint's variant_names)",
    )
