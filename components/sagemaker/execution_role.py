"""The models' execution role: read the model data, pull the images, write capture and logs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlrails_components.sagemaker.images import ecr_pull_statements
from mlrails_components.sagemaker.model_data import ModelDataGrant, model_data_statements
from mlrails_components.support.aws import AwsContext, policy_json, prefix_arns


@dataclass(frozen=True)
class CaptureTarget:
    destination_s3_uri: str
    kms_key_arn: str


def execution_policy(
    context: AwsContext,
    endpoint_name: str,
    model_data: list[ModelDataGrant],
    images: list[str],
    capture: CaptureTarget | None,
    in_vpc: bool,
) -> str:
    statements: list[dict[str, Any]] = model_data_statements(context, model_data)
    statements += ecr_pull_statements("PullModelImages", images, context.partition)
    if capture is not None:
        statements += [
            {
                "Sid": "WriteCapturedData",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": prefix_arns(context, capture.destination_s3_uri),
            },
            {
                "Sid": "EncryptCapturedData",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": capture.kms_key_arn,
                "Condition": context.key_only_via("s3"),
            },
        ]
    log_group = f"/aws/sagemaker/Endpoints/{endpoint_name}"
    statements += [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            "Resource": [
                context.arn("logs", f"log-group:{log_group}"),
                context.arn("logs", f"log-group:{log_group}:log-stream:*"),
            ],
        },
        {
            # CloudWatch metrics have no resource ARN; the namespace condition scopes the grant.
            "Sid": "PublishOwnMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
        },
    ]
    if in_vpc:
        statements.append(
            {
                # Network interfaces are created by SageMaker in the chosen subnets; EC2 does
                # not scope these actions to resources that do not exist yet.
                "Sid": "AttachToVpc",
                "Effect": "Allow",
                "Action": [
                    "ec2:CreateNetworkInterface",
                    "ec2:CreateNetworkInterfacePermission",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DeleteNetworkInterfacePermission",
                    "ec2:DescribeDhcpOptions",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                ],
                "Resource": "*",
            }
        )
    return policy_json(statements)


def describe_alarms_policy(context: AwsContext, alarm_names: list[str]) -> str:
    """Let SageMaker read the rollback alarms' state with the execution role.

    DG deployment-guardrails-configuration.md: "Ensure that your IAM execution role has
    permission to perform the cloudwatch:DescribeAlarms action on the auto-rollback alarms you
    specify" (https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html).
    Alarm ARNs are `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>` (Service
    Authorization Reference, Amazon CloudWatch resource type `alarm`).
    """
    return policy_json(
        [
            {
                "Sid": "DescribeRollbackAlarms",
                "Effect": "Allow",
                "Action": "cloudwatch:DescribeAlarms",
                "Resource": sorted({context.arn("cloudwatch", f"alarm:{n}") for n in alarm_names}),
            }
        ]
    )


def invoke_policy(endpoint_arn: str) -> str:
    return policy_json(
        [
            {
                "Effect": "Allow",
                "Action": ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync"],
                "Resource": endpoint_arn,
            }
        ]
    )
