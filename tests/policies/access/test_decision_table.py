"""The access analysis decides each distinct question once per plan (access/needs.py `judge`):
remembered decisions change no verdict, and a context key a condition reads keeps two
questions apart."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mlrails.access_report import ACCESS_RULES, projects
from mlrails.engine.run import run_program
from mlrails.policy.views import policy_resources
from mlrails.project import load_project
from mlrails_policies.access import needs
from mlrails_policies.access.documents import Document
from mlrails_policies.access.evaluate import Principal
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.framework.links import StackIndex
from tests.conftest import PROJECTS

CASES = [
    *[case for case in projects() if "fleet" not in case[0]],
    ("access-raw (broken)", PROJECTS / "access_raw", "broken"),
    ("access-raw (fixed)", PROJECTS / "access_raw", "fixed"),
]


class _Forgetful(dict):
    """A decision table that remembers nothing: every question is decided afresh."""

    def __setitem__(self, key, value) -> None:
        return None


def _verdicts(plan) -> list[tuple]:
    index = StackIndex(policy_resources(plan))
    return sorted(
        (module.RULE.id, type(v).__name__, v.urn, getattr(v, "message", ""))
        for module in ACCESS_RULES
        for v in module.RULE.check(index, {})
    )


@pytest.mark.parametrize("mode", ["resolved", "preview"])
@pytest.mark.parametrize(("title", "directory", "stack"), CASES, ids=[c[0] for c in CASES])
def test_remembered_decisions_change_no_verdict(monkeypatch, title, directory, stack, mode):
    plan = run_program(load_project(directory, stack), mode)
    remembered = _verdicts(plan)
    initialize = AccessPlan.__init__

    def forgetful(self, index):
        initialize(self, index)
        self.decisions = _Forgetful()

    monkeypatch.setattr(AccessPlan, "__init__", forgetful)
    assert _verdicts(plan) == remembered
    if title.endswith("(broken)"):
        assert any(kind == "Violation" for _, kind, _, _ in remembered)


def _topic_policy(condition: dict | None) -> Document:
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": "arn:aws:sns:eu-west-1:111122223333:alerts",
    }
    if condition:
        statement["Condition"] = condition
    return Document.parse({"Statement": [statement]}, "the topic policy alerts-policy")


def _publish(policy: Document, source: str) -> needs.Need:
    principal = Principal("Service", "cloudwatch.amazonaws.com", "111122223333")
    return needs.Need(
        subject=SimpleNamespace(urn=source, name=source),  # type: ignore[arg-type]  # not read
        purpose="notify topic alerts",
        principal=principal,
        principal_label=principal.id,
        role=None,
        action="sns:Publish",
        resource="arn:aws:sns:eu-west-1:111122223333:alerts",
        target="topic alerts",
        context={
            "aws:securetransport": ("true",),
            "aws:sourcearn": (source,),
            "aws:sourceaccount": ("111122223333",),
        },
        resource_policy=policy,
    )


def _plan() -> SimpleNamespace:
    return SimpleNamespace(decisions={}, context_keys_read={})


ALARM = "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:"


def test_a_context_key_the_policy_reads_keeps_two_questions_apart():
    policy = _topic_policy({"ArnLike": {"aws:SourceArn": ALARM + "orders-*"}})
    plan = _plan()
    assert needs.judge(plan, _publish(policy, ALARM + "orders-latency")).allowed is True
    assert needs.judge(plan, _publish(policy, ALARM + "billing-latency")).allowed is False
    assert len(plan.decisions) == 2


def test_a_context_key_no_policy_reads_is_one_question():
    policy = _topic_policy({"StringEquals": {"aws:SourceAccount": "111122223333"}})
    plan = _plan()
    for name in ("orders-latency", "billing-latency", "churn-errors"):
        assert needs.judge(plan, _publish(policy, ALARM + name)).allowed is True
    assert len(plan.decisions) == 1


def test_a_policy_variable_in_a_condition_is_a_key_it_reads():
    policy = _topic_policy({"StringEquals": {"aws:SourceArn": "${aws:SourceAccount}"}})
    assert needs.judge(_plan(), _publish(policy, ALARM + "a")).allowed is False
    plan = _plan()
    first = _publish(policy, "111122223333")
    second = needs.Need(
        **{**first.__dict__, "context": {**first.context, "aws:sourceaccount": ("x",)}}
    )
    assert needs.judge(plan, first).allowed is True
    assert needs.judge(plan, second).allowed is False


def test_a_policy_variable_in_a_resource_is_a_key_it_reads():
    grant = Document.parse(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": "arn:aws:sns:eu-west-1:${aws:SourceAccount}:alerts",
                }
            ]
        },
        "the topic policy alerts-policy",
    )
    plan = _plan()
    first = _publish(grant, ALARM + "a")
    other_account = needs.Need(
        **{**first.__dict__, "context": {**first.context, "aws:sourceaccount": ("444455556666",)}}
    )
    assert needs.judge(plan, first).allowed is True
    assert needs.judge(plan, other_account).allowed is False
