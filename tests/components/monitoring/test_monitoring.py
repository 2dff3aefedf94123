"""Monitoring components under the offline engine: schedules, jobs, alarms, topic, dashboard."""

from __future__ import annotations

import json
import re

import pulumi_aws as aws
import pytest

from mlrails.errors import UserError
from mlrails_components.monitoring import (
    AlertTopic,
    EndpointAlarms,
    EndpointDashboard,
    ModelMonitor,
)
from mlrails_components.monitoring.dashboard import dashboard_body
from mlrails_components.monitoring.schedules import schedule_expression
from mlrails_components.sagemaker import ModelEndpoint
from tests.components.conftest import (
    TAGS,
    children,
    document,
    judge,
    resource,
    statement,
    unsettled,
    violations,
)
from tests.conftest import REPO

KEY = "arn:aws:kms:eu-west-1:123456789012:key/monitor"
CAPTURE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/capture"
BASELINE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/artifacts"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
BASE = {
    "endpoint_name": "credit-0123456",
    "data_capture_enabled": True,
    "data_capture_s3_uri": "s3://capture/credit/",
    "data_capture_kms_key_arn": CAPTURE_KEY,
    "output_s3_uri": "s3://monitoring/credit",
    "output_kms_key_arn": KEY,
    "baselines_kms_key_arn": BASELINE_KEY,
    "ground_truth_kms_key_arn": KEY,
    "alarm_actions": [TOPIC],
    "tags": TAGS,
}
DQ = {
    "baseline_constraints_uri": "s3://art/dq/constraints.json",
    "baseline_statistics_uri": "s3://art/dq/statistics.json",
}
MQ = {
    "problem_type": "BinaryClassification",
    "ground_truth_s3_uri": "s3://monitoring/truth",
    "baseline_constraints_uri": "s3://art/mq/constraints.json",
    "probability_attribute": "score",
    "probability_threshold": 0.6,
}
BIAS = {
    "analysis_config_uri": "s3://art/bias/analysis.json",
    "baseline_constraints_uri": "s3://art/bias/constraints.json",
    "ground_truth_s3_uri": "s3://monitoring/truth",
}
EXPL = {
    "analysis_config_uri": "s3://art/expl/analysis.json",
    "baseline_constraints_uri": "s3://art/expl/constraints.json",
}
ALL = {
    "data_quality": {**DQ, "drift_thresholds": {"income": 0.2}},
    "model_quality": MQ,
    "model_bias": BIAS,
    "model_explainability": EXPL,
}


def monitor(program, args=ALL, mode="resolved", base=BASE):
    return program(
        lambda: ModelMonitor("credit-monitor", {**base, **args}),
        mode=mode,
        config={"aws:region": "eu-west-1"},
    )


def by_type(plan, type_):
    return [r for r in plan.resources if r.type == type_]


def test_every_kind_has_a_job_definition_and_a_schedule(program):
    plan = monitor(program)
    schedules = {
        r.inputs["monitoringScheduleConfig"]["monitoringType"]: r.inputs
        for r in by_type(plan, "aws:sagemaker/monitoringSchedule:MonitoringSchedule")
    }
    assert set(schedules) == {"DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"}
    assert schedules["DataQuality"]["monitoringScheduleConfig"]["scheduleConfig"] == {
        "scheduleExpression": "cron(0 * ? * * *)"
    }
    assert schedules["ModelQuality"]["monitoringScheduleConfig"]["scheduleConfig"] == {
        "scheduleExpression": "cron(0 0 ? * * *)"
    }
    jobs = {
        r.type.rsplit(":", 1)[1]: r.inputs
        for r in plan.resources
        if r.type.endswith("JobDefinition")
    }
    assert set(jobs) == {
        "DataQualityJobDefinition",
        "ModelQualityJobDefinition",
        "ModelBiasJobDefinition",
        "ModelExplainabilityJobDefinition",
    }
    # The pulumi-aws job definition is auto-named offline; the aws-native ones are named by
    # CloudFormation at create time, unknown until then (and linked by dependency, below).
    names = {j.get("name") for j in jobs.values()} - {None}
    referenced = {
        s["monitoringScheduleConfig"]["monitoringJobDefinitionName"] for s in schedules.values()
    }
    assert names and names <= referenced


