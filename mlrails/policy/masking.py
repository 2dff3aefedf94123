"""Keeping secret input values out of policy findings, whatever a policy writes.

A policy builds its message from the values it reads, and the SDK hands it secrets as plain
values: the analyzer unwraps them before a policy sees them (`pulumi_policy.policy` deserializes
Analyze requests without `proxy_secrets`). So no rule, and no rule framework, can be trusted
to leave them out. The mask is applied where the engine turns a message into a finding: every
text a policy reports (violation, reason for not evaluating, the error of a crashing policy) passes
through `SecretMask`, built from every secret in the plan's wire-format inputs. A rule cannot
bypass it, because it never creates a finding itself; it only hands text to the engine.

A value is masked whole, in any letter case, and so is each part of it a rule might print on
its own (an image's registry, a name inside an ARN): the parts between separators such as
`/`, `:` or `@` of at least `_MIN_PART` characters. Shorter values are masked only where they
stand alone, so a one-letter secret does not blank every word of a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from mlrails.plan import SECRET_MASK, ResourceRecord, is_secret

_MIN_PART = 4
_SEPARATORS = re.compile(r"[/:@\s,;=?&#\"'()\[\]{}|\\]+")


class SecretMask:
    """Replaces every secret value (and each long-enough part of one) with `[secret]`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets: Iterable[str] | None = secrets
        self._pattern: re.Pattern[str] | None = None

    def __call__(self, text: str) -> str:
        if not isinstance(text, str):
            return text
        if self._secrets is not None:
            # Built on the first message: most previews have few findings and many resources.
            self._pattern = _pattern_of(self._secrets)
            self._secrets = None
        return text if self._pattern is None else self._pattern.sub(SECRET_MASK, text)

    @classmethod
    def of_plan(cls, records: Iterable[ResourceRecord]) -> SecretMask:
        """The mask of every secret in the records' inputs, found when first needed."""
        return cls(_secrets_of(list(records)))


def _secrets_of(records: list[ResourceRecord]) -> Iterator[str]:
    found: set[str] = set()
    for record in records:
        _collect(record.inputs, False, found)
    yield from found


def _pattern_of(secrets: Iterable[str]) -> re.Pattern[str] | None:
    anywhere: set[str] = set()
    alone: set[str] = set()
    for secret in secrets:
        for form in {secret, json.dumps(secret)[1:-1], repr(secret)[1:-1]}:
            (anywhere if len(form) >= _MIN_PART else alone).add(form)
        anywhere.update(p for p in _SEPARATORS.split(secret) if len(p) >= _MIN_PART)
    alternatives = [re.escape(t) for t in sorted(anywhere, key=len, reverse=True) if t]
    alternatives += [
        rf"(?<![A-Za-z0-9]){re.escape(t)}(?![A-Za-z0-9])"
        for t in sorted(alone, key=len, reverse=True)
        if t
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _collect(value: Any, inside_secret: bool, found: set[str]) -> None:
    if is_secret(value):
        _collect(value.get("value"), True, found)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, inside_secret, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, inside_secret, found)
    elif inside_secret and isinstance(value, str) and value:
        found.add(value)
    elif inside_secret and isinstance(value, int | float) and not isinstance(value, bool):
        # Numbers arrive as floats and reach messages as the rule formats them: 8.0 or 8.
        found.add(str(value))
        if isinstance(value, float) and value.is_integer():
            found.add(str(int(value)))
