"""Limits as data: each range a service accepts, with the page or API shape that states it.

A component checks its arguments against a table of `Limit`s, and a stack's configuration reads
the same table for its own bounds and expected forms, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlrails_components.support.validation import Problems, plain


@dataclass(frozen=True)
class Limit:
    """An inclusive range of numbers a service accepts."""

    low: int | float
    high: int | float
    problem: str
    """The rule in words, as a message states it: "SageMaker allows 1 to 200"."""
    source: str
    """Where the range is written: a doc page URL or a botocore shape."""
    step: int = 1
    """Values come in multiples of this (serverless memory: 1024 MB)."""
    fix: str = ""
    """How to fix a value outside the range. Default: "choose <low> to <high>"."""

    def allows(self, value: int | float) -> bool:
        return self.low <= value <= self.high and value % self.step == 0

    def expected(self) -> str:
        """The accepted values in words, for a stack file's "expected" column."""
        steps = f" in steps of {self.step}" if self.step != 1 else ""
        return f"{self.low} to {self.high}{steps}"

    def check(self, argument: str, value: Any, problems: Problems) -> None:
        """Add a problem when a plain `value` is outside the range (Outputs are the provider's)."""
        if value is None or not plain(value):
            return
        problems.require(
            self.allows(value),
            argument,
            value,
            self.problem,
            self.fix or f"choose {self.low} to {self.high}",
        )


def check_limits(
    table: Mapping[str, Limit], values: Mapping[str, Any], problems: Problems, prefix: str = ""
) -> None:
    """Check every key of `values` that `table` limits; an absent key is left to its default."""
    for key, limit in table.items():
        if key in values:
            limit.check(f"{prefix}{key}", values[key], problems)
