"""Running small component programs through the offline engine and judging them with the pack."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mlrails.engine.run import run_inline_program
from mlrails.plan import Plan, ResourceRecord, is_unknown
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.pack import load_pack
from mlrails.project import Project
from tests.conftest import REPO

TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}


@pytest.fixture
def program(tmp_path):
    """program(build, mode=, stack=, config=) -> the Plan of running `build()` as the program.

    `build` is ordinary Python that declares resources (usually a lambda constructing a
    component); it runs in-process under the offline engine as a project's program would.
    """

    def run(
        build: Callable[[], object],
        mode: str = "resolved",
        stack: str = "dev",
        config: dict[str, str] | None = None,
    ) -> Plan:
        project = Project(
            name="component-test",
            directory=tmp_path,
            program=Path(inspect.getsourcefile(build) or tmp_path),
            stack=stack,
            stack_file=None,
            config=config or {},
        )
        return run_inline_program(project, build, mode)

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
