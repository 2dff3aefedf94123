"""The KServe examples pass every rule of the pack, in both modes; the canary example's config drives it."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import REPO

EXAMPLES = ["kserve-canary", "kserve-shadow", "kserve-raw-canary"]
ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"


def preview(cli, directory, *options):
    result = cli("preview", directory, "--stack", "dev", "--format", "json", *options)
    assert result.code == 0, result.out + result.err
    return result.json()


@pytest.mark.parametrize("mode", ["resolved", "preview"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_passes_every_k8s_rule(cli, example, mode):
    report = preview(cli, REPO / "examples" / example, "--mode", mode)
    assert report["summary"]["mandatory"] == 0
    assert [v for v in report["violations"] if v["policy"].startswith("k8s-")] == []
    assert report["summary"]["not_evaluated"] == 0
    types = {r["type"] for r in report["resources"]}
    assert {
        ISVC,
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:core/v1:Namespace",
    } <= types


def test_shadow_example_mirrors_a_quarter_of_the_traffic(cli):
    report = preview(cli, REPO / "examples" / "kserve-shadow")
    by_name = {r["name"]: r for r in report["resources"]}
    assert by_name["fraud-shadow"]["inputs"]["spec"]["predictor"]["model"]["storageUri"] == (
        "s3://acme-models/fraud/v43"
    )
    (route,) = by_name["fraud-mirror"]["inputs"]["spec"]["http"]
    assert route["mirrorPercentage"] == {"value": 25}


@pytest.mark.parametrize(
    ("setting", "expected", "canary_alerts"),
    [
        ("  kserve-canary:canaryPercent: 10\n", 10, True),
        ("  kserve-canary:canaryPercent: 0\n", 0, True),  # rollback
        ("", None, False),  # promoted: no canary left
    ],
    ids=["canary", "rollback", "promoted"],
)
def test_canary_example_is_driven_by_its_config(cli, tmp_path, setting, expected, canary_alerts):
    project = tmp_path / "kserve-canary"
    shutil.copytree(REPO / "examples" / "kserve-canary", project)
    stack = (project / "Pulumi.dev.yaml").read_text()
    lines = [line for line in stack.splitlines(keepends=True) if "canaryPercent:" not in line]
    (project / "Pulumi.dev.yaml").write_text("".join(lines) + setting)
    report = preview(cli, project)
    by_name = {r["name"]: r for r in report["resources"]}
    predictor = by_name["fraud-inference-service"]["inputs"]["spec"]["predictor"]
    assert predictor.get("canaryTrafficPercent") == expected
    groups = [g["name"] for g in by_name["fraud-alerts"]["inputs"]["spec"]["groups"]]
    assert ("fraud-canary" in groups) is canary_alerts
    assert report["summary"]["mandatory"] == 0 and report["violations"] == []


@pytest.mark.parametrize(
    ("setting", "weights", "canary_alerts"),
    [
        ("  kserve-raw-canary:canaryPercent: 10\n", [90, 10], True),
        ("  kserve-raw-canary:canaryPercent: 0\n", [100, 0], True),  # rollback
        ("", None, False),  # promoted: one InferenceService, no split
    ],
    ids=["canary", "rollback", "promoted"],
)
def test_raw_canary_example_is_driven_by_its_config(cli, tmp_path, setting, weights, canary_alerts):
    project = tmp_path / "kserve-raw-canary"
    shutil.copytree(REPO / "examples" / "kserve-raw-canary", project)
    stack = (project / "Pulumi.dev.yaml").read_text()
    lines = [line for line in stack.splitlines(keepends=True) if "canaryPercent:" not in line]
    (project / "Pulumi.dev.yaml").write_text("".join(lines) + setting)
    report = preview(cli, project)
    by_name = {r["name"]: r for r in report["resources"]}
    split = by_name.get("fraud-canary-split")
    found = [r["weight"] for r in split["inputs"]["spec"]["http"][0]["route"]] if split else None
    assert found == weights
    groups = [g["name"] for g in by_name["fraud-alerts"]["inputs"]["spec"]["groups"]]
    assert ("fraud-canary" in groups) is canary_alerts
    assert report["summary"]["mandatory"] == 0 and report["violations"] == []
