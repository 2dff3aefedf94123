"""OpenSourceMonitor's argument checks: limits from their sources, every problem at once."""

from typing import Any

from components.support.images import unpinned_image_problem
from components.support.validation import Problems, check_types, plain
from mlrails_monitoring_job.settings import (
    DEFAULT_NDCG_THRESHOLD,
    DRIFT_METHODS,
    PROBLEM_TYPES,
    RESERVED_NAMESPACE_PREFIX,
)

SCHEDULE_NAMES = ("hourly", "daily")
# Lambda quotas: memory 128 MB to 10,240 MB, timeout at most 900 seconds (Lambda developer
# guide, "Lambda quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
MEMORY_MB = (128, 10240)
TIMEOUT_SECONDS = (1, 900)


def validate(name: str, args: Any, args_type: type) -> None:
    problems = Problems("OpenSourceMonitor", name)
    check_types(args_type, args, problems)
    problems.raise_if_any()
    problems.require(
        args["data_capture_enabled"],
        "data_capture_enabled",
        False,
        "the monitoring job analyses captured requests, and this endpoint captures none",
        "enable data capture on the endpoint (ModelEndpoint's default)",
    )
    _check_image(args["job_image_uri"], problems)
    schedule = args.get("schedule", "hourly")
    problems.require(
        schedule in SCHEDULE_NAMES,
        "schedule",
        schedule,
        "the job analyses the last full hour or the last day",
        "use hourly or daily",
    )
    for key, (low, high) in (("memory_size_mb", MEMORY_MB), ("timeout_seconds", TIMEOUT_SECONDS)):
        value = args.get(key)
        problems.require(
            value is None or low <= value <= high,
            key,
            value,
            f"Lambda allows {low} to {high}",
            f"choose {low} to {high}",
        )
    namespace = args.get("metric_namespace", "mlrails/ModelMonitoring")
    problems.require(
        not namespace.startswith(RESERVED_NAMESPACE_PREFIX) and 0 < len(namespace) <= 255,
        "metric_namespace",
        namespace,
        "CloudWatch reserves AWS/ for AWS services and takes 1 to 255 characters",
        "use your own, e.g. mlrails/ModelMonitoring",
    )
    _check_kinds(args, problems)
    problems.raise_if_any()


def _check_image(image: Any, problems: Problems) -> None:
    if not (isinstance(image, str) and plain(image)):
        return
    # Lambda runs container images from Amazon ECR only (Lambda developer guide, "Create a
    # Lambda function using a container image").
    problems.require(
        ".dkr.ecr." in image.split("/", 1)[0],
        "job_image_uri",
        image,
        "Lambda runs images from Amazon ECR only",
        "push the image monitoring_job/Dockerfile builds to ECR and pass that URI",
    )
    reason = unpinned_image_problem(image)
    problems.require(reason is None, "job_image_uri", image, reason or "", "pin a tag or digest")


def _check_kinds(args: Any, problems: Problems) -> None:
    dq, quality, bias = args["data_quality"], args.get("model_quality"), args.get("model_bias")
    method = dq.get("drift_method", "psi")
    problems.require(
        method in DRIFT_METHODS,
        "data_quality.drift_method",
        method,
        "the job runs Evidently's stat tests of this list only",
        f"use one of {', '.join(DRIFT_METHODS)}",
    )
    share = dq.get("drift_share", 0.5)
    problems.require(
        0 < share <= 1, "data_quality.drift_share", share, "a share is in (0, 1]", "use e.g. 0.5"
    )
    for feature, threshold in dq.get("drift_thresholds", {}).items():
        problems.require(
            threshold > 0,
            f"data_quality.drift_thresholds.{feature}",
            threshold,
            "a drift threshold is positive",
            "raise it",
        )
    band = dq.get("anomaly_band_stddev", 2.0)
    problems.require(
        band > 0,
        "data_quality.anomaly_band_stddev",
        band,
        "the band is a positive number of standard deviations",
        "use e.g. 2",
    )
    uris = [("data_quality.baseline_dataset_uri", dq["baseline_dataset_uri"])]
    if quality:
        uris.append(("model_quality.ground_truth_s3_uri", quality["ground_truth_s3_uri"]))
        problems.require(
            quality["problem_type"] in PROBLEM_TYPES,
            "model_quality.problem_type",
            quality["problem_type"],
            "unknown problem type",
            f"use one of {', '.join(PROBLEM_TYPES)}",
        )
        delay = quality.get("ground_truth_delay_hours", 0)
        problems.require(
            0 <= delay <= 720,
            "model_quality.ground_truth_delay_hours",
            delay,
            "labels are awaited 0 to 720 hours",
            "choose 0 to 720",
        )
    problems.require(
        not bias or quality is not None,
        "model_bias",
        bias,
        "bias is a per-segment quality gap, so it needs ground truth",
        "enable model_quality too",
    )
    problems.require(
        not bias or bool(bias["segments"]),
        "model_bias.segments",
        bias and bias["segments"],
        "no segment column is named",
        "name the columns whose values are segments",
    )
    _check_attribution(args.get("feature_attribution"), quality, problems)
    for key, uri in uris:
        if isinstance(uri, str) and plain(uri):
            problems.require(
                uri.startswith("s3://"), key, uri, "must be in S3", "pass an s3:// URI"
            )


def _check_attribution(attribution: Any, quality: Any, problems: Problems) -> None:
    if attribution is None:
        return
    threshold = attribution.get("ndcg_threshold", DEFAULT_NDCG_THRESHOLD)
    problems.require(
        0 < threshold <= 1,
        "feature_attribution.ndcg_threshold",
        threshold,
        "NDCG lies in [0, 1], so a threshold outside (0, 1] alarms always or never",
        f"use e.g. {DEFAULT_NDCG_THRESHOLD} (Clarify's)",
    )
    # The job reads one output field for both findings.
    ours, theirs = (
        attribution.get("inference_attribute"),
        (quality or {}).get("inference_attribute"),
    )
    problems.require(
        ours is None or theirs is None or ours == theirs,
        "feature_attribution.inference_attribute",
        ours,
        f"the job reads one output field, and model_quality.inference_attribute is {theirs!r}",
        "set both alike",
    )
