"""The monitoring job's environment from OpenSourceMonitor's arguments: the variables
mlrails_monitoring_job.handler reads, structured settings as one JSON object."""

import json
from typing import Any

import pulumi
import pulumi_aws as aws


def job_environment(
    args: Any, monitor_name: str, window_hours: int, namespace: str
) -> aws.lambda_.FunctionEnvironmentArgsDict:
    """The function's `environment` input, from resolved arguments (open_source_defaults)."""
    dq, quality, bias = args["data_quality"], args.get("model_quality"), args.get("model_bias")
    attribution = args.get("feature_attribution")
    settings: dict[str, Any] = {
        "window_hours": window_hours,
        "drift_method": dq["drift_method"],
        "drift_share": dq["drift_share"],
        "feature_drift_thresholds": dq["drift_thresholds"],
    }
    variables: dict[str, pulumi.Input[str]] = {
        "ENDPOINT_NAME": args["endpoint_name"],
        "MONITOR_NAME": monitor_name,
        "CAPTURE_S3_URI": args["data_capture_s3_uri"],
        "BASELINE_S3_URI": dq["baseline_dataset_uri"],
        "REPORT_S3_URI": args["output_s3_uri"],
        "REPORT_KMS_KEY_ARN": args["output_kms_key_arn"],
        "METRIC_NAMESPACE": namespace,
    }
    if quality:
        variables["GROUND_TRUTH_S3_URI"] = quality["ground_truth_s3_uri"]
        settings["problem_type"] = quality["problem_type"]
        settings["ground_truth_delay_hours"] = quality["ground_truth_delay_hours"]
        settings["quality_max_degradation"] = quality["max_degradation"]
    if bias:
        settings["segments"] = bias["segments"]
        settings["segment_gap_threshold"] = bias["gap_threshold"]
    if attribution is not None:
        settings["attribution_ndcg_threshold"] = attribution["ndcg_threshold"]
    # One output field for both findings (validation refuses two different ones).
    for part in (quality, attribution):
        if part is not None and "inference_attribute" in part:
            settings["inference_attribute"] = part["inference_attribute"]
    variables["MONITOR_SETTINGS"] = json.dumps(settings, sort_keys=True)
    return {"variables": variables}
