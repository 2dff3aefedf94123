"""s3-bucket-tls-only: bucket policies refuse requests that do not use TLS."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import UNKNOWN, get, json_document, strings
from mlrails_policies.s3.buckets import BUCKETS, judge_buckets

POLICY = ("aws:s3/bucketPolicy:BucketPolicy",)


def denies_insecure_transport(document) -> bool:
    for statement in strings(document.get("Statement")) if isinstance(document, dict) else []:
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        secure = get(statement, "Condition", "Bool", "aws:SecureTransport")
        principal = statement.get("Principal")
        everyone = principal == "*" or (
            isinstance(principal, dict) and "*" in strings(principal.get("AWS"))
        )
        every_action = any(a in ("*", "s3:*") for a in strings(statement.get("Action")))
        if str(secure).lower() == "false" and everyone and every_action:
            return True
    return False


def check(index, options):
    def verdict(bucket, policies):
        documents = [json_document(get(p.props, "policy")) for p in policies]
        documents.append(json_document(get(bucket.props, "policy")))
        if any(denies_insecure_transport(d) for d in documents if d not in (None, UNKNOWN)):
            return None
        if UNKNOWN in documents:
            return UNKNOWN
        return "its policy does not deny requests without TLS (aws:SecureTransport = false)"

    yield from judge_buckets(index, POLICY, verdict, "its bucket policy document")


RULE = Rule(
    id="s3-bucket-tls-only",
    description="Each bucket's policy denies requests where aws:SecureTransport is false.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Add a bucket policy statement: Deny s3:* to * when aws:SecureTransport is false "
    "(EncryptedBucket writes it).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        hipaa=("164.312(e)(1)",),
        soc2=("CC6.7",),
        fsbp=("S3.5",),
    ),
    judges=BUCKETS,
    reads=POLICY,
    check=check,
    stack=True,
)
