"""The access rules on a raw program that repeats the review's F1, F2, F6, W2 and W7, and on
its corrected twin, in both engine modes (AWS review, ../shared/reviews/aws-kserve-review.md)."""

from __future__ import annotations

import pytest

from mlrails.engine.run import run_program
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.findings import NOT_EVALUATED
from mlrails.policy.pack import load_pack
from mlrails.project import load_project
from tests.conftest import PROJECTS, REPO

ACCESS_RULES = {
    "sagemaker-role-can-read-model",
    "sagemaker-role-can-write-capture",
    "sagemaker-role-can-describe-rollback-alarms",
    "monitoring-role-can-run",
    "alert-topic-deliverable",
    "iam-valid-actions-and-conditions",
}
# (rule, resource, a fragment of its message): one per review item the program repeats.
EXPECTED = {
    ("sagemaker-role-can-read-model", "direct", "may not kms:Decrypt on key artifacts-key"),  # F1
    ("sagemaker-role-can-read-model", "packaged", "may not s3:GetObject on bucket acme-artifacts"),  # F2
    ("sagemaker-role-can-describe-rollback-alarms", "endpoint",
     "may not cloudwatch:DescribeAlarms on alarm acme-direct-errors"),  # F6
    ("alert-topic-deliverable", "endpoint-changes-alert",
     "events.amazonaws.com may not kms:GenerateDataKey on key alerts-key"),  # W2
    ("iam-valid-actions-and-conditions", "group-policy",
     "'sagemaker:ModelApprovalStatus' does not apply to sagemaker:DescribeModelPackage"),  # W7
}  # fmt: skip


def access_findings(stack: str, mode: str):
    pack = load_pack(REPO / "policies")
    plan = run_program(load_project(PROJECTS / "access_raw", stack), mode)
    findings = evaluate(plan, [pack], resolve_settings([pack], {}))
    return [f for f in findings if f.policy in ACCESS_RULES]


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_broken_program_fails_exactly_on_the_five_review_items(mode):
    findings = access_findings("broken", mode)
    assert [f for f in findings if f.status == NOT_EVALUATED] == []
    for rule, resource, fragment in EXPECTED:
        assert any(
            f.policy == rule and f.urn.endswith(f"::{resource}") and fragment in f.message
            for f in findings
        ), (rule, resource, [f.message for f in findings])
    assert {(f.policy, f.urn.rsplit("::", 1)[1]) for f in findings} == {
        (rule, resource) for rule, resource, _ in EXPECTED
    }


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_corrected_twin_passes_every_access_rule_decidedly(mode):
    assert access_findings("fixed", mode) == []


@pytest.mark.parametrize("stack", ["broken", "fixed"])
def test_every_request_the_analysis_makes_is_one_aws_catalogues(stack):
    """Each derived action exists, and each condition key in its context is global or one the
    Service Authorization Reference lists for that action: the analysis cannot test a policy
    against a request AWS would never make."""
    from mlrails.access_report import accesses
    from mlrails_policies.access.catalogue import action_supports_key, catalogue
    from tests.conftest import resolved_plan

    seen = 0
    for access in accesses(resolved_plan(PROJECTS / "access_raw", stack)):
        if access.need is None:
            continue
        (action,) = catalogue().actions_matching(access.need.action)
        for key in access.need.context:
            assert action_supports_key(action, key), (access.need.action, key)
        seen += 1
    assert seen >= 15
