"""CloudWatch alarms on SageMaker endpoint metrics, as data: one definition for every user.

ModelEndpoint's rollback alarms and EndpointAlarms build their MetricAlarm arguments here, so
namespace, dimensions, statistic and unit are right once. SageMaker publishes ModelLatency and
OverheadLatency in microseconds; thresholds are given in milliseconds and converted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NAMESPACE = "AWS/SageMaker"


@dataclass(frozen=True)
class MetricSpec:
    """A SageMaker endpoint metric with its dimensions, statistic and unit filled in."""

    metric_name: str
    dimensions: dict[str, Any]
    statistic: str | None = None
    extended_statistic: str | None = None
    unit: str | None = None
    period_seconds: int = 60
    namespace: str = NAMESPACE

    def alarm_args(self) -> dict[str, Any]:
        """The MetricAlarm arguments that select this metric."""
        args: dict[str, Any] = {
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "dimensions": self.dimensions,
            "period": self.period_seconds,
        }
        if self.extended_statistic:
            args["extended_statistic"] = self.extended_statistic
        else:
            args["statistic"] = self.statistic
        if self.unit:
            args["unit"] = self.unit
        return args

    def widget_row(self, label: str) -> list[Any]:
        """The metric as a line of a CloudWatch dashboard widget."""
        dimensions = [part for pair in self.dimensions.items() for part in pair]
        statistic = self.extended_statistic or self.statistic
        return [self.namespace, self.metric_name, *dimensions, {"stat": statistic, "label": label}]


def variant_dimensions(
    endpoint_name: Any, variant: str, endpoint_config_name: Any = None
) -> dict[str, Any]:
    """EndpointName and VariantName; with a configuration, only the fleet that serves it.

    DG deployment-guardrails-configuration.md ("Monitor model latency on the new fleet",
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html):
    SageMaker also publishes the endpoint metrics with the dimension
    `EndpointConfigName:{New-Ep-Config}` once the new fleet receives traffic, and an alarm with
    it watches the new fleet only.
    """
    dimensions = {"EndpointName": endpoint_name, "VariantName": variant}
    if endpoint_config_name is not None:
        dimensions["EndpointConfigName"] = endpoint_config_name
    return dimensions


def invocations(
    endpoint_name: Any, variant: str, period: int = 60, endpoint_config_name: Any = None
) -> MetricSpec:
    return MetricSpec(
        "Invocations",
        variant_dimensions(endpoint_name, variant, endpoint_config_name),
        "Sum",
        period_seconds=period,
    )


def errors_5xx(
    endpoint_name: Any, variant: str, period: int = 60, endpoint_config_name: Any = None
) -> MetricSpec:
    return MetricSpec(
        "Invocation5XXErrors",
        variant_dimensions(endpoint_name, variant, endpoint_config_name),
        "Sum",
        period_seconds=period,
    )


def model_latency(
    endpoint_name: Any,
    variant: str,
    percentile: str = "p99",
    period: int = 60,
    endpoint_config_name: Any = None,
) -> MetricSpec:
    return MetricSpec(
        "ModelLatency",
        variant_dimensions(endpoint_name, variant, endpoint_config_name),
        extended_statistic=percentile,
        unit="Microseconds",
        period_seconds=period,
    )


def milliseconds_to_microseconds(milliseconds: float) -> float:
    return float(milliseconds) * 1000


def error_rate_alarm(
    endpoint_name: Any,
    variant: str,
    threshold_percent: float,
    period: int,
    evaluation_periods: int,
    datapoints: int,
    endpoint_config_name: Any = None,
) -> dict[str, Any]:
    """5XX responses as a percentage of invocations, by metric math; no traffic is no error."""

    def query(query_id: str, spec: MetricSpec) -> dict[str, Any]:
        return {
            "id": query_id,
            "return_data": False,
            "metric": {
                "namespace": spec.namespace,
                "metric_name": spec.metric_name,
                "dimensions": spec.dimensions,
                "period": spec.period_seconds,
                "stat": spec.statistic,
            },
        }

    return {
        "metric_queries": [
            query("errors", errors_5xx(endpoint_name, variant, period, endpoint_config_name)),
            query("invocations", invocations(endpoint_name, variant, period, endpoint_config_name)),
            {
                "id": "error_rate",
                "expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
                "label": "5XX error rate (%)",
                "return_data": True,
            },
        ],
        "comparison_operator": "GreaterThanThreshold",
        "threshold": float(threshold_percent),
        "evaluation_periods": evaluation_periods,
        "datapoints_to_alarm": datapoints,
        # No data means no invocations, hence no errors.
        "treat_missing_data": "notBreaching",
    }


def latency_alarm(
    endpoint_name: Any,
    variant: str,
    threshold_ms: float,
    period: int,
    evaluation_periods: int,
    datapoints: int,
    percentile: str = "p99",
    endpoint_config_name: Any = None,
) -> dict[str, Any]:
    """Model latency percentile above a threshold given in milliseconds."""
    return threshold_alarm(
        model_latency(endpoint_name, variant, percentile, period, endpoint_config_name),
        "GreaterThanThreshold",
        milliseconds_to_microseconds(threshold_ms),
        evaluation_periods,
        datapoints,
        "notBreaching",  # no data means no requests: nothing is slow
    )


INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints"
DATA_METRICS_NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"


def errors_4xx(endpoint_name: Any, variant: str, period: int = 60) -> MetricSpec:
    return MetricSpec(
        "Invocation4XXErrors",
        variant_dimensions(endpoint_name, variant),
        "Sum",
        period_seconds=period,
    )


def overhead_latency(
    endpoint_name: Any, variant: str, percentile: str = "p99", period: int = 60
) -> MetricSpec:
    return MetricSpec(
        "OverheadLatency",
        variant_dimensions(endpoint_name, variant),
        extended_statistic=percentile,
        unit="Microseconds",
        period_seconds=period,
    )


def utilization(metric: str, endpoint_name: Any, variant: str, period: int = 300) -> MetricSpec:
    """CPU, memory or disk utilization of a variant's instances, published by the instances."""
    return MetricSpec(
        metric,
        variant_dimensions(endpoint_name, variant),
        "Average",
        unit="Percent",
        period_seconds=period,
        namespace=INSTANCE_NAMESPACE,
    )


def feature_drift(
    endpoint_name: Any, schedule_name: Any, feature: str, period: int = 3600
) -> MetricSpec:
    """Baseline drift of one feature, published by each run of a data-quality schedule."""
    return MetricSpec(
        f"feature_baseline_drift_{feature}",
        {"Endpoint": endpoint_name, "MonitoringSchedule": schedule_name},
        "Maximum",
        period_seconds=period,
        namespace=DATA_METRICS_NAMESPACE,
    )


def threshold_alarm(
    spec: MetricSpec,
    comparison: str,
    threshold: float,
    evaluation_periods: int,
    datapoints: int,
    treat_missing_data: str,
) -> dict[str, Any]:
    return {
        **spec.alarm_args(),
        "comparison_operator": comparison,
        "threshold": float(threshold),
        "evaluation_periods": evaluation_periods,
        "datapoints_to_alarm": datapoints,
        "treat_missing_data": treat_missing_data,
    }
