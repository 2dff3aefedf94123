"""The monitoring job end to end on the moto server: capture files in S3 as an endpoint writes
them, a baseline, ground truth; the job's metrics in CloudWatch and its reports in S3."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from mlrails_monitoring_job import metric_names as names
from mlrails_monitoring_job.handler import handler
from tests.monitoring_job import data
from tests.monitoring_job.runs import (
    ENDPOINT,
    MONITOR,
    NAMESPACE,
    WINDOW_HOUR,
    metric_value,
    put_capture,
    put_ground_truth,
    run_cli,
)


def test_the_baselines_own_distribution_is_not_drift(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=2, n=300)))
    code, report, err = run_cli(account, capsys)
    assert code == 0, err
    assert report["records"] == 300
    assert report["drift"]["dataset_drift"] is False
    assert not any(f["drifted"] for f in report["drift"]["features"].values())
    assert metric_value(account, names.DATASET_DRIFT) == 0.0
    assert metric_value(account, names.FEATURE_DRIFT, Feature="income") == 0.0
    assert metric_value(account, names.CAPTURED_RECORDS) == 300.0


def test_shifted_features_are_drift_per_feature_and_overall(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=3, n=300, shift=1.5)))
    code, report, err = run_cli(account, capsys)
    assert code == 0, err
    features = report["drift"]["features"]
    assert features["age"]["drifted"] and features["income"]["drifted"]
    assert not features["region"]["drifted"]
    assert report["drift"]["dataset_drift"] is True
    assert metric_value(account, names.DATASET_DRIFT) == 1.0
    assert metric_value(account, names.FEATURE_DRIFT, Feature="age") == 1.0
    assert metric_value(account, names.FEATURE_DRIFT, Feature="region") == 0.0
    score = metric_value(account, names.FEATURE_DRIFT_SCORE, Feature="income")
    assert score == pytest.approx(features["income"]["score"])


def test_every_variants_capture_of_the_window_is_read_and_no_other_hour(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=2, n=120), "main"))
    put_capture(account, data.capture_file(data.sample(seed=3, n=80), "canary"), variant="canary")
    earlier = data.capture_file(data.sample(seed=4, n=50, shift=3))
    put_capture(account, earlier, WINDOW_HOUR - timedelta(hours=1))
    code, report, err = run_cli(account, capsys)
    assert code == 0, err
    assert report["records"] == 200
    assert report["drift"]["dataset_drift"] is False


def test_a_per_feature_threshold_decides_that_features_drift(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=3, n=300, shift=1.5)))
    lenient = {"feature_drift_thresholds": {"age": 1000.0}}
    code, report, err = run_cli(account, capsys, settings=lenient)
    assert code == 0, err
    assert not report["drift"]["features"]["age"]["drifted"]
    assert report["drift"]["features"]["income"]["drifted"]


def test_reports_are_written_encrypted_with_the_monitoring_key(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=2, n=200)))
    code, report, err = run_cli(account, capsys)
    assert code == 0, err
    stamp = f"reports/{MONITOR}/2026/11/29/12"
    assert report["reports"] == {
        "json": f"s3://monitoring/{stamp}/report.json",
        "html": f"s3://monitoring/{stamp}/report.html",
    }
    for name, content_type in (("report.json", "application/json"), ("report.html", "text/html")):
        head = account["s3"].head_object(Bucket="monitoring", Key=f"{stamp}/{name}")
        assert head["ServerSideEncryption"] == "aws:kms"
        assert head["SSEKMSKeyId"] == account["key_arn"]
        assert head["ContentType"] == content_type
    body = account["s3"].get_object(Bucket="monitoring", Key=f"{stamp}/report.json")["Body"]
    stored = json.loads(body.read())
    assert stored["endpoint_name"] == ENDPOINT
    assert set(stored["drift"]["features"]) == {"age", "income", "region"}


def test_model_quality_joins_ground_truth_by_inference_id(account, capsys):
    window = data.sample(seed=4, n=300, wrong_share=0.45)
    put_capture(account, data.capture_file(window))
    # Labels arrive an hour later than the requests they label.
    put_ground_truth(account, data.ground_truth_file(window), WINDOW_HOUR + timedelta(hours=1))
    settings = {"problem_type": "BinaryClassification", "quality_max_degradation": 0.1}
    code, report, err = run_cli(
        account,
        capsys,
        settings=settings,
        **{"ground-truth-s3-uri": "s3://monitoring/ground-truth"},
    )
    assert code == 0, err
    assert report["quality"]["metric"] == "Accuracy"
    assert metric_value(account, names.GROUND_TRUTH_MATCHED) == 300.0
    # Baseline accuracy about 0.9, window about 0.55: a degradation well above 0.1.
    assert metric_value(account, names.MODEL_QUALITY_DEGRADATION) > 0.25
    assert metric_value(account, names.MODEL_QUALITY_VIOLATION) == 1.0


def test_a_segment_the_model_fails_is_a_bias_violation(account, capsys):
    window = data.sample(seed=5, n=300, wrong_region="east")
    put_capture(account, data.capture_file(window))
    put_ground_truth(account, data.ground_truth_file(window))
    settings = {"problem_type": "BinaryClassification", "segments": ["region"]}
    code, report, err = run_cli(
        account,
        capsys,
        settings=settings,
        **{"ground-truth-s3-uri": "s3://monitoring/ground-truth"},
    )
    assert code == 0, err
    assert set(report["quality"]["segments"]) == {"region=east", "region=north", "region=south"}
    assert metric_value(account, names.SEGMENT_QUALITY_GAP, Segment="region=east") > 0.5
    assert metric_value(account, names.SEGMENT_QUALITY_GAP, Segment="region=north") < 0.1
    assert metric_value(account, names.BIAS_VIOLATION) == 1.0


def test_malformed_capture_lines_are_reported_with_file_and_line(account, capsys):
    good = data.capture_file(data.sample(seed=2, n=5))
    key = put_capture(account, good + "\n{not json\n" + json.dumps({"captureData": {}}))
    code, _, err = run_cli(account, capsys)
    assert code == 2
    assert f"s3://capture/{key} line 6: not a JSON capture record" in err
    assert f"s3://capture/{key} line 7: eventMetadata is missing" in err
    assert "Traceback" not in err
    names_published = account["cloudwatch"].list_metrics(Namespace=NAMESPACE)["Metrics"]
    assert names_published == []


def test_a_missing_baseline_is_one_clear_message(account, capsys):
    put_capture(account, data.capture_file(data.sample(seed=2, n=5)))
    code, _, err = run_cli(account, capsys, **{"baseline-s3-uri": "s3://monitoring/none.csv"})
    assert code == 2
    assert "baseline s3://monitoring/none.csv cannot be read (NoSuchKey" in err
    assert "fix BASELINE_S3_URI" in err


def test_an_empty_window_is_refused_not_reported_as_no_drift(account, capsys):
    put_capture(
        account, data.capture_file(data.sample(seed=2, n=5)), WINDOW_HOUR - timedelta(hours=3)
    )
    code, _, err = run_cli(account, capsys)
    assert code == 2
    assert "no captured requests under s3://capture/capture/credit-risk/" in err
    assert "2026-11-29T11:00 to 2026-11-29T12:00 UTC" in err


def test_the_lambda_handler_reads_its_environment_and_runs(account, monkeypatch):
    put_capture(account, data.capture_file(data.sample(seed=3, n=200, shift=1.5)))
    environment = {
        "ENDPOINT_NAME": ENDPOINT,
        "MONITOR_NAME": MONITOR,
        "CAPTURE_S3_URI": "s3://capture/capture",
        "BASELINE_S3_URI": "s3://monitoring/baselines/train.csv",
        "REPORT_S3_URI": "s3://monitoring/reports",
        "REPORT_KMS_KEY_ARN": account["key_arn"],
        "METRIC_NAMESPACE": NAMESPACE,
        "MONITOR_SETTINGS": json.dumps({"window_hours": 2}),
        "AWS_ENDPOINT_URL": account["url"],
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = handler({"scheduled_time": "2026-11-29T12:05:00Z"})
    assert result["dataset_drift"] is True
    assert result["records"] == 200
    assert metric_value(account, names.DATASET_DRIFT) == 1.0
