"""sagemaker-endpoint-config-kms: instance-backed endpoint configurations use a customer key."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set
from mlrails_policies.sagemaker.variants import ENDPOINT_CONFIGURATION, instance_variants


def check(args, options):
    if instance_variants(args.props) and not is_set(get(args.props, "kmsKeyArn")):
        yield (
            "the endpoint configuration has instance variants but no kmsKeyArn, so the ML "
            "storage volumes attached to its instances are not encrypted with a customer key"
        )


RULE = Rule(
    id="sagemaker-endpoint-config-kms",
    description="Endpoint configurations with instance variants encrypt their volumes with a KMS key.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Set kms_key_arn on the endpoint configuration to a customer-managed KMS key "
    "(ModelEndpoint does this by default).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        iso_42001=("A.7.2",),
        hipaa=("164.312(a)(2)(iv)",),
        soc2=("CC6.1",),
    ),
    judges=(ENDPOINT_CONFIGURATION,),
    check=check,
)
