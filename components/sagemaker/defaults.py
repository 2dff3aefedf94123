"""ModelEndpoint's defaults, in one place: validation judges the endpoint the component builds."""

from __future__ import annotations

from components.sagemaker.args import RollbackAlarmArgs

INSTANCE_COUNT = 2
"""Instances per variant: a canary needs at least two to be less than the whole fleet."""
VARIANT_WEIGHT = 1.0
SAMPLING_PERCENT = 100
"""Share of requests a shadow variant receives, and share of traffic captured."""
CAPTURE_MODES = ("Input", "Output")
ROUTING_STRATEGY = "LEAST_OUTSTANDING_REQUESTS"
ROLLBACK_ALARMS: RollbackAlarmArgs = {
    "period_seconds": 60,
    "evaluation_periods": 3,
    "datapoints_to_alarm": 2,
    "error_rate_percent": 1.0,
    "latency_p99_ms": 1000.0,
}


def rollback_alarms_with_defaults(alarms: RollbackAlarmArgs | None) -> RollbackAlarmArgs:
    return {**ROLLBACK_ALARMS, **(alarms or {})}  # type: ignore[typeddict-item]
