"""The Lambda entry point: settings from the environment the component sets, one run per call.

EventBridge Scheduler invokes the function with the input the component gives the schedule,
{"scheduled_time": "<aws.scheduler.scheduled-time>"} (Scheduler user guide, "Adding context
attributes", https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html);
the run analyses the hours before that time, so a retried invocation analyses the same window.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any

import boto3

from mlrails_monitoring_job import job
from mlrails_monitoring_job.errors import JobInputError
from mlrails_monitoring_job.settings import Settings, settings_from

ENVIRONMENT = {
    "endpoint_name": "ENDPOINT_NAME",
    "monitor_name": "MONITOR_NAME",
    "capture_s3_uri": "CAPTURE_S3_URI",
    "baseline_s3_uri": "BASELINE_S3_URI",
    "report_s3_uri": "REPORT_S3_URI",
    "report_kms_key_arn": "REPORT_KMS_KEY_ARN",
    "metric_namespace": "METRIC_NAMESPACE",
    "ground_truth_s3_uri": "GROUND_TRUTH_S3_URI",
    "settings": "MONITOR_SETTINGS",
}

log = logging.getLogger("mlrails_monitoring_job")


def settings_from_environment(environment=os.environ) -> Settings:
    return settings_from({key: environment.get(name) for key, name in ENVIRONMENT.items()})


def scheduled_time(event: Any) -> datetime | None:
    value = event.get("scheduled_time") if isinstance(event, dict) else None
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise JobInputError(
            f"event scheduled_time {value!r} is not an ISO 8601 time: the schedule's input "
            'must be {"scheduled_time": "<aws.scheduler.scheduled-time>"}'
        ) from None


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """Run once; a bad input fails the invocation with the job's message (the component alarms
    on the function's Errors metric)."""
    try:
        settings = settings_from_environment()
        report = job.run(
            settings, boto3.client("s3"), boto3.client("cloudwatch"), scheduled_time(event)
        )
    except JobInputError as error:
        log.error("monitoring run refused its input:\n%s", error)
        raise
    return {
        "dataset_drift": report["drift"]["dataset_drift"],
        "records": report["records"],
        "reports": report["reports"],
    }
