"""Every check of EncryptedBucket's arguments: S3's limits and the retention floor, each with
its source, then the checks across fields, all problems raised at once."""

from __future__ import annotations

import re

from mlrails_components.storage.bucket_args import EncryptedBucketArgs
from mlrails_components.storage.bucket_defaults import LOG_PURPOSES, Bucket, resolve
from mlrails_components.support.limits import Limit
from mlrails_components.support.validation import Problems, check_types, plain

PURPOSES = ("artifacts", "capture", "monitoring", "data")
LOG_RETENTION = Limit(
    183,
    float("inf"),
    "data must be kept at least 183 days (six months: EU AI Act Art. 19 and 26(6))",
    source="Regulation (EU) 2024/1689, Art. 19(1) and 26(6): logs of high-risk AI systems are "
    "kept for at least six months",
    fix="set 183 or more",
)
# S3 lifecycle Expiration.Days and NoncurrentVersionExpiration.NoncurrentDays "must be a
# non-zero positive integer" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html,
# API_NoncurrentVersionExpiration.html).
RETENTION = Limit(
    1,
    float("inf"),
    "data must be kept at least 1 days",
    source="https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html",
    fix="set 1 or more",
)
NONCURRENT_RETENTION = Limit(
    1,
    float("inf"),
    "S3 keeps previous versions at least one day",
    source="https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html",
    fix="set 1 or more",
)
# 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or
# digit, no two adjacent dots (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_AUTONAME_SUFFIX = 8  # the provider appends "-" and 7 random characters
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


def validated(name: str, args: EncryptedBucketArgs) -> Bucket:
    """The bucket `args` describe, defaults filled; raises with every problem found."""
    problems = Problems("EncryptedBucket", name)
    check_types(EncryptedBucketArgs, args, problems)
    bucket = resolve(args)
    problems.require(
        bucket.purpose in PURPOSES,
        "purpose",
        bucket.purpose,
        "unknown purpose",
        f"use one of {', '.join(PURPOSES)}",
    )
    if isinstance(bucket.retention_days, int):
        retention = LOG_RETENTION if bucket.purpose in LOG_PURPOSES else RETENTION
        problems.require(
            retention.allows(bucket.retention_days),
            "retention_days",
            bucket.retention_days,
            f"{bucket.purpose} {retention.problem}",
            retention.fix,
        )
    if isinstance(bucket.noncurrent_version_retention_days, int):
        NONCURRENT_RETENTION.check(
            "noncurrent_version_retention_days", bucket.noncurrent_version_retention_days, problems
        )
    _check_readers(args, problems)
    _check_name(name, args, problems)
    problems.raise_if_any()
    return bucket


def _check_readers(args: EncryptedBucketArgs, problems: Problems) -> None:
    for account in args.get("reader_account_ids", []) if not problems.found else []:
        problems.require(
            bool(_ACCOUNT_ID.match(account)),
            "reader_account_ids",
            account,
            "an AWS account id is 12 digits",
            "fix the id",
        )
    problems.require(
        not (args.get("reader_account_ids") and "kms_key_arn" in args),
        "reader_account_ids",
        args.get("reader_account_ids"),
        "other accounts also need kms:Decrypt in the key policy, which EncryptedBucket writes "
        "only for a key of its own, not for `kms_key_arn`",
        "drop kms_key_arn, or drop reader_account_ids and grant the accounts in your key's "
        "policy and a bucket policy of your own",
    )
    if "reader_prefixes" in args and not args.get("reader_account_ids"):
        problems.add(
            "reader_prefixes",
            args["reader_prefixes"],
            "prefixes limit what reader_account_ids read, and none is given",
            "add reader_account_ids or remove reader_prefixes",
        )


def _check_name(name: str, args: EncryptedBucketArgs, problems: Problems) -> None:
    bucket_name = args.get("bucket_name")
    if isinstance(bucket_name, str) and plain(bucket_name):
        problems.require(
            bool(_BUCKET_NAME.match(bucket_name)) and ".." not in bucket_name,
            "bucket_name",
            bucket_name,
            "S3 bucket names are 3-63 lowercase letters, digits, dots and hyphens",
            "choose a valid name, e.g. 'acme-ml-artifacts'",
        )
    elif bucket_name is None:
        autoname = f"{name}-bucket"
        problems.require(
            bool(_BUCKET_NAME.match(autoname)) and len(autoname) + _AUTONAME_SUFFIX <= 63,
            "name",
            name,
            f"the bucket would be auto-named {autoname}-xxxxxxx, which S3 rejects (lowercase, at "
            "most 63 characters)",
            "use a short lowercase component name or pass bucket_name",
        )
