"""N endpoints declared raw: the 18 pulumi_aws resources ModelEndpoint creates for each, with the
same inputs, but no components, no validation and one account lookup for the whole program."""

import json

import pulumi
import pulumi_aws as aws

count = pulumi.Config().require_int("endpoints")
tags = {"owner": "bench", "cost-center": "cc-0", "data-classification": "internal"}
account = aws.get_caller_identity().account_id
root = f"arn:aws:iam::{account}:root"


def key(name, service):
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountDelegatesToIam",
                    "Effect": "Allow",
                    "Principal": {"AWS": root},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Resource": "*",
                    "Action": [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                    ],
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                },
            ],
        }
    )
    k = aws.kms.Key(
        f"{name}-key",
        enable_key_rotation=True,
        rotation_period_in_days=365,
        deletion_window_in_days=30,
        key_usage="ENCRYPT_DECRYPT",
        customer_master_key_spec="SYMMETRIC_DEFAULT",
        policy=policy,
        tags=tags,
    )
    aws.kms.Alias(f"{name}-alias", name=f"alias/{name}", target_key_id=k.key_id)
    return k


for i in range(count):
    name = f"model-{i}"
    endpoint_name = f"{name}-0123456"
    volume_key = key(f"{name}-key", "sagemaker.amazonaws.com")
    capture_key = key(f"{name}-capture-key", "s3.amazonaws.com")
    bucket = aws.s3.Bucket(f"{name}-capture-bucket", force_destroy=False, tags=tags)
    aws.s3.BucketOwnershipControls(
        f"{name}-capture-ownership",
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
    )
    block = aws.s3.BucketPublicAccessBlock(
        f"{name}-capture-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-capture-encryption",
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": capture_key.arn,
                },
                "bucket_key_enabled": True,
            }
        ],
    )
    aws.s3.BucketVersioning(
        f"{name}-capture-versioning",
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled"},
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-capture-lifecycle",
        bucket=bucket.id,
        rules=[
            {
                "id": "abort-incomplete-multipart-uploads",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
            },
            {
                "id": "expire-noncurrent-versions",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "noncurrent_version_expiration": {"noncurrent_days": 90},
            },
            {
                "id": "expire-after-retention",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "expiration": {"days": 400},
            },
        ],
    )
    aws.s3.BucketPolicy(
        f"{name}-capture-policy",
        bucket=bucket.id,
        opts=pulumi.ResourceOptions(depends_on=[block]),
        policy=pulumi.Output.all(bucket.bucket, capture_key.arn).apply(
            lambda v: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [f"arn:aws:s3:::{v[0]}", f"arn:aws:s3:::{v[0]}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        },
                        {
                            "Sid": "DenyObjectsEncryptedWithAnotherKey",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{v[0]}/*",
                            "Condition": {
                                "StringNotEqualsIfExists": {
                                    "s3:x-amz-server-side-encryption-aws-kms-key-id": v[1]
                                }
                            },
                        },
                    ],
                }
            )
        ),
    )
    role = aws.iam.Role(
        f"{name}-role",
        tags=tags,
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "sagemaker.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                    }
                ],
            }
        ),
    )
    role_policy = aws.iam.RolePolicy(
        f"{name}-role-policy",
        role=role.id,
        policy=pulumi.Output.all(bucket.bucket, capture_key.arn).apply(
            lambda v, i=i: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "s3:GetObject",
                            "Resource": [f"arn:aws:s3:::acme-models/model-{i}/model.tar.gz"],
                        },
                        {
                            "Effect": "Allow",
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{v[0]}/*",
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                            "Resource": v[1],
                        },
                    ],
                }
            )
        ),
    )
    model = aws.sagemaker.Model(
        f"{name}-main-model",
        execution_role_arn=role.arn,
        enable_network_isolation=True,
        tags=tags,
        primary_container={
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.0.0",
            "model_data_url": f"s3://acme-models/model-{i}/model.tar.gz",
        },
        opts=pulumi.ResourceOptions(depends_on=[role_policy]),
    )
    config = aws.sagemaker.EndpointConfiguration(
        f"{name}-config",
        kms_key_arn=volume_key.arn,
        tags=tags,
        production_variants=[
            {
                "variant_name": "main",
                "model_name": model.name,
                "initial_variant_weight": 1.0,
                "instance_type": "ml.m5.large",
                "initial_instance_count": 2,
                "routing_configs": [{"routing_strategy": "LEAST_OUTSTANDING_REQUESTS"}],
            }
        ],
        data_capture_config={
            "enable_capture": True,
            "initial_sampling_percentage": 100,
            "destination_s3_uri": bucket.bucket.apply(lambda b, n=endpoint_name: f"s3://{b}/{n}/"),
            "kms_key_id": capture_key.arn,
            "capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}],
            "capture_content_type_header": {
                "csv_content_types": ["text/csv"],
                "json_content_types": ["application/json"],
            },
        },
    )
    dims = {"EndpointName": endpoint_name, "VariantName": "main"}
    alarms = [
        aws.cloudwatch.MetricAlarm(
            f"{name}-main-error-rate",
            comparison_operator="GreaterThanThreshold",
            threshold=1.0,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            treat_missing_data="notBreaching",
            tags=tags,
            alarm_actions=["arn:aws:sns:us-east-1:123456789012:alerts"],
            metric_queries=[
                {
                    "id": "errors",
                    "return_data": False,
                    "metric": {
                        "namespace": "AWS/SageMaker",
                        "metric_name": "Invocation5XXErrors",
                        "dimensions": dims,
                        "period": 60,
                        "stat": "Sum",
                    },
                },
                {
                    "id": "invocations",
                    "return_data": False,
                    "metric": {
                        "namespace": "AWS/SageMaker",
                        "metric_name": "Invocations",
                        "dimensions": dims,
                        "period": 60,
                        "stat": "Sum",
                    },
                },
                {
                    "id": "error_rate",
                    "expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
                    "return_data": True,
                },
            ],
        ),
        aws.cloudwatch.MetricAlarm(
            f"{name}-main-latency",
            namespace="AWS/SageMaker",
            metric_name="ModelLatency",
            dimensions=dims,
            extended_statistic="p99",
            unit="Microseconds",
            period=60,
            threshold=1_000_000.0,
            comparison_operator="GreaterThanThreshold",
            evaluation_periods=3,
            datapoints_to_alarm=2,
            treat_missing_data="notBreaching",
            tags=tags,
            alarm_actions=["arn:aws:sns:us-east-1:123456789012:alerts"],
        ),
    ]
    aws.sagemaker.Endpoint(
        f"{name}-endpoint",
        name=endpoint_name,
        endpoint_config_name=config.name,
        tags=tags,
        deployment_config={
            "blue_green_update_policy": {
                "traffic_routing_configuration": {
                    "type": "CANARY",
                    "wait_interval_in_seconds": 600,
                    "canary_size": {"type": "CAPACITY_PERCENT", "value": 10},
                },
                "termination_wait_in_seconds": 300,
                "maximum_execution_timeout_in_seconds": 3600,
            },
            "auto_rollback_configuration": {"alarms": [{"alarm_name": a.name} for a in alarms]},
        },
    )
