"""The policies that run: each SDK policy with its pack, resolved settings and rule metadata."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy import EnforcementLevel, Policy

from mlrails.policy.config import PolicySettings
from mlrails.policy.findings import NOT_EVALUATED, NOT_EVALUATED_PREFIX, VIOLATION, Finding
from mlrails.policy.pack import LoadedPack
from mlrails_policies.framework.rule import Rule, rule_of

Settings = dict[tuple[str, str], PolicySettings]


@dataclass(frozen=True)
class ActivePolicy:
    """A policy that runs (its enforcement is not `disabled`), and what judging needs of it."""

    pack: LoadedPack
    policy: Policy
    settings: PolicySettings
    rule: Rule | None
    """The catalogue rule the policy was built from; None for another pack's policy."""

    @property
    def name(self) -> str:
        return self.policy.name

    @property
    def enforcement(self) -> EnforcementLevel:
        return self.settings.enforcement

    def wire_options(self) -> dict[str, Any]:
        """The options as the engine delivers them, through a protobuf Struct."""
        return _wire(self.settings.options)

    def finding(self, urn: str | None, message: str, status: str = VIOLATION) -> Finding:
        # The engine reports a remediation policy's violation as mandatory.
        level = self.enforcement
        if level == EnforcementLevel.REMEDIATE:
            level = EnforcementLevel.MANDATORY
        severity = self.policy.severity
        return Finding(
            policy=self.policy.name,
            pack=self.pack.name,
            enforcement=level.value,
            severity=severity.value if severity is not None else None,
            urn=urn,
            message=message,
            status=status,
        )

    def not_evaluated(self, urn: str | None, reason: str) -> Finding:
        """The finding of a policy that could not reach a verdict, on one resource or (urn
        None) on the whole stack, saying why."""
        return self.finding(urn, f"{NOT_EVALUATED_PREFIX}{reason}", NOT_EVALUATED)


def active_policies(packs: list[LoadedPack], settings: Settings) -> list[ActivePolicy]:
    """Every policy of `packs` that is not disabled, in pack and catalogue order."""
    return [
        ActivePolicy(pack, policy, settings[(pack.name, policy.name)], rule_of(policy))
        for pack in packs
        for policy in pack.policies
        if settings[(pack.name, policy.name)].enforcement != EnforcementLevel.DISABLED
    ]


def _wire(value: Any) -> Any:
    """Options as the engine delivers them through a protobuf Struct: every number a float."""
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
