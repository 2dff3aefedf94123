"""Monitoring components under the offline engine: schedules, jobs, alarms, topic, dashboard."""

from __future__ import annotations

import json
import re

import pytest

from components.monitoring.dashboard import dashboard_body
from components.monitoring.schedules import schedule_expression
from mlrails.errors import UserError
from tests.components.conftest import (
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
TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
MONITOR = (
    """
import pulumi
from components.monitoring import ModelMonitor
TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}
BASE = {
    "endpoint_name": "credit-0123456",
    "data_capture_enabled": True,
    "data_capture_s3_uri": "s3://capture/credit/",
    "data_capture_kms_key_arn": "CAPTURE_KEY",
    "output_s3_uri": "s3://monitoring/credit",
    "output_kms_key_arn": "OUTPUT_KEY",
    "alarm_actions": ["TOPIC"],
    "tags": TAGS,
}
DQ = {"baseline_constraints_uri": "s3://art/dq/constraints.json", "baseline_statistics_uri": "s3://art/dq/statistics.json"}
MQ = {"problem_type": "BinaryClassification", "ground_truth_s3_uri": "s3://monitoring/truth", "baseline_constraints_uri": "s3://art/mq/constraints.json", "probability_attribute": "score", "probability_threshold": 0.6}
BIAS = {"analysis_config_uri": "s3://art/bias/analysis.json", "baseline_constraints_uri": "s3://art/bias/constraints.json", "ground_truth_s3_uri": "s3://monitoring/truth"}
EXPL = {"analysis_config_uri": "s3://art/expl/analysis.json", "baseline_constraints_uri": "s3://art/expl/constraints.json"}
ModelMonitor("credit-monitor", {**BASE, {ARGS}})
""".replace("CAPTURE_KEY", CAPTURE_KEY)
    .replace("OUTPUT_KEY", KEY)
    .replace("TOPIC", TOPIC)
)
ALL = '"data_quality": {**DQ, "drift_thresholds": {"income": 0.2}}, "model_quality": MQ, "model_bias": BIAS, "model_explainability": EXPL'


def monitor(program, args=ALL, mode="resolved"):
    return program(MONITOR.replace("{ARGS}", args), mode=mode, config={"aws:region": "eu-west-1"})


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
    names = {j.get("name") or j.get("jobDefinitionName") for j in jobs.values()}
    assert {
        s["monitoringScheduleConfig"]["monitoringJobDefinitionName"] for s in schedules.values()
    } == names


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
    plan = monitor(program, '"data_quality": DQ')
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


def test_role_reads_baselines_capture_and_writes_reports_only(program):
    policy = document(monitor(program), "credit-monitor-role-policy")
    assert (
        "arn:aws:s3:::art/dq/constraints.json"
        in statement(policy, "ReadBaselinesAndGroundTruth")["Resource"]
    )
    assert (
        "arn:aws:s3:::monitoring/truth/*"
        in statement(policy, "ReadBaselinesAndGroundTruth")["Resource"]
    )
    assert statement(policy, "ReadCapturedData")["Resource"] == "arn:aws:s3:::capture/credit/*"
    assert statement(policy, "DecryptCapturedData")["Resource"] == CAPTURE_KEY
    assert statement(policy, "WriteReports")["Resource"] == "arn:aws:s3:::monitoring/credit/*"
    assert statement(policy, "ClarifyShadowEndpoint")["Resource"][2].endswith(
        ":endpoint/sm-clarify-*"
    )


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_monitor_passes_the_monitoring_encryption_rule(program, mode):
    assert unsettled(judge(monitor(program, mode=mode)), "sagemaker-monitoring-encryption") == []
    assert unsettled(judge(monitor(program, mode=mode)), "iam-no-admin-policies") == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            '"data_quality": DQ, "data_capture_enabled": False',
            "`data_capture_enabled` is False: Model Monitor analyses captured requests",
        ),
        (
            '"data_quality": {**DQ, "schedule": "cron(*/5 * * * ? *)"}',
            "`data_quality.schedule` is 'cron(*/5 * * * ? *)'",
        ),
        ('"data_quality": {**DQ, "schedule": "weekly"}', "SageMaker monitors hourly, daily"),
        (
            '"data_quality": {"baseline_constraints_uri": "s3://a/c.json"}',
            "`data_quality.baseline_statistics_uri` is None: data quality monitoring compares each run against a baseline",
        ),
        (
            '"model_quality": {"problem_type": "Regression", "ground_truth_s3_uri": "s3://t/"}',
            "`model_quality.baseline_constraints_uri` is None",
        ),
        (
            '"model_bias": {"analysis_config_uri": "s3://a/b.json", "baseline_constraints_uri": "s3://a/c.json"}',
            "bias monitoring needs labelled ground truth",
        ),
        (
            '"model_explainability": {"analysis_config_uri": "s3://a/b.json"}',
            "`model_explainability.baseline_constraints_uri` is None",
        ),
        (
            '"model_quality": {**MQ, "problem_type": "Ranking"}',
            "`model_quality.problem_type` is 'Ranking': unknown problem type",
        ),
        (
            '"data_quality": DQ, "max_runtime_minutes": 90',
            "an hourly schedule's job must finish within the hour",
        ),
        ('"data_quality": {**DQ, "baseline_statistics_uri": "https://x/s.json"}', "must be in S3"),
        ('"tags": TAGS', "no kind of monitoring is enabled"),
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

