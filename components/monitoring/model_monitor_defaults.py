"""ModelMonitor's defaults, filled in once: validation judges, and the builders build, the jobs
`resolve` describes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlrails_components.monitoring.model_monitor_args import ModelMonitorArgs
from mlrails_components.monitoring.schedules import NAMED, period_hours, schedule_expression

INSTANCE_TYPE = "ml.m5.xlarge"
VOLUME_SIZE_GB = 20
MAX_RUNTIME_MINUTES = 50
"""Runs of a job take at most this long, unless its schedule allows less (below)."""
# MonitoringStoppingCondition.MaxRuntimeInSeconds "cannot exceed the frequency of the job ... For
# model bias and model quality hourly schedules, this can be up to 1800 seconds" (botocore
# sagemaker 2017-07-24); the ground-truth merge job and the analysis share it (DG
# model-monitor-model-quality-schedule.md).
HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES = 30
# Ground truth is assumed to arrive within a day of the request: by default a run analyses the
# schedule's period that ended this long before it.
GROUND_TRUTH_DELAY_HOURS = 24
# EndpointInput.StartTimeOffset / EndTimeOffset: ISO 8601 durations subtracted from the run's
# time, "-PT#H or -P#D ... M=minutes" (DG model-monitor-model-quality-schedule.md), at most 15
# characters (botocore MonitoringTimeOffsetString).
_OFFSET = re.compile(
    r"^-P(?!$)(?:(?P<days>\d+)D)?(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?)?$"
)
_OFFSET_MAX_LENGTH = 15


@dataclass(frozen=True)
class Kind:
    """One kind of monitoring."""

    name: str
    argument: str
    """The ModelMonitorArgs key that enables it."""
    monitoring_type: str
    """SageMaker's MonitoringType of its schedule."""
    clarify: bool
    """Analysed by SageMaker Clarify (else by the Model Monitor analyser)."""
    default_schedule: str
    ground_truth: bool
    """Merges ground truth into the captured data, so it analyses a delayed window."""


KINDS = (
    Kind("data-quality", "data_quality", "DataQuality", False, "hourly", False),
    Kind("model-quality", "model_quality", "ModelQuality", False, "daily", True),
    Kind("model-bias", "model_bias", "ModelBias", True, "daily", True),
    Kind(
        "model-explainability", "model_explainability", "ModelExplainability", True, "daily", False
    ),
)


@dataclass(frozen=True)
class Job:
    """One enabled kind with every default filled in."""

    kind: Kind
    settings: Mapping[str, Any]
    """The kind's arguments as given (DataQualityArgs, ModelQualityArgs or ClarifyArgs)."""
    schedule: str
    expression: str | None
    """SageMaker's ScheduleExpression of `schedule`, None if SageMaker has none for it."""
    max_runtime_minutes: int
    time_offsets: tuple[str, str] | None
    """(StartTimeOffset, EndTimeOffset) of the analysed window: ground-truth kinds only."""


@dataclass(frozen=True)
class Monitor:
    """ModelMonitorArgs with every default filled in."""

    args: ModelMonitorArgs
    jobs: tuple[Job, ...]
    instance_type: str
    volume_size_gb: int
    alarm_actions: list[Any]
    drift_thresholds: dict[str, float]


def resolve(args: ModelMonitorArgs) -> Monitor:
    """The monitor `args` describe, defaults filled (their types already checked)."""
    given: Mapping[str, Any] = args  # read by Kind.argument, a key of ModelMonitorArgs
    jobs = tuple(_job(kind, given[kind.argument], args) for kind in KINDS if kind.argument in given)
    return Monitor(
        args=args,
        jobs=jobs,
        instance_type=args.get("instance_type", INSTANCE_TYPE),
        volume_size_gb=args.get("volume_size_gb", VOLUME_SIZE_GB),
        alarm_actions=list(args.get("alarm_actions", [])),
        drift_thresholds=dict(args.get("data_quality", {}).get("drift_thresholds", {})),
    )


def _job(kind: Kind, settings: Mapping[str, Any], args: ModelMonitorArgs) -> Job:
    schedule = settings.get("schedule", kind.default_schedule)
    expression = schedule_expression(schedule) if isinstance(schedule, str) else None
    return Job(
        kind=kind,
        settings=settings,
        schedule=schedule,
        expression=expression,
        max_runtime_minutes=args.get("max_runtime_minutes", _default_runtime(kind, expression)),
        time_offsets=_time_offsets(settings, expression) if kind.ground_truth else None,
    )


def _default_runtime(kind: Kind, expression: str | None) -> int:
    """The longest run the schedule allows, up to MAX_RUNTIME_MINUTES."""
    if kind.ground_truth and expression and period_hours(expression) == 1:
        return HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES
    return MAX_RUNTIME_MINUTES


def _time_offsets(settings: Mapping[str, Any], expression: str | None) -> tuple[str, str]:
    """As given, or one schedule period ending GROUND_TRUTH_DELAY_HOURS before the run."""
    end = settings.get("end_time_offset", f"-PT{GROUND_TRUTH_DELAY_HOURS}H")
    if "start_time_offset" in settings:
        return settings["start_time_offset"], end
    period = period_hours(expression or NAMED["daily"])
    back = (offset_minutes(end) or 0) + period * 60
    start = f"-PT{back // 60}H" if back % 60 == 0 else f"-PT{back}M"
    return start, end


def offset_minutes(offset: str) -> int | None:
    """Minutes an EndpointInput time offset reaches back, or None if SageMaker would reject it."""
    match = _OFFSET.match(offset) if len(offset) <= _OFFSET_MAX_LENGTH else None
    if match is None:
        return None
    days, hours, minutes = (int(match[part] or 0) for part in ("days", "hours", "minutes"))
    return (days * 24 + hours) * 60 + minutes
