"""The reference ML platform: an encrypted artifact store and an encrypted alert topic.

A stand-in built from raw pulumi_aws resources; the mlrails components replace it.
"""

import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
tags = {
    "owner": config.require("owner"),
    "cost-center": config.require("costCenter"),
    "data-classification": config.require("dataClassification"),
}

key = aws.kms.Key(
    "platform-key",
    description="ML platform data key",
    enable_key_rotation=True,
    deletion_window_in_days=30,
    tags=tags,
)
artifacts = aws.s3.Bucket("artifacts", tags=tags)
aws.s3.BucketServerSideEncryptionConfiguration(
    "artifacts-encryption",
    bucket=artifacts.id,
    rules=[
        {
            "apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms",
                "kms_master_key_id": key.arn,
            },
            "bucket_key_enabled": True,
        }
    ],
)
aws.s3.BucketVersioning(
    "artifacts-versioning",
    bucket=artifacts.id,
    versioning_configuration={"status": "Enabled"},
)
aws.s3.BucketPublicAccessBlock(
    "artifacts-public-access",
    bucket=artifacts.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketPolicy(
    "artifacts-tls-only",
    bucket=artifacts.id,
    policy=artifacts.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyInsecureTransport",
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
alerts = aws.sns.Topic("alerts", kms_master_key_id=key.arn, tags=tags)

pulumi.export("artifacts_bucket", artifacts.bucket)
pulumi.export("alert_topic_arn", alerts.arn)
