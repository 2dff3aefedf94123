"""Arguments of EncryptedBucket: typed, flat, in AWS terms with units.

No `from __future__ import annotations` here: Pulumi's component analyzer and TypedDict's
required/optional keys both need the annotations evaluated.
"""

from typing import NotRequired, TypedDict

import pulumi


class EncryptedBucketArgs(TypedDict):
    """Arguments of EncryptedBucket."""

    purpose: NotRequired[str]
    """What the bucket holds: artifacts, capture, monitoring or data. Capture and monitoring
    buckets hold logs of a deployed model and keep them at least 183 days. Default: data."""
    bucket_name: NotRequired[pulumi.Input[str]]
    """Bucket name. Default: auto-named from the component name with a random suffix."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """An existing customer-managed KMS key. Default: a new EncryptionKey with rotation on,
    usable by S3 for this account only."""
    retention_days: NotRequired[int]
    """Days after which objects expire. Default: kept forever for artifacts and data; 400 days
    for capture and monitoring (never fewer than 183)."""
    noncurrent_version_retention_days: NotRequired[int]
    """Days a replaced or deleted object's previous version is kept. Default: 90."""
    access_log_bucket: NotRequired[pulumi.Input[str]]
    """Bucket receiving S3 server access logs. Default: no access logging (S3 delivers server
    access logs only to SSE-S3 buckets; use CloudTrail data events for a KMS-only estate)."""
    access_log_prefix: NotRequired[str]
    """Prefix of the access logs in `access_log_bucket`. Default: `<name>/`."""
    reader_account_ids: NotRequired[list[str]]
    """Other accounts that may read objects (under `reader_prefixes`), e.g. the production account
    deploying model versions from a ModelRegistry: the bucket policy allows them s3:GetObject and
    s3:ListBucket, and the bucket's own key kms:Decrypt through S3. Their IAM policies must still
    grant their roles the same. Not with `kms_key_arn` (that key's policy is not ours to write).
    Default: none."""
    reader_prefixes: NotRequired[list[str]]
    """Prefixes `reader_account_ids` may read, e.g. `churn/`. Default: the whole bucket."""
    allow_deleting_production_data: NotRequired[bool]
    """In a production stack (prod, production) the bucket and its key are protected from
    deletion. Set true to let `pulumi destroy` delete them there; the data are lost. Default: false."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the bucket, its key and every other child."""