def test_job_definitions_are_named_by_the_provider_and_schedules_follow_them(program):
    """A job definition has no update API (every field is create-only), so a new baseline
    replaces it; Pulumi creates the replacement first, which a fixed name would make collide.
    Provider-chosen names (pulumi-aws: "If omitted, the provider will assign a random, unique
    name") let the schedule, updated in place, move to the new definition."""
    plan = monitor(program)
    native = [r for r in plan.resources if r.type.startswith("aws-native:sagemaker:")]
    assert len(native) == 3 and all("jobDefinitionName" not in r.inputs for r in native)
    # The engine records the provider's auto-name: the logical name and a random suffix.
    data_quality = by_type(plan, "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition")
    assert data_quality[0].inputs["name"].startswith("credit-monitor-data-quality-job-")
    for schedule in by_type(plan, "aws:sagemaker/monitoringSchedule:MonitoringSchedule"):
        job_name = schedule.property_dependencies["monitoringScheduleConfig"]
        assert any(
            r.urn in job_name and r.type.endswith("JobDefinition") for r in plan.resources
        ), schedule.name
        assert re.fullmatch(r"credit-monitor-[a-z-]+-schedule-[0-9a-f]{7}", schedule.inputs["name"])


def test_data_quality_job_reads_the_endpoint_against_its_baseline(program):
    job = by_type(
        monitor(program), "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
    )[0].inputs
    assert (
        job["dataQualityAppSpecification"]["imageUri"]
        == "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"
    )
    assert job["dataQualityAppSpecification"]["environment"] == {
        "publish_cloudwatch_metrics": "Enabled"
    }
    assert job["dataQualityBaselineConfig"] == {
        "constraintsResource": {"s3Uri": "s3://art/dq/constraints.json"},
        "statisticsResource": {"s3Uri": "s3://art/dq/statistics.json"},
    }
    assert job["dataQualityJobInput"]["endpointInput"]["endpointName"] == "credit-0123456"
    output = job["dataQualityJobOutputConfig"]
    assert (
        output["kmsKeyId"] == KEY
        and output["monitoringOutputs"]["s3Output"]["s3Uri"]
        == "s3://monitoring/credit/data-quality/"
    )
    assert job["jobResources"]["clusterConfig"]["volumeKmsKeyId"] == KEY
    assert job["networkConfig"] == {
        "enableInterContainerTrafficEncryption": True,
        "enableNetworkIsolation": True,
    }


def test_native_job_definitions_carry_ground_truth_analysis_config_and_clarify_image(program):
    plan = monitor(program)
    quality = by_type(plan, "aws-native:sagemaker:ModelQualityJobDefinition")[0].inputs
    assert quality["modelQualityAppSpecification"]["problemType"] == "BinaryClassification"
    assert quality["modelQualityJobInput"]["groundTruthS3Input"] == {
        "s3Uri": "s3://monitoring/truth"
    }
    assert quality["modelQualityJobInput"]["endpointInput"]["probabilityAttribute"] == "score"
    assert quality["modelQualityJobInput"]["endpointInput"]["probabilityThresholdAttribute"] == 0.6
    assert quality["tags"] == [
        {"key": "owner", "value": "ml"},
        {"key": "cost-center", "value": "cc-1"},
        {"key": "data-classification", "value": "internal"},
    ]
    bias = by_type(plan, "aws-native:sagemaker:ModelBiasJobDefinition")[0].inputs
    assert bias["modelBiasAppSpecification"] == {
        "imageUri": "131013547314.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-clarify-processing:1.0",
        "configUri": "s3://art/bias/analysis.json",
    }
    assert bias["modelBiasJobOutputConfig"]["kmsKeyId"] == KEY
    explain = by_type(plan, "aws-native:sagemaker:ModelExplainabilityJobDefinition")[0].inputs
    assert (
        explain["modelExplainabilityJobInput"]["endpointInput"]["endpointName"] == "credit-0123456"
    )


def test_violations_reach_the_alert_topic_through_eventbridge(program):
    plan = monitor(program, {"data_quality": DQ})
    rule = by_type(plan, "aws:cloudwatch/eventRule:EventRule")[0].inputs
    pattern = json.loads(rule["eventPattern"])
    schedule = by_type(plan, "aws:sagemaker/monitoringSchedule:MonitoringSchedule")[0].inputs[
        "name"
    ]
    assert pattern["detail"]["MonitoringScheduleArn"] == [
        f"arn:aws:sagemaker:eu-west-1:123456789012:monitoring-schedule/{schedule.lower()}"
    ]
    assert pattern["detail"]["ExitMessage"] == [{"prefix": "CompletedWithViolations"}]
    assert by_type(plan, "aws:cloudwatch/eventTarget:EventTarget")[0].inputs["arn"] == TOPIC


