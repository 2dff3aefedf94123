"""The open-source monitoring job's CloudWatch metrics as MetricSpecs: what the job publishes
(mlrails_monitoring_job.metric_names, one definition for both) with the dimensions it sets."""

from __future__ import annotations

from typing import Any

from components.monitoring.alarm_specs import MetricSpec
from mlrails_monitoring_job import metric_names as names


def dimensions(endpoint_name: Any, monitor_name: Any, **extra: Any) -> dict[str, Any]:
    return {names.ENDPOINT_DIMENSION: endpoint_name, names.MONITOR_DIMENSION: monitor_name, **extra}


def finding(
    namespace: str, metric: str, endpoint_name: Any, monitor_name: Any, period: int
) -> MetricSpec:
    """A 0/1 finding of a run (DatasetDrift, ModelQualityViolation, BiasViolation)."""
    return MetricSpec(
        metric, dimensions(endpoint_name, monitor_name), "Maximum", None, None, period, namespace
    )


def feature_drift(
    namespace: str, endpoint_name: Any, monitor_name: Any, feature: str, period: int
) -> MetricSpec:
    """1 when a run found the feature drifted at its threshold, else 0."""
    return MetricSpec(
        names.FEATURE_DRIFT,
        dimensions(endpoint_name, monitor_name, **{names.FEATURE_DIMENSION: feature}),
        "Maximum",
        period_seconds=period,
        namespace=namespace,
    )


def feature_drift_score(
    namespace: str, endpoint_name: Any, monitor_name: Any, feature: str, period: int
) -> MetricSpec:
    return MetricSpec(
        names.FEATURE_DRIFT_SCORE,
        dimensions(endpoint_name, monitor_name, **{names.FEATURE_DIMENSION: feature}),
        "Maximum",
        period_seconds=period,
        namespace=namespace,
    )


def function_errors(function_name: Any, period: int) -> MetricSpec:
    """Failed runs of the job's function (AWS/Lambda Errors by FunctionName: Lambda developer
    guide, "Types of metrics for Lambda functions",
    https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)."""
    return MetricSpec(
        "Errors",
        {"FunctionName": function_name},
        "Sum",
        period_seconds=period,
        namespace="AWS/Lambda",
    )
