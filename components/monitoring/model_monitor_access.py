"""The role policy of ModelMonitor's jobs: what they read, write and run, and nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlrails_components.sagemaker.images import ecr_pull_statements
from mlrails_components.support.aws import (
    AwsContext,
    list_prefix_statement,
    object_arns,
    policy_json,
    prefix_arns,
    split_s3_uri,
)


@dataclass(frozen=True)
class MonitorAccess:
    """What the jobs of one monitor read, write and run (URIs and key ARNs, resolved)."""

    baselines: list[str]
    baselines_key: str | None
    capture_uri: str
    capture_key: str
    ground_truth_uris: list[str]
    ground_truth_key: str | None
    output_uri: str
    output_key: str
    images: list[str]
    shadow_endpoints: bool


def monitor_policy(context: AwsContext, access: MonitorAccess) -> str:
    """The jobs' role policy (DG sagemaker-roles.md, "CreateProcessingJob API: Execution Role
    Permissions"): read the inputs (s3:GetObject, s3:ListBucket on the input buckets, kms:Decrypt
    "if your input is encrypted using SSE-KMS"), write the output (kms:Encrypt for the output
    key), kms:CreateGrant "if you specify a volume KMS key", pull the image, logs and metrics."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadBaselines",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": sorted({object_arns(context, u) for u in access.baselines}),
        },
        {
            "Sid": "ReadCapturedData",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": prefix_arns(context, access.capture_uri),
        },
        *_listings("ListCapturedData", context, [access.capture_uri]),
    ]
    if access.ground_truth_uris:
        statements += [
            {
                "Sid": "ReadGroundTruth",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": sorted({prefix_arns(context, u) for u in access.ground_truth_uris}),
            },
            *_listings("ListGroundTruth", context, access.ground_truth_uris),
        ]
    input_keys = {access.capture_key, access.baselines_key}
    if access.ground_truth_uris:
        input_keys.add(access.ground_truth_key)
    statements += [
        {
            "Sid": "DecryptInputs",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": sorted(k for k in input_keys if k),
            "Condition": context.key_only_via("s3"),
        },
        {
            "Sid": "WriteReports",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": prefix_arns(context, access.output_uri),
        },
        {
            # Uploading SSE-KMS objects generates data keys; parts of a multipart upload decrypt.
            "Sid": "EncryptReports",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": access.output_key,
        },
        {
            # The output key also encrypts the processing volume, which SageMaker attaches with a
            # grant on the role's behalf; kms:GrantIsForAWSResource limits the grant to that
            # (KMS DG, https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
            "Sid": "EncryptVolumes",
            "Effect": "Allow",
            "Action": "kms:CreateGrant",
            "Resource": access.output_key,
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
        },
    ]
    statements += ecr_pull_statements("PullMonitorImages", access.images, context.partition)
    statements += [
        {
            "Sid": "WriteJobLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            "Resource": context.arn("logs", "log-group:/aws/sagemaker/ProcessingJobs:*"),
        },
        {
            # Metrics have no resource ARN; the namespace condition scopes the grant.
            "Sid": "PublishMonitoringMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringLike": {"cloudwatch:namespace": "aws/sagemaker/Endpoints/*"}},
        },
    ]
    if access.shadow_endpoints:
        # Clarify runs its analysis against a temporary shadow endpoint named sm-clarify-*.
        shadow = [
            context.arn("sagemaker", f"{kind}/sm-clarify-*")
            for kind in ("model", "endpoint-config", "endpoint")
        ]
        statements.append(
            {
                "Sid": "ClarifyShadowEndpoint",
                "Effect": "Allow",
                "Action": [
                    "sagemaker:CreateModel",
                    "sagemaker:CreateEndpointConfig",
                    "sagemaker:CreateEndpoint",
                    "sagemaker:DescribeEndpoint",
                    "sagemaker:InvokeEndpoint",
                    "sagemaker:DeleteEndpoint",
                    "sagemaker:DeleteEndpointConfig",
                    "sagemaker:DeleteModel",
                ],
                "Resource": shadow,
            }
        )
    return policy_json(statements)


def _listings(sid: str, context: AwsContext, uris: list[str]) -> list[dict]:
    """ListBucket on each bucket of `uris`, for their prefixes only: a job reads an input prefix
    by listing it (DG sagemaker-roles.md, CreateProcessingJob: s3:ListBucket on input buckets)."""
    prefixes: dict[str, set[str]] = {}
    for uri in uris:
        bucket, prefix = split_s3_uri(uri)
        prefixes.setdefault(bucket, set()).add(prefix.strip("/"))
    statements = []
    for index, (bucket, scopes) in enumerate(sorted(prefixes.items())):
        name = sid if index == 0 else f"{sid}{index + 1}"
        arn = f"arn:{context.partition}:s3:::{bucket}"
        statement = list_prefix_statement(name, arn, next(iter(scopes)) if len(scopes) == 1 else "")
        if len(scopes) > 1 and all(scopes):
            patterns = {f"{p}/*" for p in scopes} | scopes
            statement["Condition"] = {"StringLike": {"s3:prefix": sorted(patterns)}}
        statements.append(statement)
    return statements
