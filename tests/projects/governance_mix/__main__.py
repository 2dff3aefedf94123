"""Compliant and non-compliant raw resources, for judging the pack in-process and over gRPC."""

import json

import pulumi_aws as aws

tags = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}

aws.kms.Key("open-key", enable_key_rotation=False, tags=tags)
key = aws.kms.Key("data-key", enable_key_rotation=True, tags=tags)

aws.s3.Bucket("raw-data")
aws.s3.Bucket("scratch", tags=tags)

guarded = aws.s3.Bucket("guarded", tags=tags)
aws.s3.BucketServerSideEncryptionConfiguration(
    "guarded-encryption",
    bucket=guarded.id,
    rules=[
        {
            "apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms",
                "kms_master_key_id": key.arn,
            }
        }
    ],
)
aws.s3.BucketPublicAccessBlock(
    "guarded-block",
    bucket=guarded.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketVersioning(
    "guarded-versioning", bucket=guarded.id, versioning_configuration={"status": "Enabled"}
)
aws.s3.BucketPolicy(
    "guarded-policy",
    bucket=guarded.id,
    # Built from the bucket's ARN: unknown in a first preview.
    policy=guarded.arn.apply(
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

aws.iam.Policy(
    "too-broad",
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
    ),
    tags=tags,
)

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
                }
            ],
        }
    ),
    tags=tags,
)
model = aws.sagemaker.Model(
    "fraud-model",
    execution_role_arn=role.arn,
    primary_container={
        "image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    },
    tags=tags,
)
config = aws.sagemaker.EndpointConfiguration(
    "fraud-config",
    production_variants=[
        {
            "variant_name": "primary",
            "model_name": model.name,
            "instance_type": "ml.m5.large",
            "initial_instance_count": 1,
        }
    ],
    tags=tags,
)
aws.sagemaker.Endpoint("fraud", endpoint_config_name=config.name, tags=tags)
