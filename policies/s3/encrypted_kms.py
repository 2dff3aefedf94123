"""s3-bucket-encrypted-kms: buckets encrypt objects by default with SSE-KMS."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import UNKNOWN, get, is_set, items
from mlrails_policies.s3.buckets import BUCKETS, judge_buckets

ENCRYPTION = ("aws:s3/bucketServerSideEncryptionConfiguration*",)
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _defaults(resource, path):
    for rule in items(get(resource.props, *path)):
        if rule is UNKNOWN:
            yield UNKNOWN
        elif isinstance(rule, dict):
            default = get(rule, "applyServerSideEncryptionByDefault")
            yield default if isinstance(default, dict) or default is UNKNOWN else {}


def check(index, options):
    need_key = options.get("require_customer_key", True)

    def verdict(bucket, configs):
        defaults = [d for c in configs for d in _defaults(c, ("rules",))]
        defaults += list(_defaults(bucket, ("serverSideEncryptionConfiguration", "rule")))
        if UNKNOWN in defaults or any(
            d.get("sseAlgorithm") is UNKNOWN for d in defaults if d is not UNKNOWN
        ):
            return UNKNOWN
        kms = [d for d in defaults if d.get("sseAlgorithm") in KMS_ALGORITHMS]
        if not kms:
            return (
                "no SSE-KMS default encryption: objects are encrypted with an S3-managed key only"
            )
        if need_key and not any(is_set(d.get("kmsMasterKeyId")) for d in kms):
            return "SSE-KMS uses the AWS-managed aws/s3 key; set kmsMasterKeyId to a customer key"
        return None

    yield from judge_buckets(index, ENCRYPTION, verdict, "its default encryption")


RULE = Rule(
    id="s3-bucket-encrypted-kms",
    description="Each bucket has SSE-KMS default encryption (with a customer-managed key).",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Add a BucketServerSideEncryptionConfiguration with sse_algorithm aws:kms and "
    "kms_master_key_id (EncryptedBucket does this).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        iso_42001=("A.7.2",),
        hipaa=("164.312(a)(2)(iv)",),
        soc2=("CC6.1",),
        fsbp=("S3.17",),
    ),
    judges=BUCKETS,
    reads=ENCRYPTION,
    check=check,
    stack=True,
    options={
        "require_customer_key": {
            "type": "boolean",
            "default": True,
            "description": "Also require kms_master_key_id (a customer-managed key).",
        }
    },
)
