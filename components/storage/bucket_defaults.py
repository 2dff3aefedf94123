"""EncryptedBucket's defaults, filled in once by `resolve`: validation judges, and the
component builds, the bucket it describes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlrails_components.storage.bucket_args import EncryptedBucketArgs
from mlrails_components.storage.bucket_policies import Readers

if TYPE_CHECKING:
    from pulumi_aws.s3 import BucketLifecycleConfigurationRuleArgsDict

PURPOSE = "data"
# Purposes that hold logs of a deployed model: the EU AI Act (Art. 19, 26(6)) asks providers
# and deployers of high-risk systems to keep them at least six months.
LOG_PURPOSES = ("capture", "monitoring")
LOG_RETENTION_DAYS = 400
"""Capture and monitoring data expire after this; other purposes keep objects forever."""
NONCURRENT_VERSION_RETENTION_DAYS = 90
INCOMPLETE_UPLOAD_DAYS = 7


@dataclass(frozen=True)
class Bucket:
    """EncryptedBucketArgs with every default filled in."""

    args: EncryptedBucketArgs
    purpose: str
    retention_days: int | None
    """None: objects never expire."""
    noncurrent_version_retention_days: int
    readers: Readers

    def access_log_prefix(self, name: str) -> str:
        return self.args.get("access_log_prefix", f"{name}/")


def resolve(args: EncryptedBucketArgs) -> Bucket:
    """The bucket `args` (their types already checked) describe."""
    purpose = args.get("purpose", PURPOSE)
    return Bucket(
        args=args,
        purpose=purpose,
        retention_days=args.get(
            "retention_days", LOG_RETENTION_DAYS if purpose in LOG_PURPOSES else None
        ),
        noncurrent_version_retention_days=args.get(
            "noncurrent_version_retention_days", NONCURRENT_VERSION_RETENTION_DAYS
        ),
        readers=Readers(args.get("reader_account_ids", []), args.get("reader_prefixes", [])),
    )


def lifecycle_rules(bucket: Bucket) -> list[BucketLifecycleConfigurationRuleArgsDict]:
    rules: list[BucketLifecycleConfigurationRuleArgsDict] = [
        {
            "id": "abort-incomplete-multipart-uploads",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "abort_incomplete_multipart_upload": {"days_after_initiation": INCOMPLETE_UPLOAD_DAYS},
        },
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "noncurrent_version_expiration": {
                "noncurrent_days": bucket.noncurrent_version_retention_days
            },
        },
    ]
    if bucket.retention_days is not None:
        rules.append(
            {
                "id": "expire-after-retention",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "expiration": {"days": bucket.retention_days},
            }
        )
    return rules