def test_drift_alarm_watches_the_published_feature_metric(program):
    plan = monitor(program)
    alarm = resource(plan, "credit-monitor-drift-income").inputs
    schedule = next(
        r.inputs["name"]
        for r in by_type(plan, "aws:sagemaker/monitoringSchedule:MonitoringSchedule")
        if r.inputs["monitoringScheduleConfig"]["monitoringType"] == "DataQuality"
    )
    assert (alarm["namespace"], alarm["metricName"], alarm["statistic"], alarm["threshold"]) == (
        "aws/sagemaker/Endpoints/data-metrics",
        "feature_baseline_drift_income",
        "Maximum",
        0.2,
    )
    assert alarm["dimensions"] == {"Endpoint": "credit-0123456", "MonitoringSchedule": schedule}
    assert alarm["alarmActions"] == [TOPIC] and alarm["treatMissingData"] == "notBreaching"


def test_role_can_read_every_input_write_reports_and_run_its_jobs(program):
    """W3. DG sagemaker-roles.md, "CreateProcessingJob API: Execution Role Permissions":
    s3:ListBucket on input buckets, s3:GetObject on inputs, kms:Decrypt "if your input is
    encrypted using SSE-KMS", kms:Encrypt for the output key, kms:CreateGrant "if you specify a
    volume KMS key", ECR pull scoped to AppSpecification.ImageUri."""
    policy = document(monitor(program), "credit-monitor-role-policy")
    assert statement(policy, "ReadBaselines")["Resource"] == [
        f"arn:aws:s3:::art/{kind}/{name}"
        for kind, name in (
            ("bias", "analysis.json"),
            ("bias", "constraints.json"),
            ("dq", "constraints.json"),
            ("dq", "statistics.json"),
            ("expl", "analysis.json"),
            ("expl", "constraints.json"),
            ("mq", "constraints.json"),
        )
    ]
    assert statement(policy, "ReadCapturedData")["Resource"] == "arn:aws:s3:::capture/credit/*"
    assert statement(policy, "ReadGroundTruth")["Resource"] == ["arn:aws:s3:::monitoring/truth/*"]
    assert statement(policy, "ListCapturedData") == {
        "Sid": "ListCapturedData",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::capture",
        "Condition": {"StringLike": {"s3:prefix": ["credit/*", "credit"]}},
    }
    assert statement(policy, "ListGroundTruth")["Resource"] == "arn:aws:s3:::monitoring"
    assert statement(policy, "ListGroundTruth")["Condition"] == {
        "StringLike": {"s3:prefix": ["truth/*", "truth"]}
    }
    decrypt = statement(policy, "DecryptInputs")
    assert decrypt["Action"] == "kms:Decrypt"
    assert decrypt["Resource"] == sorted([BASELINE_KEY, CAPTURE_KEY, KEY])
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}
    }
    assert statement(policy, "WriteReports")["Resource"] == "arn:aws:s3:::monitoring/credit/*"
    assert "kms:Encrypt" in statement(policy, "EncryptReports")["Action"]
    assert statement(policy, "EncryptVolumes") == {
        "Sid": "EncryptVolumes",
        "Effect": "Allow",
        "Action": "kms:CreateGrant",
        "Resource": KEY,
        "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
    }
    assert statement(policy, "PullMonitorImages")["Resource"] == [
        "arn:aws:ecr:eu-west-1:131013547314:repository/sagemaker-clarify-processing",
        "arn:aws:ecr:eu-west-1:468650794304:repository/sagemaker-model-monitor-analyzer",
    ]
    assert statement(policy, "ClarifyShadowEndpoint")["Resource"][2].endswith(
        ":endpoint/sm-clarify-*"
    )


def test_only_explainability_may_create_shadow_endpoints(program):
    """Bias monitoring reads predictions from the captured data (its analysis configuration has
    no model, DG clarify-config-json-monitor-bias-parameters.md); only feature attribution needs
    a shadow endpoint (clarify-config-json-monitor-model-explainability-parameters.md)."""
    policy = document(monitor(program, {"model_bias": BIAS}), "credit-monitor-role-policy")
    assert "ClarifyShadowEndpoint" not in {s["Sid"] for s in policy["Statement"]}
    assert statement(policy, "PullMonitorImages")["Resource"] == [
        "arn:aws:ecr:eu-west-1:131013547314:repository/sagemaker-clarify-processing"
    ]


