"""The result of a preview: the plan, the policy findings and their counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlrails.plan import Plan
from mlrails.policy.findings import Finding
from mlrails.policy.pack import LoadedPack

AUDIT = "audit"
# Exit code of an audit that could not read everything it needed (unless allowed).
INCOMPLETE = 2


@dataclass
class Report:
    plan: Plan
    findings: list[Finding] = field(default_factory=list)
    packs: list[LoadedPack] = field(default_factory=list)
    policies_evaluated: bool = True
    # An audit's reads that failed (mlrails.audit.faults.Fault); a preview has none.
    faults: list[Any] = field(default_factory=list)
    allow_incomplete: bool = False
    api_calls: int = 0  # an audit's read requests, retries not counted

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.is_violation]

    @property
    def not_evaluated(self) -> list[Finding]:
        return [f for f in self.findings if f.is_not_evaluated]

    def findings_by_policy(self) -> dict[tuple[str, str], list[Finding]]:
        """The findings of each (pack name, policy name), in report order."""
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault((finding.pack, finding.policy), []).append(finding)
        return grouped

    def summary(self) -> dict[str, int]:
        open_violations = [f for f in self.violations if not f.waived]
        return {
            "resources": len(self.plan.resources),
            "mandatory": sum(1 for f in open_violations if f.enforcement == "mandatory"),
            "advisory": sum(1 for f in open_violations if f.enforcement == "advisory"),
            "waived": sum(1 for f in self.violations if f.waived),
            "not_evaluated": len(self.not_evaluated),
        }

    @property
    def incomplete(self) -> bool:
        """Some of what an audit had to read could not be read."""
        return any(f.blocks_completeness for f in self.faults)

    @property
    def exit_code(self) -> int:
        if self.incomplete and not self.allow_incomplete:
            return INCOMPLETE
        return 1 if any(f.blocking for f in self.findings) else 0

    def to_json(self) -> dict[str, Any]:
        """The preview JSON object of DESIGN.md, keys in contract order; an audit adds what it
        could not read and whether it is complete."""
        document: dict[str, Any] = {
            "project": self.plan.project,
            "stack": self.plan.stack,
            "mode": self.plan.mode,
            "resources": [r.to_json() for r in self.plan.resources],
            "violations": [f.to_json() for f in self.findings],
            "summary": self.summary(),
            # Values the engine invented for lookups it could not make offline.
            "synthesized_lookups": [s.to_json() for s in self.plan.synthesized_lookups],
        }
        if self.plan.mode == AUDIT:
            document["faults"] = [f.to_json() for f in self.faults]
            document["complete"] = not self.incomplete
        return document

    def resource_name(self, urn: str | None) -> str:
        """A resource's name in a preview; in an audit, its ARN (ids are ARNs there)."""
        if urn is None:
            return "(stack)"
        return urn.rsplit("::", 1)[-1] if urn.startswith("urn:pulumi:") else urn
