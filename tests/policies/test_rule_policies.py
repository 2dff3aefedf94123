"""A rule's SDK policy carries the rule, and a rule that cannot decide says which resources."""

from __future__ import annotations

import pytest
from pulumi_policy import (
    EnforcementLevel,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from mlrails_policies import RULES
from mlrails_policies.framework.rule import Controls, Rule, rule_of
from mlrails_policies.framework.verdicts import NotEvaluated, NotEvaluatedError, Violation


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_each_policy_of_the_pack_carries_its_rule(rule):
    policy = rule.policy()
    assert rule_of(policy) is rule
    assert isinstance(policy, StackValidationPolicy) == rule.stack
    assert isinstance(policy, ResourceValidationPolicy) != rule.stack


def test_a_policy_of_another_pack_has_no_rule():
    other = ResourceValidationPolicy("other", "another pack's policy", lambda args, report: None)
    assert rule_of(other) is None


def _stack_rule(verdicts) -> Rule:
    return Rule(
        id="probe",
        description="yields the verdicts it is given",
        severity=None,
        enforcement=EnforcementLevel.ADVISORY,
        remediation="none",
        controls=Controls(),
        judges=("*",),
        check=lambda index, options: iter(verdicts),
        stack=True,
    )


def test_a_stack_rule_reports_violations_then_names_each_resource_it_could_not_evaluate():
    a, b = "urn:pulumi:s::p::t::a", "urn:pulumi:s::p::t::b"
    policy = _stack_rule(
        [Violation(a, "broken"), NotEvaluated(a, "x is unknown"), NotEvaluated(b, "y is unknown")]
    ).policy()
    reported = []
    with pytest.raises(NotEvaluatedError) as raised:
        policy.validate(StackValidationArgs([], {}), lambda message, urn: reported.append(urn))
    assert reported == [a]
    assert raised.value.not_evaluated == (
        NotEvaluated(a, "x is unknown"),
        NotEvaluated(b, "y is unknown"),
    )
    # The Pulumi engine sees the SDK's error and prints its message.
    assert isinstance(raised.value, UnknownValueError)
    assert raised.value.message == "a: x is unknown; b: y is unknown"
