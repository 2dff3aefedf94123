"""s3-bucket-public-access-blocked: buckets block every form of public access."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import UNKNOWN, get, is_true
from mlrails_policies.s3.buckets import BUCKETS, judge_buckets

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
BLOCK = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"


def _flags(resource):
    return {flag: is_true(get(resource.props, flag)) for flag in FLAGS}


def check(index, options):
    # An account-wide block with all four flags covers every bucket of the account.
    for account_block in index.of_type(ACCOUNT_BLOCK):
        if all(v is True for v in _flags(account_block).values()):
            return

    def verdict(bucket, blocks):
        if not blocks:
            return "no public access block: a policy or ACL can make its objects public"
        best = [_flags(b) for b in blocks]
        if any(all(v is True for v in flags.values()) for flags in best):
            return None
        if any(UNKNOWN in flags.values() for flags in best):
            return UNKNOWN
        off = sorted({f for flags in best for f, v in flags.items() if v is not True})
        return f"the public access block leaves {', '.join(off)} off"

    yield from judge_buckets(index, BLOCK, verdict, "its public access block")


RULE = Rule(
    id="s3-bucket-public-access-blocked",
    description="Each bucket has a public access block with all four flags on.",
    severity=Severity.CRITICAL,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Add a BucketPublicAccessBlock with block_public_acls, block_public_policy, "
    "ignore_public_acls and restrict_public_buckets set to true.",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        iso_42001=("A.7.2",),
        hipaa=("164.312(a)(1)",),
        soc2=("CC6.1", "CC6.6"),
        fsbp=("S3.8",),
    ),
    judges=BUCKETS,
    reads=(*BLOCK, ACCOUNT_BLOCK),
    check=check,
    stack=True,
)