ALARMS = """
from components.monitoring import EndpointAlarms
EndpointAlarms("credit-alarms", {"endpoint_name": "credit-0123456", "variant_names": ["main"], "alarm_actions": ["TOPIC"], "variant_vcpus": {"main": 1}{ARGS}})
""".replace("TOPIC", TOPIC)


def test_every_alarm_is_dimensioned_on_endpoint_and_variant_with_the_right_statistic_and_unit(
    program,
):
    plan = program(ALARMS.replace("{ARGS}", ""))
    alarms = {
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
    assert set(alarms) == set(expected)
    for role, (namespace, metric, stat, unit, threshold, missing) in expected.items():
        alarm = alarms[role]
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
    assert alarms["no-invocations"]["comparisonOperator"] == "LessThanThreshold"


def test_thresholds_override_and_serverless_skips_instance_metrics(program):
    plan = program(
        ALARMS.replace(
            "{ARGS}", ', "thresholds": {"model_latency_p99_ms": 250}, "instance_metrics": False'
        )
    )
    names = {r.name for r in by_type(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert "credit-alarms-main-cpu-utilization" not in names
    assert resource(plan, "credit-alarms-main-model-latency").inputs["threshold"] == 250_000


def test_alarms_need_an_action(program):
    with pytest.raises(UserError, match="alarms must reach someone"):
        program(ALARMS.replace(f'"{TOPIC}"', "").replace("{ARGS}", ""))


def test_endpoint_alarms_satisfy_the_alarm_rule_for_a_raw_endpoint(program):
    code = (
        ALARMS.replace("{ARGS}", "")
        + """
import pulumi_aws as aws
aws.sagemaker.Endpoint("raw", name="credit-0123456", endpoint_config_name="cfg")
"""
    )
    assert unsettled(judge(program(code)), "sagemaker-endpoint-alarms") == []
    unalarmed = violations(
        judge(program(code.replace("credit-0123456", "other-endpoint", 1))),
        "sagemaker-endpoint-alarms",
    )
    assert len(unalarmed) == 1


# --- AlertTopic --------------------------------------------------------------------------

TOPIC_CODE = """
from components.monitoring import AlertTopic
AlertTopic("alerts", {"email_addresses": ["oncall@example.com"], "https_endpoints": ["https://hooks.example.com/ml"]{ARGS}})
"""


def test_topic_is_encrypted_and_only_this_accounts_alarms_publish(program):
    plan = program(TOPIC_CODE.replace("{ARGS}", ""))
    topic = resource(plan, "alerts-topic").inputs
    assert topic["kmsMasterKeyId"] == resource(plan, "alerts-key").inputs.get(
        "arn", topic["kmsMasterKeyId"]
    )
    assert topic["kmsMasterKeyId"].startswith("arn:aws:kms:")
    key_policy = document(plan, "alerts-key")
    assert statement(key_policy, "ServiceUseCloudwatch")["Principal"] == {
        "Service": "cloudwatch.amazonaws.com"
    }
    assert statement(key_policy, "ServiceUseEvents")["Principal"] == {
        "Service": "events.amazonaws.com"
    }
    policy = document(plan, "alerts-policy")
    publish = statement(policy, "AlarmsOfThisAccountPublish")
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


def test_plain_http_webhook_is_refused(program):
    with pytest.raises(
        UserError,
        match=re.escape(
            "`https_endpoints` is 'http://hooks.example.com': notifications must travel over TLS"
        ),
    ):
        program(
            TOPIC_CODE.replace("https://hooks.example.com/ml", "http://hooks.example.com").replace(
                "{ARGS}", ""
            )
        )


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
        'from components.monitoring import EndpointDashboard\nEndpointDashboard("d", {"endpoint_name": "e-1", "variant_names": ["main"]})\n'
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
    plan = monitor(program, '"data_quality": DQ')
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
    ("vcpus", "threshold"),
    [pytest.param(1, 80, id="one-vcpu"), pytest.param(4, 320, id="four-vcpus")],
)
def test_cpu_threshold_is_per_vcpu(program, vcpus, threshold):
    """DG monitoring-cloudwatch.md: CPUUtilization is "the sum of each individual CPU core's
    utilization" (0-400% with four CPUs), so 80% of every core is 80 x vCPUs."""
    plan = program(ALARMS.replace('"main": 1', f'"main": {vcpus}').replace("{ARGS}", ""))
    assert resource(plan, "credit-alarms-main-cpu-utilization").inputs["threshold"] == threshold
    assert resource(plan, "credit-alarms-main-memory-utilization").inputs["threshold"] == 85


def test_cpu_alarm_without_vcpus_is_refused(program):
    with pytest.raises(UserError, match=r"`variant_vcpus\['main'\]` is None: the CPU alarm needs"):
        program(ALARMS.replace(', "variant_vcpus": {"main": 1}', "").replace("{ARGS}", ""))


def test_model_endpoint_gives_endpoint_alarms_the_vcpus_of_its_instance_type(program):
    """ml.m5.xlarge runs 4 vCPUs (EC2 DescribeInstanceTypes, components/sagemaker/instance_facts)."""
    plan = program(
        """
from components.monitoring import EndpointAlarms
from components.sagemaker import ModelEndpoint
endpoint = ModelEndpoint("credit", {"variants": [{"name": "main", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/credit:1", "instance_type": "ml.m5.xlarge"}]})
EndpointAlarms("credit-alarms", {**endpoint.endpoint_alarms_args(), "alarm_actions": ["TOPIC"]})
""".replace("TOPIC", TOPIC)
    )
    assert resource(plan, "credit-alarms-main-cpu-utilization").inputs["threshold"] == 320
