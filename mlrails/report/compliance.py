"""The compliance view: per control framework, each control with its rules and results.

A check is one rule judging one resource of a type it judges. Per control we count the checks
that passed, failed, were waived or could not be evaluated, and name the failing resources,
so a reviewer can file the table as evidence for that control.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlrails.report.model import Report
from mlrails_policies.framework.rule import rule_of


@dataclass
class RuleResult:
    rule: str
    passed: int = 0
    failed: set[str] = field(default_factory=set)
    waived: set[str] = field(default_factory=set)
    not_evaluated: set[str] = field(default_factory=set)


@dataclass
class ControlResult:
    framework: str
    control: str
    title: str
    rules: list[RuleResult]

    def count(self, attribute: str) -> int:
        if attribute == "passed":
            return sum(r.passed for r in self.rules)
        return sum(len(getattr(r, attribute)) for r in self.rules)

    @property
    def failing_resources(self) -> list[str]:
        return sorted({urn for r in self.rules for urn in r.failed})


def rule_results(report: Report) -> dict[str, RuleResult]:
    """Results of every mlrails rule of the report's packs, by rule id."""
    results: dict[str, RuleResult] = {}
    findings = report.findings_by_policy()
    for pack in report.packs:
        for policy in pack.policies:
            rule = rule_of(policy)
            if rule is None:
                continue
            result = RuleResult(policy.name)
            for finding in findings.get((pack.name, policy.name), []):
                subject = finding.urn or "(stack)"
                if finding.is_not_evaluated:
                    result.not_evaluated.add(subject)
                elif finding.waived:
                    result.waived.add(subject)
                else:
                    result.failed.add(subject)
            result.waived -= result.failed
            subjects = [
                r.urn
                for r in report.plan.resources
                if rule.judges_resource(r.type, r.inputs.keys())
            ]
            decided = result.failed | result.waived | result.not_evaluated
            result.passed = sum(1 for urn in subjects if urn not in decided)
            results[policy.name] = result
    return results


def control_results(report: Report) -> list[ControlResult]:
    from mlrails_policies.framework.controls import FRAMEWORKS

    results = rule_results(report)
    rules_by_control: dict[tuple[str, str], list[RuleResult]] = {}
    for pack in report.packs:
        for policy in pack.policies:
            rule = rule_of(policy)
            if rule is None or policy.name not in results:
                continue
            for framework, controls in rule.controls.by_framework().items():
                for control in controls:
                    rules_by_control.setdefault((framework, control), []).append(
                        results[policy.name]
                    )
    return [
        ControlResult(framework, control, title, rules_by_control[(framework, control)])
        for framework, controls in FRAMEWORKS.items()
        for control, title in controls.items()
        if (framework, control) in rules_by_control
    ]
