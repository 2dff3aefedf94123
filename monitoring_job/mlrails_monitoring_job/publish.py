"""CloudWatch custom metrics of one run, with the dimensions the component's alarms select."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlrails_monitoring_job import metric_names as names

# PutMetricData takes at most 1000 metrics per request and 30 dimensions per metric (CloudWatch
# API reference, PutMetricData, MetricData; botocore cloudwatch Dimensions max 30).
MAX_METRICS_PER_REQUEST = 1000


def metric_data(
    endpoint: str, monitor: str, timestamp: datetime, findings: dict[str, Any]
) -> list[dict[str, Any]]:
    """MetricData entries of a run's findings (see metric_names for what each means)."""
    base = [
        {"Name": names.ENDPOINT_DIMENSION, "Value": endpoint},
        {"Name": names.MONITOR_DIMENSION, "Value": monitor},
    ]

    def datum(name: str, value: float, extra: list[dict[str, str]] | None = None, unit="None"):
        return {
            "MetricName": name,
            "Dimensions": base + (extra or []),
            "Timestamp": timestamp,
            "Value": float(value),
            "Unit": unit,
        }

    data = [datum(names.CAPTURED_RECORDS, findings["records"], unit="Count")]
    drift = findings["drift"]
    data.append(datum(names.DATASET_DRIFT, int(drift["dataset_drift"])))
    data.append(datum(names.DRIFTED_FEATURE_SHARE, drift["drifted_share"]))
    for feature, result in drift["features"].items():
        dimension = [{"Name": names.FEATURE_DIMENSION, "Value": feature}]
        data.append(datum(names.FEATURE_DRIFT_SCORE, result["score"], dimension))
        data.append(datum(names.FEATURE_DRIFT, int(result["drifted"]), dimension))
    attribution = findings.get("attribution")
    if attribution is not None and attribution["ndcg"] is not None:
        data.append(datum(names.FEATURE_ATTRIBUTION_NDCG, attribution["ndcg"]))
        data.append(datum(names.FEATURE_ATTRIBUTION_DRIFT, int(attribution["drift"])))
    quality = findings.get("quality")
    if quality is not None:
        data.append(datum(names.GROUND_TRUTH_MATCHED, quality["matched"], unit="Count"))
        if quality["degradation"] is not None:
            data.append(datum(names.MODEL_QUALITY_DEGRADATION, quality["degradation"]))
            data.append(datum(names.MODEL_QUALITY_VIOLATION, int(quality["violation"])))
        if quality["segments"]:
            for segment, gap in quality["segments"].items():
                dimension = [{"Name": names.SEGMENT_DIMENSION, "Value": segment}]
                data.append(datum(names.SEGMENT_QUALITY_GAP, gap, dimension))
            data.append(datum(names.BIAS_VIOLATION, int(quality["bias_violation"])))
    return data


def put_metrics(cloudwatch, namespace: str, data: list[dict[str, Any]]) -> None:
    for start in range(0, len(data), MAX_METRICS_PER_REQUEST):
        cloudwatch.put_metric_data(
            Namespace=namespace, MetricData=data[start : start + MAX_METRICS_PER_REQUEST]
        )
