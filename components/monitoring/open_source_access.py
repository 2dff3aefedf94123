"""Least-privilege IAM documents of the open-source monitoring job: its Lambda execution role
and the role EventBridge Scheduler invokes it with. Pure functions of plain values."""

from __future__ import annotations

from typing import Any

from mlrails_components.support.aws import AwsContext, object_arns, policy_json, prefix_arns


def trust_policy(context: AwsContext, service: str) -> str:
    """`service` may assume the role for this account only (confused deputy: IAM user guide,
    "The confused deputy problem"; aws:SourceAccount is set by Lambda and by Scheduler: Scheduler
    user guide, "Set up the execution role")."""
    return policy_json(
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": context.service_principal(service)},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
            }
        ]
    )


def _listing(context: AwsContext, uri: str) -> dict[str, Any]:
    """s3:ListBucket on the bucket, limited to the prefix: ListObjectsV2 needs s3:ListBucket
    (S3 API reference, ListObjectsV2 Permissions), scoped by the s3:prefix condition key (Service
    Authorization Reference, Amazon S3 condition keys)."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    prefix = key.rstrip("/") + "/" if key else ""
    return {
        "resource": f"arn:{context.partition}:s3:::{bucket}",
        "prefix": f"{prefix}*",
    }


def job_policy(
    context: AwsContext,
    *,
    capture_uri: str,
    capture_key: str,
    reads: list[tuple[str, str]],
    lists: list[str],
    output_uri: str,
    output_key: str,
    namespace: str,
    log_group_arn: str,
) -> str:
    """The job's permissions: list and read its capture, baseline and ground truth and decrypt
    them, write reports under the output prefix with the output key, publish metrics in its
    namespace, write its logs. `reads` are (S3 URI, key ARN) pairs; `lists` are the prefixes
    the job lists (capture and ground truth)."""
    prefixes: dict[str, set[str]] = {}
    for uri in [capture_uri, *lists]:
        listing = _listing(context, uri)
        prefixes.setdefault(listing["resource"], set()).add(listing["prefix"])
    statements: list[dict[str, Any]] = [
        {
            "Sid": f"ListInputs{index}",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": bucket,
            "Condition": {"StringLike": {"s3:prefix": sorted(prefixes[bucket])}},
        }
        for index, bucket in enumerate(sorted(prefixes))
    ]
    statements += [
        {
            "Sid": "ReadCaptureBaselineAndGroundTruth",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": sorted(
                {prefix_arns(context, capture_uri)}
                | {object_arns(context, uri) for uri, _ in reads}
            ),
        },
        {
            # GetObject of an SSE-KMS object needs kms:Decrypt on its key (S3 user guide,
            # "Using server-side encryption with AWS KMS keys", permissions), only through S3.
            "Sid": "DecryptInputs",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": sorted({capture_key, *(key for _, key in reads)}),
            "Condition": context.key_only_via("s3"),
        },
        {
            "Sid": "WriteReports",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": prefix_arns(context, output_uri),
        },
        {
            # PutObject with SSE-KMS needs kms:GenerateDataKey on the key (same S3 page); the
            # job writes single-part objects, so no kms:Decrypt for multipart uploads.
            "Sid": "EncryptReports",
            "Effect": "Allow",
            "Action": "kms:GenerateDataKey",
            "Resource": output_key,
            "Condition": context.key_only_via("s3"),
        },
        {
            # PutMetricData has no resource ARN; cloudwatch:namespace scopes it (CloudWatch user
            # guide, "Using condition keys to limit access to CloudWatch namespaces").
            "Sid": "PublishMonitoringMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": namespace}},
        },
        {
            # The log group exists (the component creates it), so no logs:CreateLogGroup: the
            # two actions of AWSLambdaBasicExecutionRole that write (Lambda developer guide,
            # "Defining Lambda function permissions with an execution role").
            "Sid": "WriteJobLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:*",
        },
    ]
    return policy_json(statements)


def scheduler_policy(function_arn: str) -> str:
    """The schedule's role may invoke the job's function and nothing else (Scheduler user
    guide, "Set up the execution role": lambda:InvokeFunction for a Lambda target)."""
    return policy_json(
        [
            {
                "Sid": "InvokeMonitoringJob",
                "Effect": "Allow",
                "Action": "lambda:InvokeFunction",
                "Resource": function_arn,
            }
        ]
    )
