"""docs/concepts.md: its snippets are real. The Python blocks, read in order, are one program
that previews; each JSON block is a policy configuration the pack accepts with it."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import REPO

CONCEPTS = REPO / "docs" / "concepts.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", CONCEPTS.read_text(), flags=re.S)


@pytest.fixture
def program(tmp_path):
    project = tmp_path / "concepts"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: concepts\nruntime: python\n")
    (project / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (project / "__main__.py").write_text("\n".join(blocks("python")))
    return project


def test_the_python_snippets_run_as_one_program(cli, program):
    assert len(blocks("python")) >= 5
    result = cli("preview", program, "--stack", "dev", "--no-policy", "--format", "json")
    assert result.code == 0, result.err
    types = {r["type"] for r in result.json()["resources"]}
    assert {"mlrails:index:ModelEndpoint", "mlrails:index:ModelRegistry"} <= types


def test_the_concepts_show_policy_configurations():
    """The parametrized check below runs once per JSON block: none would mean none checked."""
    assert len(blocks("json")) >= 2


@pytest.mark.parametrize("index", range(len(blocks("json"))))
def test_each_json_snippet_is_a_policy_configuration_the_pack_accepts(cli, program, index):
    config = program.parent / "policy.json"
    config.write_text(blocks("json")[index])
    json.loads(config.read_text())
    result = cli("preview", program, "--stack", "dev", "--policy-config", config)
    assert result.code in (0, 1), result.err