def test_without_input_keys_only_the_capture_key_is_decrypted(program):
    without_baselines_key = {k: v for k, v in BASE.items() if k != "baselines_kms_key_arn"}
    plan = monitor(program, {"data_quality": DQ}, base=without_baselines_key)
    policy = document(plan, "credit-monitor-role-policy")
    assert statement(policy, "DecryptInputs")["Resource"] == [CAPTURE_KEY]
    assert "ReadGroundTruth" not in {s["Sid"] for s in policy["Statement"]}


def job_inputs(plan) -> dict[str, dict]:
    return {
        r.type.rsplit(":", 1)[1].removesuffix("JobDefinition"): r.inputs
        for r in plan.resources
        if r.type.endswith("JobDefinition")
    }


def test_only_the_explainability_job_runs_without_network_isolation(program):
    """W4. Clarify's explainability monitor calls a shadow endpoint; "EnableNetworkIsolation must
    be set to False (default) so that Clarify can invoke an endpoint" (DG
    clarify-processing-job-configure-parameters.md; clarify-vpc.md)."""
    isolation = {
        kind: job["networkConfig"]["enableNetworkIsolation"]
        for kind, job in job_inputs(monitor(program)).items()
    }
    assert isolation == {
        "DataQuality": True,
        "ModelQuality": True,
        "ModelBias": True,
        "ModelExplainability": False,
    }


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        pytest.param(
            "hourly",
            {
                "DataQuality": 3000,
                "ModelQuality": 1800,
                "ModelBias": 1800,
                "ModelExplainability": 3000,
            },
            id="hourly",
        ),
        pytest.param(
            "daily",
            {
                "DataQuality": 3000,
                "ModelQuality": 3000,
                "ModelBias": 3000,
                "ModelExplainability": 3000,
            },
            id="daily",
        ),
    ],
)
def test_default_runtime_fits_the_schedule(program, schedule, expected):
    """F5. MonitoringStoppingCondition.MaxRuntimeInSeconds: "For data quality and model
    explainability, this can be up to 3600 seconds for an hourly schedule. For model bias and
    model quality hourly schedules, this can be up to 1800 seconds." (botocore sagemaker)."""
    every = {
        kind: {**settings, "schedule": schedule}
        for kind, settings in (
            ("data_quality", DQ),
            ("model_quality", MQ),
            ("model_bias", BIAS),
            ("model_explainability", EXPL),
        )
    }
    runtimes = {
        kind: job["stoppingCondition"]["maxRuntimeInSeconds"]
        for kind, job in job_inputs(monitor(program, every)).items()
    }
    assert runtimes == expected


@pytest.mark.parametrize(
    ("settings", "start", "end"),
    [
        pytest.param(MQ, "-PT48H", "-PT24H", id="daily-window-a-day-late"),
        pytest.param({**MQ, "schedule": "hourly"}, "-PT25H", "-PT24H", id="hourly"),
        pytest.param({**MQ, "schedule": "cron(0 0/6 ? * * *)"}, "-PT30H", "-PT24H", id="every-6h"),
        pytest.param(
            {**MQ, "end_time_offset": "-PT90M", "schedule": "hourly"},
            "-PT150M",
            "-PT90M",
            id="end-in-minutes",
        ),
        pytest.param(
            {**MQ, "start_time_offset": "-P8D", "end_time_offset": "-P1D"},
            "-P8D",
            "-P1D",
            id="given",
        ),
    ],
)
def test_model_quality_analyses_a_window_whose_ground_truth_has_arrived(
    program, settings, start, end
):
    """W5. "Ground Truth labels could be delayed. To address this, specify offsets" (DG
    model-monitor-model-quality-schedule.md; offsets are subtracted from the run's time)."""
    endpoint = job_inputs(monitor(program, {"model_quality": settings}))["ModelQuality"][
        "modelQualityJobInput"
    ]["endpointInput"]
    assert (endpoint["startTimeOffset"], endpoint["endTimeOffset"]) == (start, end)


def test_bias_has_offsets_and_explainability_none(program):
    jobs = job_inputs(monitor(program, {"model_bias": BIAS, "model_explainability": EXPL}))
    bias = jobs["ModelBias"]["modelBiasJobInput"]["endpointInput"]
    assert (bias["startTimeOffset"], bias["endTimeOffset"]) == ("-PT48H", "-PT24H")
    explain = jobs["ModelExplainability"]["modelExplainabilityJobInput"]["endpointInput"]
    assert "startTimeOffset" not in explain and "endTimeOffset" not in explain


