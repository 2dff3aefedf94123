"""The monitored projects preview cleanly, and pass the pack, with either monitoring backend:
open-source (the default) and model-monitor (SageMaker Model Monitor, where the account has it)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import REPO

OPEN_SOURCE = ("mlrails:index:OpenSourceMonitor", "aws:scheduler/schedule:Schedule")
MODEL_MONITOR = (
    "mlrails:index:ModelMonitor",
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
)
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/mlrails-monitoring-job:0.1.0"


def copy_with(tmp_path, project: str, stack_file: str, edit) -> tuple:
    target = tmp_path / project.replace("/", "-")
    shutil.copytree(REPO / project, target, ignore=shutil.ignore_patterns("__pycache__"))
    path = target / stack_file
    path.write_text(edit(path.read_text()))
    return target


def preview(cli, project, *options):
    result = cli("preview", project, "--format", "json", *options)
    assert result.code == 0, result.err
    document = result.json()
    assert document["summary"]["mandatory"] == 0
    unmonitored = [
        v for v in document["violations"] if v["policy"] == "sagemaker-endpoint-monitored"
    ]
    assert unmonitored == []
    return [r["type"] for r in document["resources"]]


def add_backend(key: str, backend: str):
    return lambda text: text + f"  {key}: {backend}\n"


@pytest.mark.parametrize(
    ("project", "key"),
    [
        pytest.param("examples/monitored-endpoint", "monitored-endpoint", id="monitored-endpoint"),
        pytest.param("examples/fleet", "fleet", id="fleet"),
    ],
)
@pytest.mark.parametrize(
    ("backend", "expected", "absent"),
    [
        pytest.param("open-source", OPEN_SOURCE, MODEL_MONITOR, id="open-source"),
        pytest.param("model-monitor", MODEL_MONITOR, OPEN_SOURCE, id="model-monitor"),
    ],
)
def test_the_example_monitors_with_either_backend(
    cli, tmp_path, project, key, backend, expected, absent
):
    def edit(text: str) -> str:
        # A stack file names each key once (duplicate YAML keys are refused): drop any choice.
        lines = [line for line in text.splitlines() if ":monitoringBackend:" not in line]
        text = "\n".join(lines) + f"\n  {key}:monitoringBackend: {backend}\n"
        return text.replace("fleet:endpoints: 10", "fleet:endpoints: 2")  # the fleet, smaller

    types = preview(cli, copy_with(tmp_path, project, "Pulumi.dev.yaml", edit))
    assert all(t in types for t in expected)
    assert not any(t in types for t in absent)


def test_staging_monitors_with_model_monitor_when_the_account_has_it(cli, tmp_path):
    project = copy_with(
        tmp_path,
        "stacks",
        "Pulumi.staging.yaml",
        add_backend("ml-platform:monitoringBackend", "model-monitor"),
    )
    policy = project / "policy" / "staging.json"
    types = preview(cli, project, "--stack", "staging", "--policy-config", policy)
    assert MODEL_MONITOR[1] in types and OPEN_SOURCE[0] not in types


def test_prod_monitors_with_the_open_source_backend_attribution_without_clarify(cli, tmp_path):
    def edit(text: str) -> str:
        text = text.replace("ml-platform:monitoringBackend: model-monitor", "")
        text = text.replace(
            "        bias: true\n", "        bias: true\n        biasSegments: [region]\n"
        )
        return text + f"  ml-platform:monitoringJobImage: {IMAGE}\n"

    project = copy_with(tmp_path, "stacks", "Pulumi.prod.yaml", edit)
    policy = project / "policy" / "prod.json"
    result = cli(
        "preview", project, "--stack", "prod", "--policy-config", policy, "--format", "json"
    )
    assert result.code == 0, result.err
    resources = result.json()["resources"]
    types = [r["type"] for r in resources]
    assert types.count(OPEN_SOURCE[0]) == 2 and MODEL_MONITOR[1] not in types
    # Both models ask for explainability: the open-source job judges attribution drift itself
    # and each monitor alarms on it.
    alarms = {r["urn"].rsplit("::", 1)[1] for r in resources if r["type"].endswith(":MetricAlarm")}
    assert {"churn-monitor-attribution", "demand-monitor-attribution"} <= alarms
