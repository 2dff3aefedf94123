"""sagemaker-safe-deployment: endpoint updates shift traffic gradually and roll back on alarms."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set, items, require_known
from mlrails_policies.sagemaker.common import ENDPOINT


def check(args, options):
    config = require_known(get(args.props, "deploymentConfig"), "deploymentConfig")
    if not isinstance(config, dict) or not (
        is_set(config.get("blueGreenUpdatePolicy")) or is_set(config.get("rollingUpdatePolicy"))
    ):
        yield (
            "no deployment policy: an update replaces every instance at once, with no bake time "
            "and no automatic rollback"
        )
        return
    alarms = items(get(args.props, "deploymentConfig", "autoRollbackConfiguration", "alarms"))
    if not alarms:
        yield "the deployment policy has no rollback alarms, so a bad model version is never rolled back"


RULE = Rule(
    id="sagemaker-safe-deployment",
    description="Endpoints update with a blue/green (canary, linear) or rolling policy and rollback alarms.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Give the endpoint a deployment_config with a canary, linear or rolling policy and "
    "auto_rollback_configuration alarms (ModelEndpoint's default: canary 10%, 10 minutes).",
    controls=Controls(
        eu_ai_act=("Art. 14", "Art. 15"),
        nist_ai_rmf=("MANAGE 2.4",),
        iso_42001=("A.6.2.5",),
        soc2=("CC8.1",),
    ),
    judges=(ENDPOINT,),
    check=check,
)