@pytest.mark.parametrize(
    ("offset", "minutes"),
    [
        pytest.param("-PT24H", 1440, id="hours"),
        pytest.param("-P2D", 2880, id="days"),
        pytest.param("-PT90M", 90, id="minutes"),
        pytest.param("-P1DT2H", 1560, id="days-and-hours"),
        pytest.param("-PT0H", 0, id="zero"),
        pytest.param("PT24H", None, id="not-negative"),
        pytest.param("-P", None, id="empty"),
        pytest.param("-PT", None, id="empty-time"),
        pytest.param("-P1W", None, id="weeks-not-documented"),
        pytest.param("-PT1000000000000H", None, id="longer-than-15"),
    ],
)
def test_offset_syntax(offset, minutes):
    from mlrails_components.monitoring.model_monitor_defaults import offset_minutes

    assert offset_minutes(offset) == minutes


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_monitor_passes_the_monitoring_encryption_rule(program, mode):
    assert unsettled(judge(monitor(program, mode=mode)), "sagemaker-monitoring-encryption") == []
    assert unsettled(judge(monitor(program, mode=mode)), "iam-no-admin-policies") == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(
            {"data_quality": DQ, "data_capture_enabled": False},
            "`data_capture_enabled` is False: Model Monitor analyses captured requests",
            id="capture-off",
        ),
        pytest.param(
            {"data_quality": {**DQ, "schedule": "cron(*/5 * * * ? *)"}},
            "`data_quality.schedule` is 'cron(*/5 * * * ? *)'",
            id="every-5-minutes",
        ),
        pytest.param(
            {"data_quality": {**DQ, "schedule": "weekly"}},
            "SageMaker monitors hourly, daily",
            id="weekly",
        ),
        pytest.param(
            {"data_quality": {"baseline_constraints_uri": "s3://a/c.json"}},
            "`data_quality.baseline_statistics_uri` is None: data quality monitoring compares each run against a baseline",
            id="data-quality-without-statistics",
        ),
        pytest.param(
            {"model_quality": {"problem_type": "Regression", "ground_truth_s3_uri": "s3://t/"}},
            "`model_quality.baseline_constraints_uri` is None",
            id="model-quality-without-constraints",
        ),
        pytest.param(
            {
                "model_bias": {
                    "analysis_config_uri": "s3://a/b.json",
                    "baseline_constraints_uri": "s3://a/c.json",
                }
            },
            "bias monitoring needs labelled ground truth",
            id="bias-without-ground-truth",
        ),
        pytest.param(
            {"model_explainability": {"analysis_config_uri": "s3://a/b.json"}},
            "`model_explainability.baseline_constraints_uri` is None",
            id="explainability-without-constraints",
        ),
        pytest.param(
            {"model_quality": {**MQ, "problem_type": "Ranking"}},
            "`model_quality.problem_type` is 'Ranking': unknown problem type",
            id="unknown-problem-type",
        ),
        pytest.param(
            {"data_quality": DQ, "max_runtime_minutes": 90},
            "`max_runtime_minutes` is 90: a data-quality job must finish before its next run, 60 minutes later",
            id="data-quality-longer-than-its-hour",
        ),
        pytest.param(
            {"model_quality": {**MQ, "schedule": "hourly"}, "max_runtime_minutes": 50},
            "`max_runtime_minutes` is 50: an hourly model-quality run may take at most 30 minutes",
            id="hourly-model-quality-over-30-minutes",
        ),
        pytest.param(
            {"model_bias": {**BIAS, "schedule": "hourly"}, "max_runtime_minutes": 31},
            "an hourly model-bias run may take at most 30 minutes (1800 s",
            id="hourly-bias-over-30-minutes",
        ),
        pytest.param(
            {
                "data_quality": {**DQ, "schedule": "cron(0 0/2 ? * * *)"},
                "max_runtime_minutes": 121,
            },
            "must finish before its next run, 120 minutes later",
            id="two-hourly-over-its-period",
        ),
        pytest.param(
            {"model_quality": {**MQ, "end_time_offset": "PT24H"}},
            "`model_quality.end_time_offset` is 'PT24H': a time offset is a negative ISO 8601 duration",
            id="positive-offset",
        ),
        pytest.param(
            {"model_bias": {**BIAS, "start_time_offset": "-PT24H", "end_time_offset": "-PT48H"}},
            "`model_bias.start_time_offset` is '-PT24H': the analysed window must start before it ends",
            id="window-ends-before-it-starts",
        ),
        pytest.param(
            {"model_explainability": {**EXPL, "end_time_offset": "-PT24H"}},
            "`model_explainability.end_time_offset` is '-PT24H': offsets delay the analysed window",
            id="explainability-with-offsets",
        ),
        pytest.param(
            {"data_quality": {**DQ, "baseline_statistics_uri": "https://x/s.json"}},
            "must be in S3",
            id="baseline-outside-s3",
        ),
        pytest.param({"tags": TAGS}, "no kind of monitoring is enabled", id="nothing-enabled"),
        pytest.param(
            {"data_quality": DQ, "max_runtime_minutes": 0},
            "`max_runtime_minutes` is 0: a job runs 1 minute to 24 hours",
            id="runtime-below-botocore-minimum",
        ),
        pytest.param(
            {"data_quality": DQ, "volume_size_gb": 16385},
            "`volume_size_gb` is 16385: a processing volume is 1 to 16384 GB; choose 1 to 16384",
            id="volume-above-botocore-maximum",
        ),
    ],
)
def test_each_validation_error(program, args, fragment):
    with pytest.raises(UserError) as err:
        monitor(program, args)
    assert "ModelMonitor 'credit-monitor'" in str(err.value) and fragment in str(err.value)


