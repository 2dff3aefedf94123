"""Reading the provider's wire format the way rules need to.

Rules receive properties behind the SDK's unknown-checking proxy: reading an unknown value
raises, which the engine reports as "can't run policy during preview". That is right when a
rule needs the value, and wrong when it only needs to know a value *is set*: an unknown
`kmsKeyArn` in a preview is a key ARN that will be known after create. `get()` reads without
raising and returns `UNKNOWN` instead, so each rule decides which of the two it needs.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from pulumi_policy import proxy
from pulumi_policy.proxy import _DictProxy, _is_unknown, _ListProxy

from mlrails_policies.framework.verdicts import NotEvaluatedError


class _Unknown:
    """A value the engine does not know yet (a computed output during preview)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test `is UNKNOWN` first")


UNKNOWN = _Unknown()


_PROXIES = (_DictProxy, _ListProxy)
# The engine's sentinels for values not known during preview (what `_is_unknown` tests).
_UNKNOWN_VALUES = frozenset(
    (
        proxy.UNKNOWN_BOOLEAN_VALUE,
        proxy.UNKNOWN_NUMBER_VALUE,
        proxy.UNKNOWN_STRING_VALUE,
        proxy.UNKNOWN_ARRAY_VALUE,
        proxy.UNKNOWN_ASSET_VALUE,
        proxy.UNKNOWN_ARCHIVE_VALUE,
        proxy.UNKNOWN_OBJECT_VALUE,
    )
)


def _target(value: Any) -> Any:
    """The plain container behind an SDK proxy, or the value itself."""
    return value["__target"] if type(value) in _PROXIES else value


def get(props: Any, *path: str | int, default: Any = None) -> Any:
    """The value at `path`, `UNKNOWN` if it or a container on the way is unknown, else default."""
    value = props
    for key in path:
        value = _target(value)
        if _is_unknown(value):
            return UNKNOWN
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return default
    return to_plain(value)


def input_keys(props: Any) -> Collection[str]:
    """The top-level input keys, known or not."""
    target = _target(props)
    return target.keys() if isinstance(target, Mapping) else ()


def to_plain(value: Any) -> Any:
    """A proxied value as plain dicts and lists, unknowns as `UNKNOWN`."""
    value = _target(value)
    # Every rule reads through here, most often a plain string: answered first.
    if type(value) is str:
        return UNKNOWN if value in _UNKNOWN_VALUES else value
    if _is_unknown(value):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value


def is_set(value: Any) -> bool:
    """Present and non-empty, or unknown (a computed value is present once known)."""
    return value is UNKNOWN or value not in (None, "", [], {})


def items(value: Any) -> list[Any]:
    """A list value as a list: `[]` when absent, `[UNKNOWN]` when the list itself is unknown."""
    if value is UNKNOWN:
        return [UNKNOWN]
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def number(value: Any) -> float | _Unknown | None:
    """Numbers arrive as floats (or strings from some providers); None when absent."""
    if value is UNKNOWN or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def is_true(value: Any) -> bool | _Unknown:
    """Booleans may arrive as strings from some providers."""
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True


def json_document(value: Any) -> Any:
    """A JSON document given as a string (IAM and bucket policies) or already as an object."""
    if value is UNKNOWN or value is None:
        return value
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def strings(value: Any) -> list[Any]:
    """`"a"` or `["a", "b"]` (IAM's one-or-many) as a list."""
    if value is UNKNOWN:
        return [UNKNOWN]
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return list(value)
    return []


def tags_of(props: Any) -> dict[str, Any] | _Unknown:
    """Tags as a dict, from pulumi-aws maps or aws-native `[{key, value}]` lists."""
    tags = get(props, "tags")
    if tags is UNKNOWN:
        return UNKNOWN
    if isinstance(tags, dict):
        return tags
    if isinstance(tags, list):
        out: dict[str, Any] = {}
        for tag in tags:
            if tag is UNKNOWN:
                return UNKNOWN
            if isinstance(tag, dict) and "key" in tag:
                out[tag["key"]] = tag.get("value")
        return out
    return {}


def require_known(value: Any, what: str) -> Any:
    """`value`; NotEvaluatedError naming `what` when it is unknown during a preview."""
    if value is UNKNOWN:
        raise NotEvaluatedError(f"{what} can't be known during preview")
    return value
