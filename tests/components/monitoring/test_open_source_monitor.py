"""OpenSourceMonitor under the offline engine: schedule, function, roles, alarms, dashboard."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mlrails.errors import UserError
from mlrails_components.monitoring import OpenSourceMonitor
from mlrails_monitoring_job import metric_names as names
from mlrails_monitoring_job.publish import metric_data
from tests.components.conftest import (
    TAGS,
    children,
    document,
    judge,
    resource,
    statement,
    unsettled,
)

KEY = "arn:aws:kms:eu-west-1:123456789012:key/monitor"
CAPTURE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/capture"
ARTIFACT_KEY = "arn:aws:kms:eu-west-1:123456789012:key/artifacts"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlrails-monitoring-job:1.0.0"
BASE = {
    "endpoint_name": "credit-0123456",
    "data_capture_enabled": True,
    "data_capture_s3_uri": "s3://capture/credit/",
    "data_capture_kms_key_arn": CAPTURE_KEY,
    "output_s3_uri": "s3://monitoring/credit",
    "output_kms_key_arn": KEY,
    "job_image_uri": IMAGE,
    "data_quality": {
        "baseline_dataset_uri": "s3://artifacts/credit/baseline.csv",
        "baseline_kms_key_arn": ARTIFACT_KEY,
        "drift_thresholds": {"income": 0.2},
    },
    "alarm_actions": [TOPIC],
    "tags": TAGS,
}
QUALITY = {"problem_type": "BinaryClassification", "ground_truth_s3_uri": "s3://monitoring/truth"}
FULL = {
    "model_quality": QUALITY,
    "model_bias": {"segments": ["region"]},
    "feature_attribution": {"ndcg_threshold": 0.85},
}


def monitor(program, args=FULL, mode="resolved"):
    return program(
        lambda: OpenSourceMonitor("credit-monitor", {**BASE, **args}),
        mode=mode,
        config={"aws:region": "eu-west-1"},
    )


def test_it_declares_schedule_function_roles_alarms_and_dashboard(program):
    plan = monitor(program)
    assert sorted(children(plan, "credit-monitor")) == sorted(
        [
            ("aws:iam/role:Role", "credit-monitor-role"),
            ("aws:iam/rolePolicy:RolePolicy", "credit-monitor-role-policy"),
            ("aws:cloudwatch/logGroup:LogGroup", "credit-monitor-logs"),
            ("aws:lambda/function:Function", "credit-monitor-function"),
            ("aws:iam/role:Role", "credit-monitor-scheduler-role"),
            ("aws:iam/rolePolicy:RolePolicy", "credit-monitor-scheduler-role-policy"),
            ("aws:scheduler/schedule:Schedule", "credit-monitor-schedule"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "credit-monitor-drift"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "credit-monitor-attribution"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "credit-monitor-quality"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "credit-monitor-bias"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "credit-monitor-drift-income"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "credit-monitor-job-errors"),
            ("aws:cloudwatch/dashboard:Dashboard", "credit-monitor-dashboard"),
        ]
    )


def test_the_function_runs_the_image_with_the_jobs_settings(program):
    function = resource(monitor(program), "credit-monitor-function").inputs
    assert (function["packageType"], function["imageUri"]) == ("Image", IMAGE)
    assert (function["memorySize"], function["timeout"]) == (2048, 900)
    variables = function["environment"]["variables"]
    assert variables["ENDPOINT_NAME"] == "credit-0123456"
    assert variables["GROUND_TRUTH_S3_URI"] == "s3://monitoring/truth"
    assert variables["REPORT_KMS_KEY_ARN"] == KEY
    assert json.loads(variables["MONITOR_SETTINGS"]) == {
        "attribution_ndcg_threshold": 0.85,
        "drift_method": "psi",
        "drift_share": 0.5,
        "feature_drift_thresholds": {"income": 0.2},
        "ground_truth_delay_hours": 0,
        "problem_type": "BinaryClassification",
        "quality_max_degradation": 0.05,
        "segment_gap_threshold": 0.1,
        "segments": ["region"],
        "window_hours": 1,
    }


def test_the_job_environment_is_settings_the_job_accepts(program):
    from mlrails_monitoring_job.handler import settings_from_environment

    variables = resource(monitor(program), "credit-monitor-function").inputs["environment"]
    settings = settings_from_environment(variables["variables"])
    assert settings.segments == ["region"]
    assert settings.attribution_ndcg_threshold == 0.85
    assert settings.monitor_name == variables["variables"]["MONITOR_NAME"]


def test_the_jobs_role_reads_its_inputs_and_writes_only_reports_and_its_metrics(program):
    policy = document(monitor(program), "credit-monitor-role-policy")
    lists = [s for s in policy["Statement"] if s["Action"] == "s3:ListBucket"]
    assert {(s["Resource"], tuple(s["Condition"]["StringLike"]["s3:prefix"])) for s in lists} == {
        ("arn:aws:s3:::capture", ("credit/credit-0123456/*",)),
        ("arn:aws:s3:::monitoring", ("truth/*",)),
    }
    assert statement(policy, "ReadCaptureBaselineAndGroundTruth")["Resource"] == [
        "arn:aws:s3:::artifacts/credit/baseline.csv",
        "arn:aws:s3:::capture/credit/credit-0123456/*",
        "arn:aws:s3:::monitoring/truth/*",
    ]
    decrypt = statement(policy, "DecryptInputs")
    assert decrypt["Resource"] == sorted([ARTIFACT_KEY, CAPTURE_KEY, KEY])
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}
    }
    assert statement(policy, "WriteReports")["Resource"] == "arn:aws:s3:::monitoring/credit/*"
    assert statement(policy, "EncryptReports")["Resource"] == KEY
    metrics = statement(policy, "PublishMonitoringMetrics")
    assert metrics["Condition"] == {
        "StringEquals": {"cloudwatch:namespace": "mlrails/ModelMonitoring"}
    }
    logs = statement(policy, "WriteJobLogs")["Resource"]
    assert logs.startswith("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/credit-")


def test_the_scheduler_may_invoke_only_the_job(program):
    plan = monitor(program)
    schedule = resource(plan, "credit-monitor-schedule").inputs
    assert schedule["scheduleExpression"] == "cron(5 * * * ? *)"
    assert json.loads(schedule["target"]["input"]) == {
        "scheduled_time": "<aws.scheduler.scheduled-time>"
    }
    (grant,) = document(plan, "credit-monitor-scheduler-role-policy")["Statement"]
    name = resource(plan, "credit-monitor-function").inputs["name"]
    assert grant["Action"] == "lambda:InvokeFunction"
    assert grant["Resource"] == f"arn:aws:lambda:eu-west-1:123456789012:function:{name}"
    trust = document(plan, "credit-monitor-scheduler-role", "assumeRolePolicy")["Statement"][0]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def published_by_the_job(monitor_name: str) -> set[tuple[str, tuple]]:
    """(metric, dimensions) of every metric a run with every finding publishes, as the job
    builds them."""
    findings = {
        "records": 10,
        "drift": {
            "dataset_drift": True,
            "drifted_share": 1.0,
            "features": {"income": {"score": 0.4, "drifted": True}},
        },
        "attribution": {"ndcg": 0.7, "drift": True},
        "quality": {
            "matched": 5,
            "degradation": 0.2,
            "violation": True,
            "segments": {"region=east": 0.3},
            "bias_violation": True,
        },
    }
    return {
        (d["MetricName"], tuple(sorted((x["Name"], x["Value"]) for x in d["Dimensions"])))
        for d in metric_data("credit-0123456", monitor_name, datetime.now(UTC), findings)
    }


def test_alarms_select_exactly_the_metrics_the_job_publishes(program):
    plan = monitor(program)
    published = published_by_the_job(resource(plan, "credit-monitor-function").inputs["name"])
    for suffix in ("drift", "attribution", "quality", "bias", "drift-income"):
        alarm = resource(plan, f"credit-monitor-{suffix}").inputs
        assert alarm["namespace"] == names.DEFAULT_NAMESPACE
        selected = (alarm["metricName"], tuple(sorted(alarm["dimensions"].items())))
        assert selected in published, suffix
        assert alarm["alarmActions"] == alarm["okActions"] == [TOPIC]
        assert (alarm["comparisonOperator"], alarm["threshold"]) == (
            "GreaterThanOrEqualToThreshold",
            1.0,
        )


def test_a_failed_run_alarms_on_the_functions_errors(program):
    plan = monitor(program)
    alarm = resource(plan, "credit-monitor-job-errors").inputs
    name = resource(plan, "credit-monitor-function").inputs["name"]
    assert (alarm["namespace"], alarm["metricName"]) == ("AWS/Lambda", "Errors")
    assert alarm["dimensions"] == {"FunctionName": name}


def test_the_dashboard_graphs_findings_feature_drift_and_failures(program):
    body = json.loads(
        resource(monitor(program), "credit-monitor-dashboard").inputs["dashboardBody"]
    )
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert titles == [
        "Findings (1 = found)",
        "Drift score per feature",
        "Feature-attribution NDCG (1 = baseline ranking)",
        "Failed runs",
    ]
    lines = [row[1] for row in body["widgets"][0]["properties"]["metrics"]]
    assert lines == [
        names.DATASET_DRIFT,
        names.FEATURE_ATTRIBUTION_DRIFT,
        names.MODEL_QUALITY_VIOLATION,
        names.BIAS_VIOLATION,
    ]


def test_every_dashboard_line_of_the_job_is_a_metric_the_job_publishes(program):
    plan = monitor(program)
    published = published_by_the_job(resource(plan, "credit-monitor-function").inputs["name"])
    body = json.loads(resource(plan, "credit-monitor-dashboard").inputs["dashboardBody"])
    lines = [row for widget in body["widgets"] for row in widget["properties"]["metrics"]]
    ours = [row for row in lines if row[0] == names.DEFAULT_NAMESPACE]
    assert len(ours) == 6  # four findings, income's drift score, the attribution NDCG
    for _, metric, *dimensions, _ in ours:
        selected = (metric, tuple(sorted(zip(dimensions[::2], dimensions[1::2], strict=True))))
        assert selected in published, metric


def test_without_feature_attribution_there_is_no_attribution_alarm_or_line(program):
    plan = monitor(program, {"model_quality": QUALITY})
    names_declared = [name for _, name in children(plan, "credit-monitor")]
    assert "credit-monitor-attribution" not in names_declared
    body = resource(plan, "credit-monitor-dashboard").inputs["dashboardBody"]
    assert names.FEATURE_ATTRIBUTION_NDCG not in body
    variables = resource(plan, "credit-monitor-function").inputs["environment"]["variables"]
    assert "attribution_ndcg_threshold" not in json.loads(variables["MONITOR_SETTINGS"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param({}, {"attribution_ndcg_threshold": 0.9}, id="clarifys-threshold"),
        pytest.param(
            {"inference_attribute": "score"},
            {"attribution_ndcg_threshold": 0.9, "inference_attribute": "score"},
            id="json-output-field",
        ),
    ],
)
def test_feature_attribution_reaches_the_jobs_settings(program, args, expected):
    plan = monitor(program, {"feature_attribution": args})
    variables = resource(plan, "credit-monitor-function").inputs["environment"]["variables"]
    settings = json.loads(variables["MONITOR_SETTINGS"])
    assert {k: settings.get(k) for k in expected} == expected


def test_the_pack_passes_the_monitor(program):
    assert unsettled(judge(monitor(program))) == []


def test_it_previews_with_unknown_endpoint_and_buckets(program):
    plan = monitor(program, mode="preview")
    assert resource(plan, "credit-monitor-schedule")


@pytest.mark.parametrize(
    ("args", "messages"),
    [
        pytest.param(
            {"job_image_uri": "docker.io/me/job:latest", "schedule": "weekly"},
            ["Lambda runs images from Amazon ECR only", ":latest changes", "use hourly or daily"],
            id="image-and-schedule",
        ),
        pytest.param(
            {"model_bias": {"segments": ["region"]}},
            ["enable model_quality too"],
            id="bias-without-quality",
        ),
        pytest.param(
            {"memory_size_mb": 64, "timeout_seconds": 3600, "metric_namespace": "AWS/SageMaker"},
            ["Lambda allows 128 to 10240", "Lambda allows 1 to 900", "CloudWatch reserves AWS/"],
            id="lambda-limits-and-namespace",
        ),
        pytest.param(
            {"data_capture_enabled": False},
            ["this endpoint captures none"],
            id="no-capture",
        ),
        pytest.param(
            {"feature_attribution": {"ndcg_threshold": 1.5}},
            [
                "feature_attribution.ndcg_threshold",
                "1.5",
                "NDCG lies in [0, 1], so a threshold outside (0, 1] alarms always or never",
                "use e.g. 0.9 (Clarify's)",
            ],
            id="attribution-threshold-above-one",
        ),
        pytest.param(
            {"feature_attribution": {"ndcg_threshold": 0}},
            ["feature_attribution.ndcg_threshold", "alarms always or never"],
            id="attribution-threshold-zero",
        ),
        pytest.param(
            {
                "model_quality": {**QUALITY, "inference_attribute": "label"},
                "feature_attribution": {"inference_attribute": "score"},
            },
            ["the job reads one output field, and model_quality.inference_attribute is 'label'"],
            id="two-output-fields",
        ),
    ],
)
def test_bad_arguments_are_reported_together(program, args, messages):
    with pytest.raises(UserError) as error:
        monitor(program, args)
    for message in messages:
        assert message in str(error.value)


def test_a_feature_without_a_fixed_threshold_alarms_outside_its_learned_band(program):
    args = {
        "data_quality": {
            **BASE["data_quality"],
            "anomaly_detection_features": ["tenure"],
            "anomaly_band_stddev": 3,
        }
    }
    plan = monitor(program, args)
    alarm = resource(plan, "credit-monitor-drift-anomaly-tenure").inputs
    assert alarm["comparisonOperator"] == "GreaterThanUpperThreshold"
    assert alarm["thresholdMetricId"] == "band"
    score, band = alarm["metricQueries"]
    assert band["expression"] == "ANOMALY_DETECTION_BAND(score, 3)"
    assert score["metric"]["metricName"] == names.FEATURE_DRIFT_SCORE
    assert score["metric"]["dimensions"]["Feature"] == "tenure"
    assert alarm["alarmActions"] == alarm["okActions"] == [TOPIC]
    assert unsettled(judge(plan)) == []