@pytest.mark.parametrize(
    ("schedule", "expression"),
    [
        ("hourly", "cron(0 * ? * * *)"),
        ("daily", "cron(0 0 ? * * *)"),
        ("cron(0 6 ? * * *)", "cron(0 6 ? * * *)"),
        ("cron(0 0/4 ? * * *)", "cron(0 0/4 ? * * *)"),
        ("cron(30 * ? * * *)", None),
        ("cron(0 25 ? * * *)", None),
        ("rate(1 hour)", None),
    ],
)
def test_schedule_expressions(schedule, expression):
    assert schedule_expression(schedule) == expression


# --- EndpointAlarms ----------------------------------------------------------------------

ALARMS = {
    "endpoint_name": "credit-0123456",
    "variant_names": ["main"],
    "alarm_actions": [TOPIC],
    "variant_vcpus": {"main": 1},
}


def alarms(program, **changes):
    return program(lambda: EndpointAlarms("credit-alarms", {**ALARMS, **changes}))


def test_every_alarm_is_dimensioned_on_endpoint_and_variant_with_the_right_statistic_and_unit(
    program,
):
    plan = alarms(program)
    by_role = {
        r.name.removeprefix("credit-alarms-main-"): r.inputs
        for r in by_type(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    expected = {
        "5xx-errors": ("AWS/SageMaker", "Invocation5XXErrors", "Sum", None, 5, "notBreaching"),
        "4xx-errors": ("AWS/SageMaker", "Invocation4XXErrors", "Sum", None, 50, "notBreaching"),
        "model-latency": (
            "AWS/SageMaker",
            "ModelLatency",
            "p99",
            "Microseconds",
            1_000_000,
            "notBreaching",
        ),
        "overhead-latency": (
            "AWS/SageMaker",
            "OverheadLatency",
            "p99",
            "Microseconds",
            200_000,
            "notBreaching",
        ),
        "no-invocations": ("AWS/SageMaker", "Invocations", "Sum", None, 1, "breaching"),
        "cpu-utilization": (
            "/aws/sagemaker/Endpoints",
            "CPUUtilization",
            "Average",
            "Percent",
            80,
            "missing",
        ),
        "memory-utilization": (
            "/aws/sagemaker/Endpoints",
            "MemoryUtilization",
            "Average",
            "Percent",
            85,
            "missing",
        ),
        "disk-utilization": (
            "/aws/sagemaker/Endpoints",
            "DiskUtilization",
            "Average",
            "Percent",
            85,
            "missing",
        ),
    }
    assert set(by_role) == set(expected)
    for role, (namespace, metric, stat, unit, threshold, missing) in expected.items():
        alarm = by_role[role]
        assert (
            alarm["namespace"],
            alarm["metricName"],
            alarm.get("extendedStatistic") or alarm.get("statistic"),
            alarm.get("unit"),
            alarm["threshold"],
            alarm["treatMissingData"],
        ) == (namespace, metric, stat, unit, threshold, missing), role
        assert alarm["dimensions"] == {"EndpointName": "credit-0123456", "VariantName": "main"}
        assert alarm["alarmActions"] == [TOPIC] and alarm["okActions"] == [TOPIC]
    assert by_role["no-invocations"]["comparisonOperator"] == "LessThanThreshold"


def test_thresholds_override_and_serverless_skips_instance_metrics(program):
    plan = alarms(program, thresholds={"model_latency_p99_ms": 250}, instance_metrics=False)
    names = {r.name for r in by_type(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert "credit-alarms-main-cpu-utilization" not in names
    assert resource(plan, "credit-alarms-main-model-latency").inputs["threshold"] == 250_000


def test_alarms_need_an_action(program):
    with pytest.raises(UserError, match="alarms must reach someone"):
        alarms(program, alarm_actions=[])


def test_endpoint_alarms_satisfy_the_alarm_rule_for_a_raw_endpoint(program):

    def alarmed_endpoint(alarmed: str):
        EndpointAlarms("credit-alarms", {**ALARMS, "endpoint_name": alarmed})
        aws.sagemaker.Endpoint("raw", name="credit-0123456", endpoint_config_name="cfg")

    plan = program(lambda: alarmed_endpoint("credit-0123456"))
    assert unsettled(judge(plan), "sagemaker-endpoint-alarms") == []
    unalarmed = violations(
        judge(program(lambda: alarmed_endpoint("other-endpoint"))), "sagemaker-endpoint-alarms"
    )
    assert len(unalarmed) == 1


# --- AlertTopic --------------------------------------------------------------------------

ALERT_TOPIC = {
    "email_addresses": ["oncall@example.com"],
    "https_endpoints": ["https://hooks.example.com/ml"],
}


def alert_topic(program, **changes):
    return program(lambda: AlertTopic("alerts", {**ALERT_TOPIC, **changes}))


def test_topic_is_encrypted_and_only_this_accounts_alarms_publish(program):
    plan = alert_topic(program)
    topic = resource(plan, "alerts-topic").inputs
    assert topic["kmsMasterKeyId"] == resource(plan, "alerts-key").inputs.get(
        "arn", topic["kmsMasterKeyId"]
    )
    assert topic["kmsMasterKeyId"].startswith("arn:aws:kms:")
    policy = document(plan, "alerts-policy")
    publish = statement(policy, "AlarmsOfThisAccountPublish")
    assert publish["Principal"] == {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]}
    assert publish["Action"] == "sns:Publish" and publish["Resource"] == topic_arn(plan)
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert statement(policy, "DenyInsecureTransport")["Effect"] == "Deny"
    subscriptions = sorted(
        (r.inputs["protocol"], r.inputs["endpoint"])
        for r in by_type(plan, "aws:sns/topicSubscription:TopicSubscription")
    )
    assert subscriptions == [
        ("email", "oncall@example.com"),
        ("https", "https://hooks.example.com/ml"),
    ]
    assert unsettled(judge(plan), "sns-topic-encrypted") == []


def topic_arn(plan):
    return resource(plan, "alerts-policy").inputs["arn"]


def test_the_topic_key_lets_alarms_and_eventbridge_publish(program):
    """W2. Publishers to an encrypted topic need kms:GenerateDataKey* and kms:Decrypt from the key
    policy (SNS DG, https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html); that page
    says aws:SourceAccount/aws:SourceArn in the key policy are "not supported for
    EventBridge-to-encrypted topics" (awslabs/landing-zone-accelerator-on-aws#407: rules failed)."""
    key_policy = document(alert_topic(program), "alerts-key")
    alarms = statement(key_policy, "ServiceUseCloudwatch")
    events = statement(key_policy, "ServiceUseEvents")
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    for use in (alarms, events):
        assert use["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
        assert use["Resource"] == "*"
    assert alarms["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert "Condition" not in events


def test_plain_http_webhook_is_refused(program):
    with pytest.raises(
        UserError,
        match=re.escape(
            "`https_endpoints` is 'http://hooks.example.com': notifications must travel over TLS"
        ),
    ):
        alert_topic(program, https_endpoints=["http://hooks.example.com"])


# --- EndpointDashboard -------------------------------------------------------------------


def test_dashboard_body_is_data_with_a_line_per_variant():
    body = dashboard_body(
        "credit-0123456", ["a", "b"], "eu-west-1", "credit-dq-1234567", ["income"]
    )
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert titles == [
        "Invocations per minute",
        "Model latency p50 / p90 / p99 (µs)",
        "5XX errors per minute",
        "4XX errors per minute",
        "CPU utilization (%)",
        "Memory and disk utilization (%)",
        "Baseline drift per feature (data quality monitor)",
    ]
    latency = body["widgets"][1]["properties"]["metrics"]
    assert len(latency) == 6 and latency[0] == [
        "AWS/SageMaker",
        "ModelLatency",
        "EndpointName",
        "credit-0123456",
        "VariantName",
        "a",
        {"stat": "p50", "label": "a p50"},
    ]
    drift = body["widgets"][6]["properties"]["metrics"][0]
    assert drift[:6] == [
        "aws/sagemaker/Endpoints/data-metrics",
        "feature_baseline_drift_income",
        "Endpoint",
        "credit-0123456",
        "MonitoringSchedule",
        "credit-dq-1234567",
    ]
    assert [(w["x"], w["y"]) for w in body["widgets"][:3]] == [(0, 0), (12, 0), (0, 6)]
    assert all(w["properties"]["region"] == "eu-west-1" for w in body["widgets"])


def test_dashboard_resource_holds_the_body(program):
    plan = program(
        lambda: EndpointDashboard("d", {"endpoint_name": "e-1", "variant_names": ["main"]})
    )
    body = json.loads(resource(plan, "d-dashboard").inputs["dashboardBody"])
    assert len(body["widgets"]) == 6
    assert resource(plan, "d-dashboard").inputs["dashboardName"].startswith("d-")


# --- the example -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_monitored_example_passes_the_pack(cli, mode):
    result = cli(
        "preview",
        REPO / "examples" / "monitored-endpoint",
        "--stack",
        "dev",
        "--mode",
        mode,
        "--format",
        "json",
    )
    assert result.code == 0, result.out + result.err
    document_ = result.json()
    assert document_["summary"]["mandatory"] == 0 and document_["summary"]["advisory"] == 0
    policies = {v["policy"] for v in document_["violations"]}
    assert (
        not {
            "sagemaker-endpoint-alarms",
            "sagemaker-endpoint-monitored",
            "sagemaker-monitoring-encryption",
        }
        & policies
    )


def test_monitor_children_are_named_and_parented(program):
    plan = monitor(program, {"data_quality": DQ})
    assert sorted(children(plan, "credit-monitor")) == sorted(
        [
            ("aws:iam/role:Role", "credit-monitor-role"),
            ("aws:iam/rolePolicy:RolePolicy", "credit-monitor-role-policy"),
            (
                "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",
                "credit-monitor-data-quality-job",
            ),
            (
                "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
                "credit-monitor-data-quality-schedule",
            ),
            ("aws:cloudwatch/eventRule:EventRule", "credit-monitor-data-quality-violations"),
            ("aws:cloudwatch/eventTarget:EventTarget", "credit-monitor-data-quality-violations-0"),
        ]
    )


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        pytest.param("cron(0 * ? * * *)", 1, id="hourly"),
        pytest.param("cron(0 0 ? * * *)", 24, id="daily"),
        pytest.param("cron(0 6 ? * * *)", 24, id="daily-at-6"),
        pytest.param("cron(0 0/4 ? * * *)", 4, id="every-4h"),
    ],
)
def test_period_of_a_schedule(expression, hours):
    from mlrails_components.monitoring.schedules import period_hours

    assert period_hours(expression) == hours


@pytest.mark.parametrize(
    ("vcpus", "threshold"),
    [pytest.param(1, 80, id="one-vcpu"), pytest.param(4, 320, id="four-vcpus")],
)
def test_cpu_threshold_is_per_vcpu(program, vcpus, threshold):
    """DG monitoring-cloudwatch.md: CPUUtilization is "the sum of each individual CPU core's
    utilization" (0-400% with four CPUs), so 80% of every core is 80 x vCPUs."""
    plan = alarms(program, variant_vcpus={"main": vcpus})
    assert resource(plan, "credit-alarms-main-cpu-utilization").inputs["threshold"] == threshold
    assert resource(plan, "credit-alarms-main-memory-utilization").inputs["threshold"] == 85


def test_cpu_alarm_without_vcpus_is_refused(program):
    with pytest.raises(UserError, match=r"`variant_vcpus\['main'\]` is None: the CPU alarm needs"):
        program(
            lambda: EndpointAlarms(
                "credit-alarms", {k: v for k, v in ALARMS.items() if k != "variant_vcpus"}
            )
        )


def test_model_endpoint_gives_endpoint_alarms_the_vcpus_of_its_instance_type(program):
    """ml.m5.xlarge runs 4 vCPUs (EC2 DescribeInstanceTypes, components/sagemaker/instance_facts)."""

    def endpoint_with_alarms():
        variant = {
            "name": "main",
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/credit:1",
            "instance_type": "ml.m5.xlarge",
        }
        endpoint = ModelEndpoint("credit", {"variants": [variant]})
        EndpointAlarms(
            "credit-alarms", {**endpoint.endpoint_alarms_args(), "alarm_actions": [TOPIC]}
        )

    plan = program(endpoint_with_alarms)
    assert resource(plan, "credit-alarms-main-cpu-utilization").inputs["threshold"] == 320
