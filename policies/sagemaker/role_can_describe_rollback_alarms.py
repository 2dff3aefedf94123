"""sagemaker-role-can-describe-rollback-alarms: guardrails can read the alarms they watch.

"Ensure that your IAM execution role has permission to perform the cloudwatch:DescribeAlarms
action on the auto-rollback alarms you specify" (DG deployment-guardrails-configuration.md,
https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html).
The alarm's ARN is arn:<partition>:cloudwatch:<region>:<account>:alarm:<name> (Service
Authorization Reference, CloudWatch `alarm` resource type).
"""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.access import needs as access
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.resource_types import READS
from mlrails_policies.access.sagemaker import (
    ENDPOINT_CONFIGURATION,
    ENDPOINTS,
    MODEL,
    configuration_of,
    execution_role,
    models_of,
)
from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated
from mlrails_policies.framework.wire import UNKNOWN, get, items


def rollback_alarm_names(endpoint) -> list:
    alarms = items(get(endpoint.props, "deploymentConfig", "autoRollbackConfiguration", "alarms"))
    return [a.get("alarmName") if isinstance(a, dict) else a for a in alarms]


def needs(plan: AccessPlan):
    """Every access the work of this rule's resources needs, and what can't be decided."""
    for endpoint in plan.index.of_type(*ENDPOINTS):
        names = rollback_alarm_names(endpoint)
        if not names:
            continue
        configuration = configuration_of(plan, endpoint)
        if configuration is None:
            yield NotEvaluated(
                endpoint.urn, "its endpoint configuration is not declared in this program"
            )
            continue
        for model in models_of(plan, configuration):
            if model is None or model is UNKNOWN:
                yield NotEvaluated(endpoint.urn, "a variant's model can't be found in this program")
                continue
            role = execution_role(plan, model)
            if role is None:
                yield NotEvaluated(
                    endpoint.urn,
                    f"model {model.name}'s execution role is not declared in this program",
                )
                continue
            watching = access.role_requester(plan, endpoint, role).doing(
                "watch the rollback alarms during a deployment"
            )
            for name in names:
                arn = UNKNOWN if name is UNKNOWN else plan.env.arn("cloudwatch", f"alarm:{name}")
                yield watching.need(
                    "cloudwatch:DescribeAlarms", arn, f"alarm {name}", access.base_context(plan)
                )


check = access.rule_check(needs)


RULE = Rule(
    id="sagemaker-role-can-describe-rollback-alarms",
    description="Each endpoint with auto-rollback alarms: the model role may "
    "`cloudwatch:DescribeAlarms` on them.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Grant the models' execution role cloudwatch:DescribeAlarms on the ARNs of the "
    "endpoint's rollback alarms; ModelEndpoint does this for the alarms it creates and the extra "
    "rollback alarms it is given.",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MANAGE 4.1",),
        iso_42001=("A.6.2.6",),
        soc2=("CC8.1",),
    ),
    judges=ENDPOINTS,
    reads=(*READS, ENDPOINT_CONFIGURATION, MODEL),
    check=check,
    stack=True,
)
