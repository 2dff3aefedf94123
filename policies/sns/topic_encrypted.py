"""sns-topic-encrypted: topics encrypt messages at rest with a KMS key."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set

TOPIC = "aws:sns/topic:Topic"


def check(args, options):
    if not is_set(get(args.props, "kmsMasterKeyId")):
        yield "the topic stores messages unencrypted: set kmsMasterKeyId"


RULE = Rule(
    id="sns-topic-encrypted",
    description="SNS topics set kms_master_key_id.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Set kms_master_key_id to a customer-managed key that CloudWatch may use "
    "(AlertTopic does this).",
    controls=Controls(
        iso_42001=("A.7.2",),
        hipaa=("164.312(a)(2)(iv)",),
        soc2=("CC6.1",),
        fsbp=("SNS.1",),
    ),
    judges=(TOPIC,),
    check=check,
)
