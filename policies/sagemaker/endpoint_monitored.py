"""sagemaker-endpoint-monitored: every endpoint that captures data is watched by a monitor of
either backend: a Model Monitor schedule, or the open-source monitoring job.

The open-source job (components.monitoring.OpenSourceMonitor) is a Lambda function linked to its
endpoint by its ENDPOINT_NAME environment variable (the value, or a dependency on the endpoint);
it counts when an EventBridge Scheduler schedule targets the function and an alarm watches the
job's findings for that endpoint (dimensions EndpointName and the function's MONITOR_NAME).
"""

from pulumi_policy import EnforcementLevel, Severity
from pulumi_policy.proxy import UnknownValueError

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN, get, items
from mlrails_policies.sagemaker.common import ENDPOINT, capture_enabled
from mlrails_policies.sagemaker.monitoring import JOB_DEFINITIONS, JOB_SECTIONS, SCHEDULES
from mlrails_policies.sagemaker.variants import ENDPOINT_CONFIGURATION


def _job_endpoint_names(job):
    section = JOB_SECTIONS[job.resource_type]
    return [
        get(job.props, "endpointName"),
        get(job.props, f"{section}JobInput", "endpointInput", "endpointName"),
    ]


def _schedule_values(schedule):
    values = [
        get(schedule.props, "endpointName"),
        get(schedule.props, "monitoringScheduleConfig", "monitoringJobDefinitionName"),
    ]
    inputs = get(
        schedule.props, "monitoringScheduleConfig", "monitoringJobDefinition", "monitoringInputs"
    )
    for monitoring_input in items(inputs):
        if isinstance(monitoring_input, dict):
            values.append(get(monitoring_input, "endpointInput", "endpointName"))
    return values


def monitored(index, endpoint) -> bool:
    """A schedule runs on the endpoint directly, or through a job definition that does."""
    if index.linked(endpoint, SCHEDULES, "endpointName", _schedule_values):
        return True
    if any(index.referrers(endpoint, *SCHEDULES)):
        return True
    jobs = {
        j.urn: j
        for j in index.linked(endpoint, JOB_DEFINITIONS, "endpointName", _job_endpoint_names)
    }
    for job, _ in index.referrers(endpoint, *JOB_DEFINITIONS):
        jobs[job.urn] = job
    return any(
        index.linked(job, SCHEDULES, "monitoringScheduleConfig", _schedule_values)
        for job in jobs.values()
    )


FUNCTION = "aws:lambda/function:Function"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def _variable(function, name):
    return get(function.props, "environment", "variables", name)


def _schedule_targets(schedule):
    arn = get(schedule.props, "target", "arn")
    # A function ARN ends with its name: arn:aws:lambda:region:account:function:NAME.
    return [arn, arn.rsplit(":", 1)[-1]] if isinstance(arn, str) else []


def _endpoint_variable(function):
    return [_variable(function, "ENDPOINT_NAME")]


def _alarm_dimensions(alarm):
    return [get(alarm.props, "dimensions", "EndpointName")]


def open_source_monitored(index, endpoint) -> bool:
    """A scheduled monitoring function on the endpoint, with an alarm on its findings."""
    jobs = index.linked(endpoint, [FUNCTION], "environment", _endpoint_variable)
    alarms = index.linked(endpoint, [ALARM], "dimensions", _alarm_dimensions)
    for job in jobs:
        if not index.linked(job, [SCHEDULE], "target", _schedule_targets):
            continue
        monitor = _variable(job, "MONITOR_NAME")
        if any(
            get(alarm.props, "dimensions", "MonitorName") in (monitor, UNKNOWN) for alarm in alarms
        ):
            return True
    return False


def check(index, options):
    capture_by_config = {}
    for config in index.of_type(ENDPOINT_CONFIGURATION):
        try:
            captured = capture_enabled(config.props)
        except UnknownValueError:
            captured = UNKNOWN
        for endpoint in index.linked(config, [ENDPOINT], "endpointConfigName"):
            capture_by_config[endpoint.urn] = captured
    for endpoint in index.of_type(ENDPOINT):
        captured = capture_by_config.get(endpoint.urn)
        if captured is None or captured is False:
            continue
        if monitored(index, endpoint) or open_source_monitored(index, endpoint):
            continue
        if captured is UNKNOWN:
            yield NotEvaluated(
                endpoint.urn, "whether its configuration captures data can't be known"
            )
        else:
            yield Violation(
                endpoint.urn,
                f"endpoint {endpoint.name} captures inference data but no monitor watches it: no "
                "monitoring schedule (Model Monitor) and no scheduled open-source monitoring job "
                "with alarms; drift and quality problems would go unnoticed",
            )


RULE = Rule(
    id="sagemaker-endpoint-monitored",
    description="Each endpoint with data capture is watched by a monitor of either backend: a "
    "Model Monitor schedule, or the open-source monitoring job on a schedule with its alarms.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Add an OpenSourceMonitor for the endpoint (the default; Model Monitor is closed "
    "to new AWS customers), or a ModelMonitor where the account has Model Monitor: data quality "
    "at least, model quality and bias where the model supports them.",
    controls=Controls(
        eu_ai_act=("Art. 12", "Art. 15"),
        nist_ai_rmf=("MEASURE 2.4", "MANAGE 4.1"),
        iso_42001=("A.6.2.6",),
        soc2=("CC7.2",),
    ),
    judges=(ENDPOINT,),
    reads=(ENDPOINT_CONFIGURATION, *SCHEDULES, *JOB_DEFINITIONS, FUNCTION, SCHEDULE, ALARM),
    check=check,
    stack=True,
)
