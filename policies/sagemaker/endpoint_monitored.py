"""sagemaker-endpoint-monitored: every endpoint that captures data has a monitoring schedule."""

from pulumi_policy import EnforcementLevel, Severity
from pulumi_policy.proxy import UnknownValueError

from policies.framework.rule import Controls, Rule, Undecided, Violation
from policies.framework.wire import UNKNOWN, get, items
from policies.sagemaker.data_capture import capture_enabled
from policies.sagemaker.monitoring import JOB_DEFINITIONS, JOB_SECTIONS, SCHEDULES
from policies.sagemaker.safe_deployment import ENDPOINT
from policies.sagemaker.variants import ENDPOINT_CONFIGURATION


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
        if captured is None or captured is False or monitored(index, endpoint):
            continue
        if captured is UNKNOWN:
            yield Undecided(endpoint.urn, "whether its configuration captures data can't be known")
        else:
            yield Violation(
                endpoint.urn,
                f"endpoint {endpoint.name} captures inference data but no monitoring schedule "
                "watches it: drift and quality problems would go unnoticed",
            )


RULE = Rule(
    id="sagemaker-endpoint-monitored",
    description="Each endpoint with data capture has a Model Monitor schedule on it.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Add a ModelMonitor for the endpoint (data quality at least; model quality, bias "
    "and explainability where the model supports them).",
    controls=Controls(
        eu_ai_act=("Art. 12", "Art. 15"),
        nist_ai_rmf=("MEASURE 2.4", "MANAGE 4.1"),
        iso_42001=("A.6.2.6",),
        soc2=("CC7.2",),
    ),
    judges=(ENDPOINT,),
    reads=(ENDPOINT_CONFIGURATION, *SCHEDULES, *JOB_DEFINITIONS),
    check=check,
    stack=True,
)
