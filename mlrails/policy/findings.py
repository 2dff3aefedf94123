"""A finding: a violation a policy reported, or a policy that could not be evaluated.

`status` is the JSON contract's word for each: "violation" or "not_evaluated".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy import EnforcementLevel

VIOLATION = "violation"
NOT_EVALUATED = "not_evaluated"
NOT_EVALUATED_PREFIX = "not evaluated: "
# The finding id of a remote component nothing could judge.
REMOTE_COMPONENT = "remote-component"


@dataclass
class Finding:
    """A violation a policy reported, or a policy that could not be evaluated."""

    policy: str
    pack: str
    enforcement: str
    severity: str | None
    urn: str | None
    message: str
    status: str = VIOLATION
    waived: bool = False
    waiver_reason: str | None = None

    @property
    def blocking(self) -> bool:
        return (
            self.is_violation
            and not self.waived
            and self.enforcement == EnforcementLevel.MANDATORY.value
        )

    @property
    def is_violation(self) -> bool:
        return self.status == VIOLATION

    @property
    def is_not_evaluated(self) -> bool:
        return self.status == NOT_EVALUATED

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "pack": self.pack,
            "enforcement": self.enforcement,
            "severity": self.severity,
            "urn": self.urn,
            "message": self.message,
            "waived": self.waived,
            "status": self.status,
        }
