""".github/workflows/preview.yml: its offline commands, run as written on a base and a head.

The head adds a model whose card is still a draft: the diff must show the new resources and
the mandatory violation it introduces, and the job must be set to fail after commenting.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "preview.yml"
CHECKOUT = ("components", "mlrails", "policies", "stacks")


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def step(job: dict, step_id: str) -> dict:
    [found] = [s for s in job["steps"] if s.get("id") == step_id]
    return found


def checkout(destination: Path, change=None) -> None:
    """The parts of a checkout the offline job reads, with the prod config changed."""
    for name in CHECKOUT:
        shutil.copytree(
            REPO / name, destination / name, ignore=shutil.ignore_patterns("__pycache__", "venv")
        )
    if change is not None:
        stack_file = destination / "stacks" / "Pulumi.prod.yaml"
        document = yaml.safe_load(stack_file.read_text())
        change(document["config"])
        stack_file.write_text(yaml.safe_dump(document))


def add_draft_model(config: dict) -> None:
    models = config["ml-platform:models"]
    fraud = json.loads(json.dumps(models[1]))
    fraud.update(name="fraud", modelData="fraud/v1/model.tar.gz")
    fraud["card"]["status"] = "Draft"
    models.append(fraud)


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """As GitHub runs a `shell: bash` step: the script in a file, `-e` and pipefail on."""
    path = cwd / "step.sh"
    path.write_text(script)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", path],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("workspace")
    checkout(workspace / "base")
    checkout(workspace / "head", add_draft_model)
    document = workflow()
    job = document["jobs"]["offline-preview"]
    outputs = workspace / "github_output"
    outputs.touch()
    env = {
        **os.environ,
        **document["env"],
        # The job's `python` and `mlrails` are the ones `pip install -e ./head` provides.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
    }
    env.pop("PYTHONPATH", None)
    results = {
        step_id: run_step(step(job, step_id)["run"], workspace, env)
        for step_id in ("preview", "diff")
    }
    return workspace, job, results, outputs.read_text()


def test_the_preview_step_writes_every_report(ran):
    workspace, _, results, _ = ran
    assert results["preview"].returncode == 0, results["preview"].stderr
    base = json.loads((workspace / "base.json").read_text())
    head = json.loads((workspace / "head.json").read_text())
    assert base["stack"] == head["stack"] == "prod"
    assert head["summary"]["resources"] > base["summary"]["resources"]
    sarif = json.loads((workspace / "head.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"sagemaker-model-card"}
    junit = ET.parse(workspace / "head.junit").getroot()
    assert int(junit.get("failures") or junit.find("testsuite").get("failures")) >= 1


def test_the_diff_shows_new_resources_and_the_violation_they_introduce(ran):
    workspace, _, results, outputs = ran
    assert results["diff"].returncode == 0, results["diff"].stderr
    comment = (workspace / "diff.md").read_text()
    assert "fraud-endpoint" in comment and "sagemaker-model-card" in comment
    # The job records the diff's exit code, comments, then fails on it.
    assert "code=1" in outputs.splitlines()


def test_the_later_steps_read_what_these_steps_wrote(ran):
    workspace, job, _, _ = ran
    by_action = {s["uses"].split("@")[0]: s for s in job["steps"] if "uses" in s}
    assert (
        workspace / by_action["github/codeql-action/upload-sarif"]["with"]["sarif_file"]
    ).exists()
    assert (workspace / by_action["mikepenz/action-junit-report"]["with"]["report_paths"]).exists()
    [comment] = [s for s in job["steps"] if "gh pr comment" in s.get("run", "")]
    assert "--body-file diff.md" in comment["run"] and (workspace / "diff.md").exists()
    [fail] = [s for s in job["steps"] if s.get("if") == "steps.diff.outputs.code != '0'"]
    assert "exit 1" in fail["run"]


def test_the_credentialed_job_runs_the_real_engine_with_the_same_pack_and_config():
    job = workflow()["jobs"]["pulumi-preview"]
    [preview] = [s for s in job["steps"] if "pulumi preview" in s.get("run", "")]
    assert '--policy-pack "$GITHUB_WORKSPACE/policies"' in preview["run"]
    assert '--policy-pack-config "$GITHUB_WORKSPACE/$POLICY_CONFIG"' in preview["run"]
    assert job["permissions"]["id-token"] == "write"
