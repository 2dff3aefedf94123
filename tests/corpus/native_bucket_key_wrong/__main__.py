import json

import pulumi_aws as aws
import pulumi_aws_native as native

TAGS = {"owner": "ml", "cost-center": "42", "data-classification": "internal"}
key = native.kms.Key(
    "data",
    enable_key_rotation=True,
    key_policy={
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    },
    tags=[{"key": k, "value": v} for k, v in TAGS.items()],
)
bucket = aws.s3.BucketV2("data", tags=TAGS)
aws.s3.BucketPublicAccessBlock(
    "data",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketVersioningV2("data", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
aws.s3.BucketPolicy(
    "data",
    bucket=bucket.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [arn, f"{arn}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        )
    ),
)
# The same program made wrong: S3-managed keys instead of the customer key.
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "data",
    bucket=bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)
