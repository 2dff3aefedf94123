"""Every project in examples/ and stacks/: previewed offline, compliant, its graph as golden.

The golden file holds each resource's type, name, parent and dependencies, and the policy
summary: a change to what a project creates shows up in review as a diff of that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden"


def runtime(project: Path) -> str | None:
    if not (project / "Pulumi.yaml").exists():
        return None
    declared = yaml.safe_load((project / "Pulumi.yaml").read_text(encoding="utf-8"))["runtime"]
    return declared["name"] if isinstance(declared, dict) else declared


# The offline engine runs Python programs; the YAML example is checked against the package
# schema instead (test_yaml_endpoint.py).
EXAMPLES = sorted(p.name for p in (REPO / "examples").iterdir() if runtime(p) == "python")
STACKS = ("dev", "staging", "prod")


def graph(document: dict) -> str:
    names = {r["urn"]: f"{r['type']}::{r['name']}" for r in document["resources"]}
    resources = [
        {
            "resource": names[r["urn"]],
            "parent": names.get(r["parent"]),
            "dependsOn": sorted(names[d] for d in r["dependencies"] if d in names),
        }
        for r in document["resources"]
    ]
    body = {"resources": resources, "policy": document["summary"]}
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def test_every_example_is_covered():
    assert len(EXAMPLES) >= 8 and {"sagemaker-canary", "kserve-canary"} <= set(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_example_is_compliant_and_matches_its_golden_graph(cli, golden, example):
    result = cli("preview", REPO / "examples" / example, "--format", "json")
    assert result.code == 0, result.err
    document = result.json()
    assert document["summary"]["mandatory"] == 0
    golden(GOLDEN / f"{example}.json", graph(document))


@pytest.mark.parametrize("stack", STACKS)
def test_the_platform_stack_matches_its_golden_graph(cli, golden, stack):
    stacks = REPO / "stacks"
    result = cli(
        "preview", stacks, "--stack", stack, "--format", "json",
        "--policy-config", stacks / "policy" / f"{stack}.json",
    )  # fmt: skip
    assert result.code == 0, result.err
    golden(GOLDEN / f"stacks-{stack}.json", graph(result.json()))
