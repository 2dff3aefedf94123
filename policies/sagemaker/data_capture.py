"""sagemaker-data-capture: endpoints capture inference data, encrypted with a customer key."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set
from mlrails_policies.sagemaker.common import capture_enabled
from mlrails_policies.sagemaker.variants import ENDPOINT_CONFIGURATION, instance_variants


def check(args, options):
    if not instance_variants(args.props):
        return
    if not capture_enabled(args.props):
        yield (
            "data capture is off: requests and predictions of this endpoint are not recorded, "
            "so it cannot be monitored or audited"
        )
    elif not is_set(get(args.props, "dataCaptureConfig", "kmsKeyId")):
        yield "data capture has no kmsKeyId: captured inference data is not encrypted with a customer key"


RULE = Rule(
    id="sagemaker-data-capture",
    description="Endpoint configurations with instance variants capture inference data, KMS-encrypted.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Enable data_capture_config with a destination S3 URI and kms_key_id "
    "(ModelEndpoint captures into an EncryptedBucket by default).",
    controls=Controls(
        eu_ai_act=("Art. 12",),
        nist_ai_rmf=("MEASURE 2.4", "MANAGE 4.1"),
        iso_42001=("A.6.2.8",),
        hipaa=("164.312(b)",),
        soc2=("CC7.2",),
    ),
    judges=(ENDPOINT_CONFIGURATION,),
    check=check,
)
