"""Model monitoring: monitor schedules (Model Monitor or the open-source job), endpoint alarms, an encrypted alert topic, dashboards."""

from components.monitoring.alert_topic import AlertTopic, AlertTopicArgs
from components.monitoring.dashboard import EndpointDashboard, EndpointDashboardArgs
from components.monitoring.endpoint_alarms import (
    AlarmThresholdsArgs,
    EndpointAlarms,
    EndpointAlarmsArgs,
)
from components.monitoring.model_monitor import ModelMonitor
from components.monitoring.model_monitor_args import (
    ClarifyArgs,
    DataQualityArgs,
    ModelMonitorArgs,
    ModelQualityArgs,
)
from components.monitoring.open_source_args import (
    OpenSourceAttributionArgs,
    OpenSourceBiasArgs,
    OpenSourceDataQualityArgs,
    OpenSourceModelQualityArgs,
    OpenSourceMonitorArgs,
)
from components.monitoring.open_source_monitor import OpenSourceMonitor

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
    "OpenSourceAttributionArgs",
    "OpenSourceBiasArgs",
    "OpenSourceDataQualityArgs",
    "OpenSourceModelQualityArgs",
    "OpenSourceMonitor",
    "OpenSourceMonitorArgs",
]
