"""Running small component programs through the offline engine and judging them with the pack."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from mlrails.engine.run import run_program
from mlrails.plan import Plan, ResourceRecord, is_unknown
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.pack import load_pack
from mlrails.project import load_project
from tests.conftest import REPO

TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}


@pytest.fixture
def program(tmp_path):
    """program(source, mode=, stack=, config=) -> the Plan of that Python program."""

    def run(
        source: str, mode: str = "resolved", stack: str = "dev", config: dict | None = None
    ) -> Plan:
        project = tmp_path / "project"
        project.mkdir(exist_ok=True)
        (project / "Pulumi.yaml").write_text("name: component-test\nruntime: python\n")
        (project / f"Pulumi.{stack}.yaml").write_text(json.dumps({"config": config or {}}))
        (project / "__main__.py").write_text(textwrap.dedent(source))
        return run_program(load_project(project, stack), mode)

    return run


def judge(plan: Plan, config: dict | None = None):
    pack = load_pack(REPO / "policies")
    return evaluate(plan, [pack], resolve_settings([pack], config or {}))


def children(plan: Plan, parent_name: str) -> list[tuple[str, str]]:
    parent = next(r.urn for r in plan.resources if r.name == parent_name)
    return [(r.type, r.name) for r in plan.resources if r.parent == parent]


def resource(plan: Plan, name: str) -> ResourceRecord:
    return next(r for r in plan.resources if r.name == name)


def document(plan: Plan, name: str, key: str = "policy") -> dict:
    value = resource(plan, name).inputs[key]
    assert not is_unknown(value), f"{name}.{key} is unknown"
    return json.loads(value)


def statement(policy: dict, sid: str) -> dict:
    return next(s for s in policy["Statement"] if s.get("Sid") == sid)


def violations(findings, rule: str | None = None) -> list:
    return [
        f
        for f in findings
        if f.status == "violation" and not f.waived and (rule is None or f.policy == rule)
    ]


def unsettled(findings, rule: str | None = None) -> list:
    """Violations and findings the rule could not decide: a rule holds when there are none."""
    return [
        f
        for f in findings
        if f.status in ("violation", "not_evaluated")
        and not f.waived
        and (rule is None or f.policy == rule)
    ]


def read(path: Path) -> str:
    return path.read_text()
