"""A rule of the catalogue: its metadata, its check, and the pulumi_policy Policy it becomes.

Each rule module defines one `Rule` with a small `check` function:

- a resource rule's check gets the resource (`ResourceValidationArgs`) and its options and
  yields violation messages;
- a stack rule's check gets a `StackIndex` and its options and yields `Violation`s or
  `NotEvaluated`s (a resource it cannot judge because a linked value is unknown in a preview).

The framework turns that into the SDK's Policy (`RuleResourcePolicy`, `RuleStackPolicy`, which
carry the rule for the catalogue and the reports: `rule_of(policy)`): it filters resources by
the types the rule judges, applies waivers from the rule's configuration, and reports the
resources it could not evaluate to the engine as "can't run during preview" instead of passing
them silently.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from mlrails_policies.framework.links import StackIndex
from mlrails_policies.framework.verdicts import NotEvaluated, NotEvaluatedError, Violation
from mlrails_policies.framework.waivers import (
    WAIVERS_OPTION,
    WAIVERS_SCHEMA,
    find_waiver,
    parse_waivers,
    today,
)
from mlrails_policies.framework.wire import input_keys


@dataclass(frozen=True)
class Controls:
    """The controls a rule evidences, per framework (see `controls.FRAMEWORKS`)."""

    eu_ai_act: tuple[str, ...] = ()
    nist_ai_rmf: tuple[str, ...] = ()
    iso_42001: tuple[str, ...] = ()
    hipaa: tuple[str, ...] = ()
    soc2: tuple[str, ...] = ()
    fsbp: tuple[str, ...] = ()

    def by_framework(self) -> dict[str, tuple[str, ...]]:
        return {
            "EU AI Act": self.eu_ai_act,
            "NIST AI RMF": self.nist_ai_rmf,
            "ISO/IEC 42001": self.iso_42001,
            "HIPAA": self.hipaa,
            "SOC 2": self.soc2,
            "AWS FSBP": self.fsbp,
        }


ResourceCheck = Callable[[ResourceValidationArgs, dict[str, Any]], Iterable[str]]
StackCheck = Callable[[StackIndex, dict[str, Any]], Iterable[Violation | NotEvaluated]]


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    severity: Severity
    enforcement: EnforcementLevel
    remediation: str
    controls: Controls
    judges: tuple[str, ...]
    """Resource types the rule gives a verdict on; `*` globs allowed."""
    check: ResourceCheck | StackCheck
    stack: bool = False
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    """JSON schema of each option, with its default."""
    subject: Callable[[str, Collection[str]], bool] | None = None
    """Narrows `judges` by the resource's input keys (e.g. only taggable resources)."""
    reads: tuple[str, ...] = ()
    """Other resource types a stack rule consults (`*` globs allowed). An audit that could not
    list one of them cannot evaluate the rule."""

    def depends_on_type(self, resource_type: str) -> bool:
        """Whether the rule's verdicts depend on resources of this type."""
        return _matches(self.judges, resource_type) or _matches(self.reads, resource_type)

    def judges_type(self, resource_type: str) -> bool:
        return _matches(self.judges, resource_type)

    def judges_resource(self, resource_type: str, input_keys: Collection[str]) -> bool:
        """Whether this rule gives a verdict on a resource of this type with these inputs."""
        if not self.judges_type(resource_type):
            return False
        return self.subject is None or self.subject(resource_type, input_keys)

    def config_schema(self) -> PolicyConfigSchema:
        return PolicyConfigSchema(properties={**self.options, WAIVERS_OPTION: WAIVERS_SCHEMA})

    def policy(self) -> Policy:
        common = {
            "name": self.id,
            "description": self.description,
            "enforcement_level": self.enforcement,
            "config_schema": self.config_schema(),
            "severity": self.severity,
            "remediation_steps": self.remediation,
            "tags": sorted({c for cs in self.controls.by_framework().values() for c in cs}),
        }
        if self.stack:
            return RuleStackPolicy(self, validate=self._validate_stack, **common)
        return RuleResourcePolicy(self, validate=self._validate_resource, **common)

    def _validate_resource(self, args: ResourceValidationArgs, report_violation) -> None:
        if not self.judges_resource(args.resource_type, input_keys(args.props)):
            return
        options, report = _with_waivers(self.id, args.get_config(), report_violation)
        check = cast(ResourceCheck, self.check)  # not `stack`: a resource rule's check
        for message in check(args, options):
            report(message, args.urn)

    def _validate_stack(self, args: StackValidationArgs, report_violation) -> None:
        options, report = _with_waivers(self.id, args.get_config(), report_violation)
        not_evaluated: list[NotEvaluated] = []
        check = cast(StackCheck, self.check)  # `stack`: a stack rule's check
        for verdict in check(StackIndex.of(args.resources), options):
            if isinstance(verdict, NotEvaluated):
                not_evaluated.append(verdict)
            else:
                report(verdict.message, verdict.urn)
        if not_evaluated:
            raise NotEvaluatedError(
                "; ".join(f"{n.urn.rsplit('::', 1)[-1]}: {n.reason}" for n in not_evaluated),
                not_evaluated,
            )


class RuleResourcePolicy(ResourceValidationPolicy):
    """The SDK's resource policy of a rule, carrying the rule (its metadata) with it."""

    def __init__(self, rule: Rule, **policy: Any) -> None:
        super().__init__(**policy)
        self.rule = rule


class RuleStackPolicy(StackValidationPolicy):
    """The SDK's stack policy of a rule, carrying the rule (its metadata) with it."""

    def __init__(self, rule: Rule, **policy: Any) -> None:
        super().__init__(**policy)
        self.rule = rule


def rule_of(policy: Policy) -> Rule | None:
    """The rule a policy was built from; None for a policy of another pack."""
    return policy.rule if isinstance(policy, RuleResourcePolicy | RuleStackPolicy) else None


@functools.lru_cache(maxsize=4096)
def _matches(patterns: tuple[str, ...], resource_type: str) -> bool:
    return any(fnmatch.fnmatchcase(resource_type, p) for p in patterns)


def _with_waivers(policy: str, config: Any, report_violation) -> tuple[dict[str, Any], Callable]:
    """The rule's options without waivers, and a report function that honours them.

    Under the Pulumi engine a waived violation is not reported (the engine has no notion of a
    waiver) and an expired one says so. The offline engine strips waivers before calling the
    rule and marks waived findings itself, so its reports can show them as waived.
    """
    options = dict(config or {})
    waivers = parse_waivers(policy, options.pop(WAIVERS_OPTION, None))
    if not waivers:
        return options, report_violation
    on = today()

    def report(message: str, urn: str | None = None) -> None:
        active, expired = find_waiver(waivers, urn, on)
        if active is not None:
            return
        if expired is not None:
            message = f"{message} ({expired.note()})"
        report_violation(message, urn)

    return options, report
