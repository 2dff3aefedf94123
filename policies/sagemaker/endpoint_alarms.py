"""sagemaker-endpoint-alarms: every endpoint has alarms on errors and latency that notify someone."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN
from mlrails_policies.sagemaker.alarms import METRIC_ALARM, endpoint_names, metrics, notifies
from mlrails_policies.sagemaker.common import ENDPOINT

REQUIRED_METRICS = ("Invocation5XXErrors", "ModelLatency")


def endpoint_alarms(index, endpoint):
    """Alarms dimensioned on this endpoint, by EndpointName value or by dependency."""
    return index.linked(endpoint, [METRIC_ALARM], ("dimensions", "metricQueries"), endpoint_names)


def check(index, options):
    for endpoint in index.of_type(ENDPOINT):
        watched, unknown = set(), False
        for alarm in endpoint_alarms(index, endpoint):
            names = metrics(alarm.props)
            unknown = unknown or UNKNOWN in names
            if notifies(alarm.props):
                watched |= names
        missing = [m for m in REQUIRED_METRICS if m not in watched]
        if missing and unknown:
            yield NotEvaluated(endpoint.urn, "an alarm's metric can't be known during preview")
        elif missing:
            yield Violation(
                endpoint.urn,
                f"endpoint {endpoint.name} has no alarm with an action on {' and '.join(missing)} "
                "dimensioned on it: failures and slow responses would reach nobody",
            )


RULE = Rule(
    id="sagemaker-endpoint-alarms",
    description="Each endpoint has alarms with an action on Invocation5XXErrors and ModelLatency, "
    "dimensioned on that endpoint.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Add EndpointAlarms (or ModelEndpoint's rollback alarms) for the endpoint, with "
    "alarm_actions pointing at an AlertTopic.",
    controls=Controls(
        eu_ai_act=("Art. 14",),
        nist_ai_rmf=("MEASURE 2.4", "MANAGE 4.1"),
        iso_42001=("A.6.2.6",),
        soc2=("CC7.2",),
    ),
    judges=(ENDPOINT,),
    reads=(METRIC_ALARM,),
    check=check,
    stack=True,
)
