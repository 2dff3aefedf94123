"""What a rule's check says about a resource: a violation, or that it could not be evaluated.

A rule that cannot reach a verdict during a preview (a value it needs is still unknown) says
so instead of passing: a stack rule yields `NotEvaluated` for each resource it cannot judge, a
resource rule raises `NotEvaluatedError`. The error is the SDK's `UnknownValueError`, so the
Pulumi engine reports it as "can't run policy during preview"; the offline engine reads
`not_evaluated` from it to report each resource on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError


@dataclass(frozen=True)
class Violation:
    urn: str | None
    message: str


@dataclass(frozen=True)
class NotEvaluated:
    """A resource a stack rule cannot judge, and why (a linked value unknown in a preview)."""

    urn: str
    reason: str


class NotEvaluatedError(UnknownValueError):
    """A rule that could not reach a verdict: on the resources listed in `not_evaluated`, or
    (when that is empty) on the resource it was judging, or on the whole stack."""

    def __init__(self, message: str, not_evaluated: Sequence[NotEvaluated] = ()) -> None:
        # The SDK's constructor describes an unknown property path; ours describes the reason.
        super().__init__(UNKNOWN_STRING_VALUE, [])
        self.message = message
        self.args = (message,)
        self.not_evaluated = tuple(not_evaluated)
