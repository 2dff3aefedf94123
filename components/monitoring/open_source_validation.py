"""OpenSourceMonitor's argument checks: limits from their sources, every problem at once."""

from typing import Any

from mlrails_components.monitoring.open_source_args import OpenSourceMonitorArgs
from mlrails_components.monitoring.open_source_defaults import resolve
from mlrails_components.support.images import unpinned_image_problem
from mlrails_components.support.limits import Limit, check_limits
from mlrails_components.support.validation import Problems, check_types, plain
from mlrails_monitoring_job.settings import (
    DEFAULT_NDCG_THRESHOLD,
    DRIFT_METHODS,
    MAX_GROUND_TRUTH_DELAY_HOURS,
    PROBLEM_TYPES,
    RESERVED_NAMESPACE_PREFIX,
)

SCHEDULE_NAMES = ("hourly", "daily")
_LAMBDA_QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
LIMITS = {
    "memory_size_mb": Limit(128, 10240, "Lambda allows 128 to 10240", _LAMBDA_QUOTAS),
    "timeout_seconds": Limit(1, 900, "Lambda allows 1 to 900", _LAMBDA_QUOTAS),
}
GROUND_TRUTH_DELAY_HOURS = Limit(
    0,
    MAX_GROUND_TRUTH_DELAY_HOURS,
    f"labels are awaited 0 to {MAX_GROUND_TRUTH_DELAY_HOURS} hours",
    "the job's own bound: mlrails_monitoring_job.settings.MAX_GROUND_TRUTH_DELAY_HOURS",
)


def validated(name: str, args: OpenSourceMonitorArgs) -> OpenSourceMonitorArgs:
    """`args` with every default filled, once every problem with them is reported (raised)."""
    problems = Problems("OpenSourceMonitor", name)
    check_types(OpenSourceMonitorArgs, args, problems)
    problems.raise_if_any()
    resolved = resolve(args)
    _validate(resolved, problems)
    problems.raise_if_any()
    return resolved


def _validate(args: Any, problems: Problems) -> None:
    problems.require(
        args["data_capture_enabled"],
        "data_capture_enabled",
        False,
        "the monitoring job analyses captured requests, and this endpoint captures none",
        "enable data capture on the endpoint (ModelEndpoint's default)",
    )
    _check_image(args["job_image_uri"], problems)
    schedule = args["schedule"]
    problems.require(
        schedule in SCHEDULE_NAMES,
        "schedule",
        schedule,
        "the job analyses the last full hour or the last day",
        "use hourly or daily",
    )
    check_limits(LIMITS, args, problems)
    namespace = args["metric_namespace"]
    problems.require(
        not namespace.startswith(RESERVED_NAMESPACE_PREFIX) and 0 < len(namespace) <= 255,
        "metric_namespace",
        namespace,
        "CloudWatch reserves AWS/ for AWS services and takes 1 to 255 characters",
        "use your own, e.g. mlrails/ModelMonitoring",
    )
    _check_kinds(args, problems)


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
    method = dq["drift_method"]
    problems.require(
        method in DRIFT_METHODS,
        "data_quality.drift_method",
        method,
        "the job runs Evidently's stat tests of this list only",
        f"use one of {', '.join(DRIFT_METHODS)}",
    )
    share = dq["drift_share"]
    problems.require(
        0 < share <= 1, "data_quality.drift_share", share, "a share is in (0, 1]", "use e.g. 0.5"
    )
    for feature, threshold in dq["drift_thresholds"].items():
        problems.require(
            threshold > 0,
            f"data_quality.drift_thresholds.{feature}",
            threshold,
            "a drift threshold is positive",
            "raise it",
        )
    band = dq["anomaly_band_stddev"]
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
        GROUND_TRUTH_DELAY_HOURS.check(
            "model_quality.ground_truth_delay_hours", quality["ground_truth_delay_hours"], problems
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
    threshold = attribution["ndcg_threshold"]
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
