"""sagemaker-endpoint-monitored with the open-source backend: a scheduled monitoring function
linked to the endpoint by ENDPOINT_NAME, with an alarm on its findings for that endpoint."""

from __future__ import annotations

from tests.policies.conftest import UNKNOWN, R, only
from tests.policies.test_sagemaker_rules import config, endpoint

FUNCTION = "aws:lambda/function:Function"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:fraud-monitor-1234567"


def job(endpoint_name="fraud", deps=None) -> R:
    variables = {"ENDPOINT_NAME": endpoint_name, "MONITOR_NAME": "fraud-monitor-1234567"}
    inputs = {"name": "fraud-monitor-1234567", "environment": {"variables": variables}}
    return R(FUNCTION, "fraud-monitor-function", inputs, deps or {})


def schedule(target=FUNCTION_ARN, deps=None) -> R:
    inputs = {"name": "fraud-monitor-1234567", "target": {"arn": target, "roleArn": "r"}}
    return R(SCHEDULE, "fraud-monitor-schedule", inputs, deps or {})


def drift_alarm(monitor="fraud-monitor-1234567", endpoint_name="fraud") -> R:
    inputs = {
        "namespace": "mlrails/ModelMonitoring",
        "metricName": "DatasetDrift",
        "dimensions": {"EndpointName": endpoint_name, "MonitorName": monitor},
        "alarmActions": ["arn:aws:sns:us-east-1:1:alerts"],
    }
    return R(ALARM, "fraud-monitor-drift", inputs)


def test_a_scheduled_job_with_its_alarm_monitors_the_endpoint(judge):
    resources = [config(), endpoint(), job(), schedule(), drift_alarm()]
    assert judge("sagemaker-endpoint-monitored", resources) == []


def test_a_job_nobody_schedules_is_no_monitor(judge):
    finding = only(
        judge("sagemaker-endpoint-monitored", [config(), endpoint(), job(), drift_alarm()])
    )
    assert "no scheduled open-source monitoring job with alarms" in finding.message


def test_a_job_without_an_alarm_on_its_findings_is_no_monitor(judge):
    resources = [config(), endpoint(), job(), schedule(), drift_alarm(monitor="another-job")]
    assert only(judge("sagemaker-endpoint-monitored", resources)).urn.endswith("::fraud")


def test_a_job_on_another_endpoint_does_not_count(judge):
    resources = [config(), endpoint(), job("payments"), schedule(), drift_alarm()]
    assert only(judge("sagemaker-endpoint-monitored", resources)).urn.endswith("::fraud")


def test_links_by_dependency_hold_when_names_are_unknown_in_a_preview(judge):
    ep = endpoint()
    function = job(UNKNOWN, deps={"environment": [ep.urn]})
    scheduled = schedule(UNKNOWN, deps={"target": [function.urn]})
    alarm = drift_alarm(endpoint_name=UNKNOWN)
    alarm = R(alarm.type, alarm.name, alarm.inputs, {"dimensions": [ep.urn]})
    resources = [config(), ep, function, scheduled, alarm]
    assert judge("sagemaker-endpoint-monitored", resources) == []
