"""The job's settings: every problem reported at once, naming the setting and the fix."""

from __future__ import annotations

import json
import re

import pytest

from mlrails_monitoring_job.__main__ import main
from mlrails_monitoring_job.errors import JobInputError
from mlrails_monitoring_job.handler import scheduled_time, settings_from_environment

ENVIRONMENT = {
    "ENDPOINT_NAME": "credit",
    "MONITOR_NAME": "credit-monitor",
    "CAPTURE_S3_URI": "s3://capture/c",
    "BASELINE_S3_URI": "s3://mon/baseline.csv",
    "REPORT_S3_URI": "s3://mon/reports",
    "REPORT_KMS_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/k",
}


def test_the_environment_the_component_sets_is_accepted():
    settings = settings_from_environment(
        {**ENVIRONMENT, "MONITOR_SETTINGS": json.dumps({"drift_method": "ks", "window_hours": 3})}
    )
    assert (settings.drift_method, settings.window_hours) == ("ks", 3)
    assert settings.metric_namespace == "mlrails/ModelMonitoring"


def test_every_problem_is_reported_at_once():
    environment = {**ENVIRONMENT, "CAPTURE_S3_URI": "capture/c", "ENDPOINT_NAME": ""}
    with pytest.raises(JobInputError) as error:
        settings_from_environment(environment)
    assert error.value.problems == [
        "setting ENDPOINT_NAME is missing: set it (the component does)",
        "setting CAPTURE_S3_URI='capture/c' is not an S3 URI: use s3://bucket/prefix",
    ]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param({"drift_method": "eyeball"}, "drift_method 'eyeball'", id="method"),
        pytest.param({"window_hours": 0}, "window_hours 0", id="window"),
        pytest.param({"drift_share": 1.5}, "drift_share 1.5", id="share"),
        pytest.param({"problem_type": "Regression"}, "set GROUND_TRUTH_S3_URI", id="no-labels"),
        pytest.param({"segments": ["region"]}, "set problem_type", id="segments-alone"),
        pytest.param({"colour": 1}, "setting 'colour' is unknown", id="unknown"),
        pytest.param(
            {"feature_drift_thresholds": {"age": -1}}, "feature_drift_thresholds.age", id="thr"
        ),
        pytest.param(
            {"attribution_ndcg_threshold": 1.2},
            r"attribution_ndcg_threshold 1.2: NDCG lies in \[0, 1\]",
            id="ndcg-above-one",
        ),
        pytest.param(
            {"attribution_ndcg_threshold": 0}, "attribution_ndcg_threshold 0", id="ndcg-zero"
        ),
        pytest.param(
            {"attribution_ndcg_threshold": "high"},
            "attribution_ndcg_threshold 'high'",
            id="ndcg-text",
        ),
    ],
)
def test_bad_structured_settings_are_refused(settings, message):
    environment = {**ENVIRONMENT, "MONITOR_SETTINGS": json.dumps(settings)}
    with pytest.raises(JobInputError, match=message):
        settings_from_environment(environment)


def test_an_aws_reserved_namespace_is_refused():
    with pytest.raises(JobInputError, match="not starting with 'AWS/'"):
        settings_from_environment({**ENVIRONMENT, "METRIC_NAMESPACE": "AWS/SageMaker"})


def test_the_schedules_time_is_the_end_of_the_analysed_window():
    assert scheduled_time({"scheduled_time": "2026-11-29T12:05:00Z"}).isoformat() == (
        "2026-11-29T12:05:00+00:00"
    )
    assert scheduled_time({}) is None


def test_a_malformed_scheduled_time_names_the_input_the_schedule_must_send():
    with pytest.raises(JobInputError, match=re.escape("<aws.scheduler.scheduled-time>")):
        scheduled_time({"scheduled_time": "yesterday"})


def test_the_cli_refuses_a_malformed_end_time_with_exit_2(capsys):
    assert main(["--end-time", "noon"]) == 2
    assert "--end-time 'noon'" in capsys.readouterr().err
