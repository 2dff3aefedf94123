"""The open-source monitoring job's CloudWatch metrics as MetricSpecs: what the job publishes
(mlrails_monitoring_job.metric_names, one definition for both) with the dimensions it sets."""

from __future__ import annotations

from typing import Any

from mlrails_components.monitoring.alarm_specs import MetricSpec
from mlrails_monitoring_job import metric_names as names


def dimensions(endpoint_name: Any, monitor_name: Any, **extra: Any) -> dict[str, Any]:
    return {names.ENDPOINT_DIMENSION: endpoint_name, names.MONITOR_DIMENSION: monitor_name, **extra}


def finding(
    namespace: str, metric: str, endpoint_name: Any, monitor_name: Any, period: int
) -> MetricSpec:
    """A 0/1 finding of a run (metric_names.FINDINGS)."""
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


def attribution_ndcg(
    namespace: str, endpoint_name: Any, monitor_name: Any, period: int
) -> MetricSpec:
    """NDCG of a run's feature-attribution ranking against the baseline's (1 = unchanged)."""
    return MetricSpec(
        names.FEATURE_ATTRIBUTION_NDCG,
        dimensions(endpoint_name, monitor_name),
        "Minimum",
        period_seconds=period,
        namespace=namespace,
    )


def anomaly_alarm(spec: MetricSpec, band_stddev: float) -> dict[str, Any]:
    """MetricAlarm arguments: the metric above its learned band of `band_stddev` standard
    deviations (CloudWatch user guide, "Create a CloudWatch alarm based on anomaly detection",
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Anomaly_Detection_Alarm.html;
    PutMetricAlarm ThresholdMetricId and GreaterThanUpperThreshold). For a score whose normal
    level differs per feature and moves with the seasons, where one fixed threshold does not fit.
    """
    return {
        "metric_queries": [
            {
                "id": "score",
                "return_data": True,
                "metric": {
                    "namespace": spec.namespace,
                    "metric_name": spec.metric_name,
                    "dimensions": spec.dimensions,
                    "period": spec.period_seconds,
                    "stat": spec.statistic,
                },
            },
            {
                "id": "band",
                "expression": f"ANOMALY_DETECTION_BAND(score, {band_stddev:g})",
                "label": f"{spec.metric_name} (expected band)",
                "return_data": True,
            },
        ],
        "threshold_metric_id": "band",
        "comparison_operator": "GreaterThanUpperThreshold",
        "evaluation_periods": 1,
        "datapoints_to_alarm": 1,
        "treat_missing_data": "notBreaching",
    }


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


def dashboard_body(
    namespace: str,
    endpoint_name: str,
    monitor_name: str,
    region: str,
    period: int,
    findings: list[str],
    features: list[str],
    attribution: bool = False,
) -> dict[str, Any]:
    """The monitor's CloudWatch dashboard: its findings, drift scores, the feature-attribution
    NDCG when judged, and failed runs."""
    rows = [
        (
            "Findings (1 = found)",
            [
                finding(namespace, m, endpoint_name, monitor_name, period).widget_row(m)
                for m in findings
            ],
        ),
        (
            "Drift score per feature",
            [
                feature_drift_score(namespace, endpoint_name, monitor_name, f, period).widget_row(f)
                for f in features
            ],
        ),
        (
            "Feature-attribution NDCG (1 = baseline ranking)",
            [attribution_ndcg(namespace, endpoint_name, monitor_name, period).widget_row("NDCG")]
            if attribution
            else [],
        ),
        ("Failed runs", [function_errors(monitor_name, period).widget_row("errors")]),
    ]
    return {
        "widgets": [
            {
                "type": "metric",
                "x": (index % 2) * 12,
                "y": (index // 2) * 6,
                "width": 12,
                "height": 6,
                "properties": {
                    "title": title,
                    "region": region,
                    "period": period,
                    "view": "timeSeries",
                    "stacked": False,
                    "metrics": lines,
                },
            }
            for index, (title, lines) in enumerate(row for row in rows if row[1])
        ]
    }
