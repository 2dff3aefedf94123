"""Judging hand-written wire-format resources with the real pack, as the engine would send them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pytest

from mlrails.plan import Plan, ResourceRecord
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.pack import load_pack
from tests.conftest import REPO

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown-string sentinel
STACK_URN = "urn:pulumi:test::rules::pulumi:pulumi:Stack::rules-test"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:test::rules::{type_}::{name}"


@dataclass
class R:
    """A resource as the engine records it: type, name, wire inputs, property dependencies."""

    type: str
    name: str
    inputs: dict[str, Any]
    deps: dict[str, list[str]] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        return urn(self.type, self.name)


def plan_of(resources: list[R]) -> Plan:
    records = [
        ResourceRecord(STACK_URN, "pulumi:pulumi:Stack", "rules-test", None, False, [], {}, {})
    ]
    for r in resources:
        dependencies = sorted({u for urns in r.deps.values() for u in urns})
        records.append(
            ResourceRecord(
                r.urn,
                r.type,
                r.name,
                STACK_URN,
                True,
                dependencies,
                {k: list(v) for k, v in r.deps.items()},
                copy.deepcopy(r.inputs),
            )
        )
    return Plan(project="rules", stack="test", mode="resolved", resources=records)


@pytest.fixture(scope="session")
def pack():
    return load_pack(REPO / "policies")


@pytest.fixture
def judge(pack):
    """judge(rule_id, resources, config=None) -> the findings of that rule."""

    def run(rule_id: str, resources: list[R], config: dict | None = None):
        settings = resolve_settings([pack], config or {})
        return [f for f in evaluate(plan_of(resources), [pack], settings) if f.policy == rule_id]

    return run


def messages(findings) -> list[str]:
    return [f.message for f in findings]


def only(findings):
    assert len(findings) == 1, findings
    return findings[0]
