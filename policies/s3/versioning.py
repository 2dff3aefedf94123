"""s3-bucket-versioning: buckets keep every version of their objects."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import UNKNOWN, get, is_true
from mlrails_policies.s3.buckets import BUCKETS, judge_buckets

VERSIONING = ("aws:s3/bucketVersioning*",)


def check(index, options):
    def verdict(bucket, settings):
        statuses = [get(s.props, "versioningConfiguration", "status") for s in settings]
        statuses.append(
            "Enabled" if is_true(get(bucket.props, "versioning", "enabled")) is True else None
        )
        if "Enabled" in statuses:
            return None
        if UNKNOWN in statuses:
            return UNKNOWN
        return "versioning is not Enabled: an overwrite or delete loses the previous model or data"

    yield from judge_buckets(index, VERSIONING, verdict, "its versioning status")


RULE = Rule(
    id="s3-bucket-versioning",
    description="Each bucket has versioning Enabled.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Add a BucketVersioning with status Enabled (EncryptedBucket does this).",
    controls=Controls(
        eu_ai_act=("Art. 12",),
        nist_ai_rmf=("MANAGE 2.4",),
        iso_42001=("A.6.2.8",),
        hipaa=("164.312(c)(1)",),
        soc2=("CC9.1",),
        fsbp=("S3.14",),
    ),
    judges=BUCKETS,
    reads=VERSIONING,
    check=check,
    stack=True,
)
