"""What a preview records: every registered resource, in registration order.

Inputs are kept in the provider's wire format, exactly as the Pulumi engine hands them to a
policy pack: camelCase keys, numbers as floats, secrets wrapped in the secret signature, and
the unknown sentinels of a preview. `present()` turns that into what people and JSON readers
see: secrets as "[secret]", unknowns as "[unknown]", whole numbers as integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)

SECRET_MASK = "[secret]"
UNKNOWN_MASK = "[unknown]"
STACK_TYPE = "pulumi:pulumi:Stack"

UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_STRING_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
    }
)

MODES = ("resolved", "preview")


@dataclass(slots=True)
class ResourceRecord:
    """One RegisterResource request, as the engine received it."""

    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    inputs: dict[str, Any]
    protect: bool = False
    provider: str | None = None
    # file:// URI and line of the code that declared the resource, as the SDK reports it.
    source_uri: str | None = None
    source_line: int = 0
    # The innermost frame of that call inside the project: the user's line for a resource a
    # component makes (None when the call came from no project code, e.g. an apply callback).
    user_source_uri: str | None = None
    user_source_line: int = 0
    # Resource options, as the engine gives them to analyzers.
    ignore_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool | None = None
    # create, update, delete, in seconds (0: the provider's default).
    custom_timeouts: tuple[float, float, float] = (0.0, 0.0, 0.0)
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    # A multi-language component, built by its provider plugin's Construct.
    remote: bool = False
    # Read (`Resource.get`, StackReference), not managed by the program.
    external: bool = False

    @property
    def is_provider(self) -> bool:
        return self.type.startswith("pulumi:providers:")

    def to_json(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "custom": self.custom,
            "dependencies": list(self.dependencies),
            "inputs": present(self.inputs),
        }


@dataclass
class Plan:
    """The recorded resources of one run of a program."""

    project: str
    stack: str
    mode: str
    resources: list[ResourceRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The program's entry file, where findings without a source position point.
    program: str | None = None
    # The project directory (where Pulumi.yaml is): reports locate files relative to its repository.
    directory: str | None = None
    # Answers the engine invented for provider functions it cannot look up offline.
    synthesized_lookups: list[SynthesizedLookup] = field(default_factory=list)

    @property
    def remote_components(self) -> list[ResourceRecord]:
        return [r for r in self.resources if r.remote]


@dataclass(frozen=True)
class SynthesizedLookup:
    """A provider function (lookup) answered with invented values, and those values."""

    function: str
    arguments: dict[str, Any]
    result: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "arguments": present(self.arguments),
            "result": present(self.result),
        }

    def describe(self) -> str:
        return (
            f"{self.function} answered with invented values (offline, no cloud account): "
            + ", ".join(f"{k}={present(v)!r}" for k, v in sorted(self.result.items())[:6])
            + (", ..." if len(self.result) > 6 else "")
        )


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SPECIAL_SIG_KEY) == SPECIAL_SECRET_SIG


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


def present(value: Any) -> Any:
    """Wire format -> display form: masks secrets and unknowns, sorts keys, ints stay ints."""
    if isinstance(value, dict):
        if is_secret(value):
            return SECRET_MASK
        return {k: present(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [present(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if is_unknown(value):
        return UNKNOWN_MASK
    return value
