"""Reading CloudWatch alarms: which metrics, which endpoint, whether they notify anyone."""

from __future__ import annotations

from typing import Any

from mlrails_policies.framework.wire import UNKNOWN, get, is_set, items

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def metrics(alarm_props: Any) -> set[Any]:
    """Metric names the alarm watches, directly or inside metric math."""
    names = [get(alarm_props, "metricName")]
    for query in items(get(alarm_props, "metricQueries")):
        if query is UNKNOWN:
            names.append(UNKNOWN)
        elif isinstance(query, dict):
            names.append(get(query, "metric", "metricName"))
    return {n for n in names if isinstance(n, str) or n is UNKNOWN}


def endpoint_names(alarm) -> list[Any]:
    """The EndpointName dimensions of an alarm, directly or inside metric math."""
    values = [get(alarm.props, "dimensions", "EndpointName")]
    for query in items(get(alarm.props, "metricQueries")):
        if isinstance(query, dict):
            values.append(get(query, "metric", "dimensions", "EndpointName"))
    return values


def notifies(alarm_props: Any) -> bool:
    return is_set(get(alarm_props, "alarmActions"))
