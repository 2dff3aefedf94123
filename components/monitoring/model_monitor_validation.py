"""Every check of ModelMonitor's arguments: a table of SageMaker's limits, then the checks across
fields, all problems raised at once."""

from __future__ import annotations

from mlrails_components.monitoring.model_monitor_args import ModelMonitorArgs
from mlrails_components.monitoring.model_monitor_defaults import (
    HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES,
    Job,
    Monitor,
    offset_minutes,
    resolve,
)
from mlrails_components.monitoring.schedules import period_hours
from mlrails_components.support.limits import Limit, check_limits
from mlrails_components.support.validation import Problems, check_types, plain

# botocore sagemaker 2017-07-24, shape MonitoringProblemType.
PROBLEM_TYPES = ("BinaryClassification", "MulticlassClassification", "Regression")
LIMITS = {
    "max_runtime_minutes": Limit(
        1,
        1440,
        "a job runs 1 minute to 24 hours (MonitoringMaxRuntimeInSeconds 1 to 86400)",
        source="botocore sagemaker MonitoringStoppingCondition.MaxRuntimeInSeconds "
        "(shape MonitoringMaxRuntimeInSeconds, 1 to 86400)",
    ),
    "volume_size_gb": Limit(
        1,
        16384,
        "a processing volume is 1 to 16384 GB",
        source="botocore sagemaker MonitoringClusterConfig.VolumeSizeInGB "
        "(shape ProcessingVolumeSizeInGB, 1 to 16384)",
    ),
}
_S3_URIS = ("baseline_constraints_uri", "baseline_statistics_uri", "analysis_config_uri")


def validated(name: str, args: ModelMonitorArgs) -> Monitor:
    """The monitor `args` describe, defaults filled; raises with every problem found."""
    problems = Problems("ModelMonitor", name)
    check_types(ModelMonitorArgs, args, problems)
    problems.raise_if_any()  # the checks below read values whose types are now known to be right
    monitor = resolve(args)
    problems.require(
        args["data_capture_enabled"],
        "data_capture_enabled",
        False,
        "Model Monitor analyses captured requests, and this endpoint captures none",
        "enable data capture on the endpoint (ModelEndpoint's default)",
    )
    problems.require(
        bool(monitor.jobs),
        "data_quality / model_quality / model_bias / model_explainability",
        None,
        "no kind of monitoring is enabled",
        "enable at least data_quality",
    )
    check_limits(LIMITS, args, problems)
    for job in monitor.jobs:
        _check_job(job, problems)
    for feature, threshold in monitor.drift_thresholds.items():
        problems.require(
            threshold > 0,
            f"data_quality.drift_thresholds.{feature}",
            threshold,
            "a drift distance threshold is positive",
            "raise it",
        )
    problems.raise_if_any()
    return monitor


def _check_job(job: Job, problems: Problems) -> None:
    kind, argument, settings = job.kind.name, job.kind.argument, job.settings
    problems.require(
        job.expression is not None,
        f"{argument}.schedule",
        job.schedule,
        "SageMaker monitors hourly, daily, or on cron(0 H ? * * *) / cron(0 H/N ? * * *)",
        "use hourly, daily or such a cron expression",
    )
    if job.expression is not None:
        _check_runtime(job, job.expression, problems)
    _check_offsets(job, problems)
    required = ["baseline_constraints_uri"] + (
        ["baseline_statistics_uri"] if kind == "data-quality" else []
    )
    required += ["ground_truth_s3_uri"] if kind == "model-bias" else []
    for key in required:
        problems.require(
            key in settings,
            f"{argument}.{key}",
            None,
            f"{kind.replace('-', ' ')} monitoring compares each run against a baseline from training"
            if key.startswith("baseline")
            else "bias monitoring needs labelled ground truth",
            f"pass the S3 URI from the baselining job ({key})",
        )
    for key in (*_S3_URIS, "ground_truth_s3_uri"):
        value = settings.get(key)
        if isinstance(value, str) and plain(value):
            problems.require(
                value.startswith("s3://"),
                f"{argument}.{key}",
                value,
                "must be in S3",
                "pass an s3:// URI",
            )
    if kind == "model-quality":
        problems.require(
            settings["problem_type"] in PROBLEM_TYPES,
            "model_quality.problem_type",
            settings["problem_type"],
            "unknown problem type",
            f"use one of {', '.join(PROBLEM_TYPES)}",
        )


def _check_runtime(job: Job, expression: str, problems: Problems) -> None:
    """MaxRuntimeInSeconds "cannot exceed the frequency of the job", and for hourly model quality
    and bias at most 1800 s (botocore MonitoringStoppingCondition)."""
    kind, runtime, period = job.kind.name, job.max_runtime_minutes, period_hours(expression)
    if job.kind.ground_truth and period == 1:
        limit = HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES
        problems.require(
            runtime <= limit,
            "max_runtime_minutes",
            runtime,
            f"an hourly {kind} run may take at most {limit} minutes (1800 s: its ground-truth "
            "merge and analysis share the hour)",
            f"use {limit} or less, or a less frequent schedule",
        )
    else:
        problems.require(
            runtime <= period * 60,
            "max_runtime_minutes",
            runtime,
            f"a {kind} job must finish before its next run, {period * 60} minutes later",
            f"use {period * 60} or less",
        )


def _check_offsets(job: Job, problems: Problems) -> None:
    kind, argument, settings = job.kind.name, job.kind.argument, job.settings
    given = [k for k in ("start_time_offset", "end_time_offset") if k in settings]
    if job.time_offsets is None:
        for key in given:
            problems.add(
                f"{argument}.{key}",
                settings[key],
                "offsets delay the analysed window for late ground truth, which "
                f"{kind.replace('-', ' ')} does not use (no such field on its endpoint input)",
                "remove it",
            )
        return
    valid = True
    for key in given:
        value = settings[key]
        minutes = offset_minutes(value) if isinstance(value, str) else None
        valid = valid and minutes is not None
        problems.require(
            minutes is not None,
            f"{argument}.{key}",
            value,
            "a time offset is a negative ISO 8601 duration such as -PT24H, -P2D or -PT90M, "
            "at most 15 characters",
            "write it as -PT<hours>H, -P<days>D or -PT<minutes>M",
        )
    if not valid:
        return
    start, end = job.time_offsets
    problems.require(
        (offset_minutes(start) or 0) > (offset_minutes(end) or 0),
        f"{argument}.start_time_offset",
        start,
        f"the analysed window must start before it ends (end_time_offset {end})",
        "reach further back with start_time_offset than with end_time_offset",
    )
