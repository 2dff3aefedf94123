"""IAM policy documents as statements the evaluator matches requests against.

The grammar is IAM's (https://docs.aws.amazon.com/IAM/latest/UserGuide/
reference_policies_grammar.html): Action/NotAction, Resource/NotResource,
Principal/NotPrincipal, each a string or a list, and a Condition block of
`{operator: {key: value or [values]}}`. A document or element that is unknown in a preview is
kept as UNKNOWN, so evaluation can say "unknown" instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlrails_policies.framework.wire import UNKNOWN, json_document, strings


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[Any, ...]
    not_actions: tuple[Any, ...] | None
    resources: tuple[Any, ...] | None
    not_resources: tuple[Any, ...] | None
    principals: Any
    """`{"AWS": (...), "Service": (...)}`, `"*"`, UNKNOWN, or None in an identity policy."""
    not_principals: Any
    conditions: Any
    """`((operator, key, (values...)), ...)`, or UNKNOWN."""
    sid: str | None
    source: str
    """Which document holds it, for messages: "the role policy orders-role-policy"."""
    origin: tuple[str, str, int] | None = None
    """(URN, input, index) of the statement in the plan; None for a policy AWS supplies."""

    def describe(self) -> str:
        return (
            f"statement {self.sid!r} of {self.source}"
            if self.sid
            else f"a statement of {self.source}"
        )


@dataclass(frozen=True)
class Document:
    statements: tuple[Statement, ...]
    unknown: bool = False
    """The document (or its statement list) is unknown: no verdict can rest on it."""

    @classmethod
    def parse(cls, value: Any, source: str, origin: tuple[str, str] | None = None) -> Document:
        document = json_document(value)
        if document is UNKNOWN:
            return cls((), unknown=True)
        if not isinstance(document, dict):
            return cls(())
        raw = document.get("Statement")
        if raw is UNKNOWN:
            return cls((), unknown=True)
        if isinstance(raw, dict):
            raw = [raw]
        statements = []
        for number, item in enumerate(raw if isinstance(raw, list) else []):
            if item is UNKNOWN:
                return cls((), unknown=True)
            if isinstance(item, dict):
                statements.append(_statement(item, source, origin and (*origin, number)))
        return cls(tuple(statements))


def _optional(statement: dict, key: str) -> tuple[Any, ...] | None:
    return tuple(strings(statement[key])) if key in statement else None


def _principals(value: Any) -> Any:
    if value is None or value is UNKNOWN or value == "*":
        return value
    if isinstance(value, dict):
        return {kind: tuple(strings(v)) for kind, v in value.items()}
    return UNKNOWN


def _conditions(block: Any) -> Any:
    if block is None:
        return ()
    if block is UNKNOWN or not isinstance(block, dict):
        return UNKNOWN if block is UNKNOWN else ()
    found = []
    for operator, tests in block.items():
        if tests is UNKNOWN:
            return UNKNOWN
        if not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            found.append(
                (operator, key, tuple(strings(values)) if values is not UNKNOWN else UNKNOWN)
            )
    return tuple(found)


def _statement(item: dict, source: str, origin: tuple[str, str, int] | None) -> Statement:
    sid = item.get("Sid")
    effect = item.get("Effect")
    return Statement(
        effect=effect if isinstance(effect, str) else "Allow",
        actions=tuple(strings(item.get("Action"))),
        not_actions=_optional(item, "NotAction"),
        resources=_optional(item, "Resource"),
        not_resources=_optional(item, "NotResource"),
        principals=_principals(item.get("Principal")),
        not_principals=_principals(item.get("NotPrincipal")),
        conditions=_conditions(item.get("Condition")),
        sid=sid if isinstance(sid, str) else None,
        source=source,
        origin=origin,
    )
