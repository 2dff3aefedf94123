"""Model monitoring: alarms, monitor schedules, alert topic and dashboards."""
