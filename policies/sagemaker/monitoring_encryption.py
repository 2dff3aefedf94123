"""sagemaker-monitoring-encryption: monitoring jobs encrypt outputs, volumes and traffic."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set, is_true, require_known
from mlrails_policies.sagemaker.monitoring import JOB_DEFINITIONS, JOB_SECTIONS


def check(args, options):
    section = JOB_SECTIONS[args.resource_type]
    if not is_set(get(args.props, f"{section}JobOutputConfig", "kmsKeyId")):
        yield "the job's outputs (reports, violations) are not encrypted with a customer key: set kmsKeyId"
    if not is_set(get(args.props, "jobResources", "clusterConfig", "volumeKmsKeyId")):
        yield "the job's processing volume is not encrypted with a customer key: set volumeKmsKeyId"
    encryption = is_true(get(args.props, "networkConfig", "enableInterContainerTrafficEncryption"))
    if not require_known(encryption, "enableInterContainerTrafficEncryption"):
        yield "inter-container traffic encryption is off: data moves in clear between instances"


RULE = Rule(
    id="sagemaker-monitoring-encryption",
    description="Monitoring job definitions set output and volume KMS keys and encrypt "
    "inter-container traffic.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Set the output kms_key_id, the cluster volume_kms_key_id and "
    "enable_inter_container_traffic_encryption (ModelMonitor does all three).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        iso_42001=("A.7.2",),
        hipaa=("164.312(a)(2)(iv)", "164.312(e)(1)"),
        soc2=("CC6.1", "CC6.7"),
        fsbp=("SageMaker.9", "SageMaker.10", "SageMaker.13", "SageMaker.15"),
    ),
    judges=JOB_DEFINITIONS,
    check=check,
)
