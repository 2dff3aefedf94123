"""Two encrypted stores and the least-privilege grants of a model's execution role."""

import json

import pulumi
import pulumi_aws as aws

from mlrails_components.storage import EncryptedBucket

config = pulumi.Config()
tags = {
    "owner": config.require("owner"),
    "cost-center": config.require("costCenter"),
    "data-classification": "confidential",
}

artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": tags})
capture = EncryptedBucket("capture", {"purpose": "capture", "retention_days": 400, "tags": tags})

# SageMaker may assume the role on behalf of this account only (no confused deputy).
account_id = aws.get_caller_identity().account_id
role = aws.iam.Role(
    "model-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sagemaker.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
                }
            ],
        }
    ),
    tags=tags,
)
artifacts.grant_read(role, prefix="models/fraud")
capture.grant_write(role, prefix="fraud")

pulumi.export("artifacts_uri", artifacts.s3_uri("models/fraud"))
pulumi.export("capture_bucket", capture.bucket_name)
