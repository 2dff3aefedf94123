"""Model monitoring: monitor schedules (Model Monitor or the open-source job), endpoint alarms, an encrypted alert topic, dashboards."""

from mlrails_components.monitoring.alert_topic import AlertTopic, AlertTopicArgs
from mlrails_components.monitoring.dashboard import EndpointDashboard, EndpointDashboardArgs
from mlrails_components.monitoring.endpoint_alarms import (
    AlarmThresholdsArgs,
    EndpointAlarms,
    EndpointAlarmsArgs,
)
from mlrails_components.monitoring.model_monitor import ModelMonitor
from mlrails_components.monitoring.model_monitor_args import (
    ClarifyArgs,
    DataQualityArgs,
    ModelMonitorArgs,
    ModelQualityArgs,
)
from mlrails_components.monitoring.open_source_args import (
    OpenSourceAttributionArgs,
    OpenSourceBiasArgs,
    OpenSourceDataQualityArgs,
    OpenSourceModelQualityArgs,
    OpenSourceMonitorArgs,
)
from mlrails_components.monitoring.open_source_monitor import OpenSourceMonitor

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
