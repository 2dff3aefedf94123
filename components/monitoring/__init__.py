"""Model monitoring: monitor schedules, endpoint alarms, an encrypted alert topic, dashboards."""

from components.monitoring.alert_topic import AlertTopic, AlertTopicArgs
from components.monitoring.dashboard import EndpointDashboard, EndpointDashboardArgs
from components.monitoring.endpoint_alarms import (
    AlarmThresholdsArgs,
    EndpointAlarms,
    EndpointAlarmsArgs,
)
from components.monitoring.model_monitor import (
    ClarifyArgs,
    DataQualityArgs,
    ModelMonitor,
    ModelMonitorArgs,
    ModelQualityArgs,
)

__all__ = [
    "AlarmThresholdsArgs",
    "AlertTopic",
    "AlertTopicArgs",
    "ClarifyArgs",
    "DataQualityArgs",
    "EndpointAlarms",
    "EndpointAlarmsArgs",
    "EndpointDashboard",
    "EndpointDashboardArgs",
    "ModelMonitor",
    "ModelMonitorArgs",
    "ModelQualityArgs",
]
