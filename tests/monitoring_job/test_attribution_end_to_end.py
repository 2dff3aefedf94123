"""Feature-attribution drift end to end on the moto server: capture whose predictions follow
another feature than the baseline's, the NDCG metric and finding in CloudWatch, bad output."""

from __future__ import annotations

import json

import pytest

from mlrails_monitoring_job import metric_names as names
from mlrails_monitoring_job.settings import DEFAULT_NDCG_THRESHOLD
from tests.monitoring_job import data
from tests.monitoring_job.runs import (
    ENDPOINT,
    MONITOR,
    NAMESPACE,
    metric_value,
    put_capture,
    run_cli,
)

ATTRIBUTION = {"attribution_ndcg_threshold": DEFAULT_NDCG_THRESHOLD}


def test_the_baselines_own_relationship_is_not_attribution_drift(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=2, n=300)))
    code, report, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 0, err
    found = report["attribution"]
    assert found["drift"] is False
    assert found["ndcg"] > 0.95
    assert max(found["baseline"], key=found["baseline"].get) == "income"
    assert metric_value(account, names.FEATURE_ATTRIBUTION_DRIFT) == 0.0
    assert metric_value(account, names.FEATURE_ATTRIBUTION_NDCG) == pytest.approx(found["ndcg"])


def test_predictions_that_follow_another_feature_are_attribution_drift(account, capsys):
    # Same feature distributions as the baseline, but the output now follows age, not income.
    put_capture(account, data.capture_file(data.sample(seed=4, n=300, driver="age")))
    code, report, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 0, err
    found = report["attribution"]
    assert found["drift"] is True
    assert found["ndcg"] < 0.8
    assert max(found["current"], key=found["current"].get) == "age"
    assert report["drift"]["dataset_drift"] is False  # the inputs did not move
    assert metric_value(account, names.FEATURE_ATTRIBUTION_DRIFT) == 1.0
    assert metric_value(account, names.FEATURE_ATTRIBUTION_NDCG) == pytest.approx(found["ndcg"])


def test_shifted_inputs_with_the_same_relationship_are_data_drift_only(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=3, n=300, shift=1.5)))
    code, report, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 0, err
    assert report["drift"]["dataset_drift"] is True
    assert report["attribution"]["drift"] is False


def test_the_attribution_metrics_carry_only_the_endpoint_and_monitor(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=2, n=100)))
    code, _, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 0, err
    for name in (names.FEATURE_ATTRIBUTION_NDCG, names.FEATURE_ATTRIBUTION_DRIFT):
        (metric,) = account["cloudwatch"].list_metrics(Namespace=NAMESPACE, MetricName=name)[
            "Metrics"
        ]
        assert metric["Dimensions"] == [
            {"Name": names.ENDPOINT_DIMENSION, "Value": ENDPOINT},
            {"Name": names.MONITOR_DIMENSION, "Value": MONITOR},
        ]


def test_without_the_setting_no_attribution_is_judged(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=4, n=300, driver="age")))
    code, report, err = run_cli(account, capsys)
    assert code == 0, err
    assert "attribution" not in report
    assert metric_value(account, names.FEATURE_ATTRIBUTION_DRIFT) is None


def test_a_window_too_small_to_rank_publishes_no_attribution_finding(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=4, n=10, driver="age")))
    code, report, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 0, err
    assert report["attribution"]["skipped"] == "fewer than 30 rows"
    assert metric_value(account, names.FEATURE_ATTRIBUTION_NDCG) is None
    assert metric_value(account, names.FEATURE_ATTRIBUTION_DRIFT) is None


def without_output(line: str) -> str:
    record = json.loads(line)
    del record["captureData"]["endpointOutput"]
    return json.dumps(record)


def assert_refused(account, err: str, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in err
    assert "Traceback" not in err
    assert account["cloudwatch"].list_metrics(Namespace=NAMESPACE)["Metrics"] == []


def test_capture_without_output_is_refused_with_the_fix(account, capsys):
    window = data.sample(seed=2, n=40)
    lines = data.capture_file(window).splitlines()
    put_capture(account, "\n".join([*lines[:38], *map(without_output, lines[38:])]))
    code, _, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 2
    assert_refused(
        account,
        err,
        "2 request(s) under s3://capture/capture/credit-risk/ have no captured output (e.g. id "
        "req-38)",
        "capture Output as well as Input",
    )


def test_outputs_that_are_not_numbers_are_refused_with_the_fix(account, capsys):
    window = data.sample(seed=2, n=40)
    lines = [data.capture_line(row, "approve", f"req-{i}") for i, row in enumerate(window.rows)]
    put_capture(account, "\n".join(lines))
    code, _, err = run_cli(account, capsys, settings=ATTRIBUTION)
    assert code == 2
    assert_refused(
        account,
        err,
        "the capture under s3://capture/capture/credit-risk/ holds 40 output(s) that are not "
        "numbers (e.g. 'approve')",
        "set inference_attribute to the field holding the score",
    )


def test_a_baseline_without_predictions_is_refused_with_the_fix(account, capsys):
    features_only = "\n".join(
        ",".join(line.split(",")[:3]) for line in data.baseline_csv(data.sample(1, 50)).splitlines()
    )
    account["s3"].put_object(Bucket="monitoring", Key="baselines/inputs.csv", Body=features_only)
    put_capture(account, data.capture_file(data.sample(seed=2, n=40)))
    code, _, err = run_cli(
        account,
        capsys,
        settings=ATTRIBUTION,
        **{"baseline-s3-uri": "s3://monitoring/baselines/inputs.csv"},
    )
    assert code == 2
    assert_refused(
        account,
        err,
        "baseline s3://monitoring/baselines/inputs.csv has no column prediction",
        "fix features / label_column / prediction_column",
    )
