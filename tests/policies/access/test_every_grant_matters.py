"""No access rule that cannot fail: every statement that allows an access the analysis derives,
removed in turn from the plan, makes the rule of that access report the resource that needs it.
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from mlrails.access_report import ACCESS_RULES, accesses, projects
from mlrails.plan import Plan
from mlrails.policy.views import policy_resources
from mlrails_policies.framework.links import StackIndex
from mlrails_policies.framework.verdicts import Violation
from tests.conftest import PROJECTS, resolved_plan

CASES = [*projects(), ("access-raw (fixed)", PROJECTS / "access_raw", "fixed")]
_INLINE = re.compile(r"inlinePolicies\[(\d+)\]\.policy")


def without_statement(plan: Plan, origin: tuple[str, str, int]) -> Plan:
    """The plan with one statement taken out of the document that holds it."""
    urn, prop, number = origin
    records = []
    for record in plan.resources:
        if record.urn == urn:
            inputs = json.loads(json.dumps(record.inputs))
            inline = _INLINE.fullmatch(prop)
            holder, key = (
                (inputs["inlinePolicies"][int(inline[1])], "policy") if inline else (inputs, prop)
            )
            document = holder[key]
            parsed = json.loads(document) if isinstance(document, str) else document
            statements = (
                parsed["Statement"]
                if isinstance(parsed["Statement"], list)
                else [parsed["Statement"]]
            )
            del statements[number]
            parsed["Statement"] = statements
            holder[key] = json.dumps(parsed) if isinstance(document, str) else parsed
            record = dataclasses.replace(record, inputs=inputs)
        records.append(record)
    return dataclasses.replace(plan, resources=records)


def violations(plan: Plan) -> set[tuple[str, str]]:
    index = StackIndex(policy_resources(plan))
    return {
        (module.RULE.id, verdict.urn)
        for module in ACCESS_RULES
        for verdict in module.RULE.check(index, {})
        if isinstance(verdict, Violation)
    }


@pytest.mark.parametrize(
    ("title", "directory", "stack"),
    [
        # The fleet repeats the other examples' grants hundreds of times: `make check` runs it.
        pytest.param(*case, id=case[0], marks=[pytest.mark.slow] if "fleet" in case[0] else [])
        for case in CASES
    ],
)
def test_removing_any_allowing_statement_fails_the_rule_that_needed_it(title, directory, stack):
    plan = resolved_plan(directory, stack)
    allowed = [a for a in accesses(plan) if a.verdict == "allowed"]
    assert violations(plan) == set()
    needed_by: dict[tuple, set[tuple[str, str]]] = {}
    for access in allowed:
        for statement in access.statements:
            if statement.origin is not None:  # a policy AWS supplies can't be taken out
                needed_by.setdefault(statement.origin, set()).add(
                    (access.rule, access.need.subject.urn)
                )
    if not allowed:
        pytest.skip(f"{title} declares nothing the access rules judge")
    assert needed_by, "every allowed access rests on a statement of the plan"
    for origin, subjects in needed_by.items():
        failed = violations(without_statement(plan, origin))
        assert failed & subjects, f"removing {origin} made none of {sorted(subjects)} fail"
