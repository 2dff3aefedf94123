"""Raw pulumi_aws resources: a key, a bucket and its encryption, a role from a policy document."""

import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
owner = config.require("owner")
labels = config.require_object("labels")
retention_days = config.require_int("retentionDays")
token = config.require_secret("webhookToken")
tags = {"owner": owner, **labels}

identity = aws.get_caller_identity()
key = aws.kms.Key(
    "data-key",
    enable_key_rotation=True,
    deletion_window_in_days=7,
    description=f"data key for account {identity.account_id}",
    tags=tags,
)
bucket = aws.s3.Bucket("data", bucket_prefix=config.get("bucketPrefix"), tags=tags)
aws.s3.BucketServerSideEncryptionConfiguration(
    "data-encryption",
    bucket=bucket.id,
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
assume = aws.iam.get_policy_document(
    statements=[
        {
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": ["sagemaker.amazonaws.com"]}],
        }
    ]
)
role = aws.iam.Role("model-role", assume_role_policy=assume.json, tags=tags)
aws.ssm.Parameter(
    "webhook-token",
    type="SecureString",
    value=token,
    key_id=key.arn,
    description=f"retained {retention_days} days",
)
pulumi.export("bucket", bucket.bucket)
pulumi.export("policy", json.loads(assume.json))
