"""CloudWatch metric alarms, as aws.cloudwatch.MetricAlarm inputs (dimensions as maps)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlrails.audit.scan import Listed, Reader, Scan
from mlrails.audit.wire import camel, dimension_map, record

SERVICE = "cloudwatch"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"

# Members of DescribeAlarms that are state, not configuration.
_STATE = ("StateValue", "StateReason", "StateReasonData", "StateUpdatedTimestamp",
          "StateTransitionedTimestamp", "AlarmConfigurationUpdatedTimestamp", "AlarmArn")  # fmt: skip


def _metric_query(query: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": query.get("Id"),
        "expression": query.get("Expression"),
        "label": query.get("Label"),
        "returnData": query.get("ReturnData"),
        "period": query.get("Period"),
        "accountId": query.get("AccountId"),
    }
    stat = query.get("MetricStat")
    if stat:
        metric = stat.get("Metric", {})
        out["metric"] = {
            "metricName": metric.get("MetricName"),
            "namespace": metric.get("Namespace"),
            "dimensions": dimension_map(metric.get("Dimensions")),
            "period": stat.get("Period"),
            "stat": stat.get("Stat"),
            "unit": stat.get("Unit"),
        }
    return {k: v for k, v in out.items() if v is not None}


def alarm_inputs(alarm: dict[str, Any]) -> dict[str, Any]:
    configuration = {k: v for k, v in alarm.items() if k not in _STATE}
    inputs = camel(configuration)
    inputs["name"] = inputs.pop("alarmName")
    inputs["dimensions"] = dimension_map(alarm.get("Dimensions"))
    if alarm.get("Metrics"):
        inputs["metricQueries"] = [_metric_query(q) for q in alarm["Metrics"]]
    inputs.pop("metrics", None)
    return inputs


class MetricAlarms:
    types = (METRIC_ALARM,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        alarms = scan.pages(
            SERVICE,
            "DescribeAlarms",
            "MetricAlarms",
            types=self.types,
            token=("NextToken", "NextToken"),
            AlarmTypes=["MetricAlarm"],
        )
        for alarm in alarms:
            yield Listed(alarm["AlarmArn"], METRIC_ALARM, alarm["AlarmName"], alarm)

    def read(self, scan: Scan, item: Listed) -> None:
        inputs = alarm_inputs(item.data)
        inputs["tags"] = scan.tags(SERVICE, "ListTagsForResource", item.arn, ResourceARN=item.arn)
        scan.add(record(item.arn, METRIC_ALARM, item.name, inputs))


READERS: list[Reader] = [MetricAlarms()]
