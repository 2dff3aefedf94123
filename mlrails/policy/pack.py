"""Loading a Python policy pack in-process, without starting its gRPC server.

A pack's `__main__.py` ends by constructing `PolicyPack(...)`, which serves gRPC forever. We
run that file as the engine does, but with `pulumi_policy.PolicyPack` standing in for a class
that only records its arguments, so any Python pack — ours or a third party's — loads
unchanged and nothing listens on a port.
"""

from __future__ import annotations

import contextlib
import functools
import re
import runpy
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi_policy
from pulumi_policy import EnforcementLevel, Policy
from pulumi_policy import policy as policy_module

from mlrails.containment import PASSED_THROUGH, describe_exit, exits_trapped
from mlrails.errors import UserError
from mlrails.project import read_yaml_mapping, require_python_runtime

_PACK_NAME = re.compile(r"^[a-zA-Z0-9-_.]{1,100}$")
# What the SDK reports when PulumiPolicy.yaml has no version.
_DEFAULT_VERSION = "0.0.1"


@dataclass(frozen=True)
class LoadedPack:
    name: str
    version: str
    directory: Path
    policies: tuple[Policy, ...]
    enforcement_level: EnforcementLevel
    initial_config: dict[str, Any]


class _RecordedPack(Exception):
    """Carries the recorded PolicyPack arguments out of the pack's program."""

    def __init__(self, arguments: dict[str, Any]) -> None:
        super().__init__("policy pack recorded")
        self.arguments = arguments


def _recording_policy_pack(
    name: str,
    policies: list[Policy],
    enforcement_level: EnforcementLevel | None = None,
    initial_config: dict[str, Any] | None = None,
    **_metadata: Any,
) -> None:
    # Raising stops the pack's program where the real class would start serving.
    raise _RecordedPack(
        {
            "name": name,
            "policies": policies,
            "enforcement_level": enforcement_level,
            "initial_config": initial_config,
        }
    )


@functools.cache
def load_pack(directory: Path) -> LoadedPack:
    """Run the pack's `__main__.py` and return its policies. Cached per directory."""
    directory = directory.resolve()
    manifest = directory / "PulumiPolicy.yaml"
    if not manifest.is_file():
        raise UserError(
            f"{directory}: not a policy pack: there is no PulumiPolicy.yaml. Pass the directory "
            "of a Pulumi policy pack with --policy-pack, or --no-policy to skip policies."
        )
    version = _manifest_version(manifest)
    if not (directory / "__main__.py").is_file():
        raise UserError(
            f"{directory}: the policy pack has no __main__.py; a Python pack builds its "
            "PolicyPack there."
        )
    arguments = _run_pack_program(directory)
    return _validated(directory, version, arguments)


def _manifest_version(manifest: Path) -> str:
    data = read_yaml_mapping(manifest, "the policy pack manifest")
    require_python_runtime(manifest, data.get("runtime"), "loads Python policy packs")
    return str(data.get("version") or _DEFAULT_VERSION)


def _run_pack_program(directory: Path) -> dict[str, Any]:
    saved_path = list(sys.path)
    with _policy_pack_recorder(), exits_trapped():
        try:
            runpy.run_path(str(directory), run_name="__main__")
        except _RecordedPack as recorded:
            return recorded.arguments
        except PASSED_THROUGH:
            raise
        except BaseException as err:  # sys.exit and os._exit too: loading must not end mlrails
            what = f"{type(err).__name__}: {err}" if isinstance(err, Exception) else ""
            raise UserError(
                f"{directory}: the policy pack failed to load: {what or 'it ' + describe_exit(err)}. "
                "Fix the pack (run with --debug for the traceback)."
            ) from err
        finally:
            sys.path[:] = saved_path
    raise UserError(
        f"{directory}/__main__.py: ran without constructing a PolicyPack; a pack's __main__.py "
        'must end with `PolicyPack(name=..., policies=[...])` under `if __name__ == "__main__"`.'
    )


@contextlib.contextmanager
def _policy_pack_recorder():
    original = pulumi_policy.PolicyPack
    pulumi_policy.PolicyPack = _recording_policy_pack
    policy_module.PolicyPack = _recording_policy_pack
    try:
        yield
    finally:
        pulumi_policy.PolicyPack = original
        policy_module.PolicyPack = original


def _validated(directory: Path, version: str, arguments: dict[str, Any]) -> LoadedPack:
    """The checks PolicyPack.__init__ makes, reported as user errors."""
    name = arguments["name"]
    if not isinstance(name, str) or not _PACK_NAME.match(name):
        raise UserError(
            f"{directory}: policy pack name {name!r} is invalid; use letters, digits, '-', '_' "
            "or '.' (at most 100)."
        )
    policies = arguments["policies"]
    if not isinstance(policies, list | tuple) or not policies:
        raise UserError(f"{directory}: the policy pack {name!r} defines no policies.")
    names: set[str] = set()
    for policy in policies:
        if not isinstance(policy, Policy):
            raise UserError(
                f"{directory}: the policy pack {name!r} lists {policy!r}, which is not a "
                "pulumi_policy Policy."
            )
        if policy.name in names:
            raise UserError(f"{directory}: policy name {policy.name!r} is used twice.")
        names.add(policy.name)
    return LoadedPack(
        name=name,
        version=version,
        directory=directory,
        policies=tuple(policies),
        enforcement_level=arguments["enforcement_level"] or EnforcementLevel.ADVISORY,
        initial_config=dict(arguments["initial_config"] or {}),
    )


def bundled_pack_directory() -> Path | None:
    """The directory of the governance pack installed with mlrails, if it is installed."""
    try:
        import mlrails_policies
    except ImportError:
        return None
    if not getattr(mlrails_policies, "__file__", None):
        return None
    bundled = Path(mlrails_policies.__file__).parent
    return bundled if (bundled / "PulumiPolicy.yaml").is_file() else None
