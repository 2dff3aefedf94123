"""kms-key-rotation: symmetric keys rotate their key material."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set, is_true, require_known

KEY = "aws:kms/key:Key"


def check(args, options):
    spec = get(args.props, "customerMasterKeySpec")
    if not is_set(spec):
        spec = get(args.props, "keySpec")
    if not is_set(spec):
        spec = "SYMMETRIC_DEFAULT"
    if require_known(spec, "the key spec") != "SYMMETRIC_DEFAULT":
        return  # asymmetric and HMAC keys cannot rotate automatically
    if not require_known(is_true(get(args.props, "enableKeyRotation")), "enableKeyRotation"):
        yield "key rotation is off: the same key material would protect data for years"


RULE = Rule(
    id="kms-key-rotation",
    description="Symmetric KMS keys have automatic rotation on.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Set enable_key_rotation=True (EncryptionKey's default).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        iso_42001=("A.7.2",),
        hipaa=("164.312(a)(2)(iv)",),
        soc2=("CC6.1",),
        fsbp=("KMS.4",),
    ),
    judges=(KEY,),
    check=check,
)
