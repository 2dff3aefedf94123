"""The AWS account, partition and region a component deploys into, asked of the provider."""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi.runtime.settings import get_monitor


@dataclass(frozen=True)
class AwsContext:
    account_id: str
    partition: str
    region: str
    dns_suffix: str

    def arn(self, service: str, resource: str, region: bool = True, account: bool = True) -> str:
        return (
            f"arn:{self.partition}:{service}:{self.region if region else ''}:"
            f"{self.account_id if account else ''}:{resource}"
        )

    @property
    def account_root(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def service_principal(self, service: str) -> str:
        return f"{service}.{self.dns_suffix}"

    def key_only_via(self, service: str) -> dict:
        """The condition that lets a KMS key be used through `service` in this region only."""
        return {"StringEquals": {"kms:ViaService": f"{service}.{self.region}.{self.dns_suffix}"}}


# One lookup per run and provider: every component under the same provider deploys to the same
# account and region. Keyed by the run's resource monitor client: a program has one for its whole
# run, and so does each Construct call of the component provider, which has no root Stack resource
# (pulumi/provider/server.py `_construct` resets the settings, and with them the monitor, per call).
_CONTEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def aws_context(parent: pulumi.Resource) -> AwsContext:
    """Ask the component's provider (through its parent) where it deploys.

    Invokes run during a preview too, so everything built from this is known in a preview.
    Looked up once per run and provider: a synchronous invoke pumps the event loop, which costs
    more the more registrations are in flight, so a large program must not repeat it.
    """
    provider = parent.get_provider("aws::getCallerIdentity")
    monitor = get_monitor()
    per_run = {} if monitor is None else _CONTEXTS.setdefault(monitor, {})
    key = id(provider)
    if key not in per_run:
        opts = pulumi.InvokeOptions(parent=parent)
        identity = aws.get_caller_identity(opts=opts)
        partition = aws.get_partition(opts=opts)
        region = aws.get_region(opts=opts)
        context = AwsContext(
            identity.account_id, partition.partition, region.region, partition.dns_suffix
        )
        # The provider is kept with its context, so its id cannot be reused within the run.
        per_run[key] = (provider, context)
    return per_run[key][1]


def policy_json(statements: list[dict]) -> str:
    """An IAM policy document, keys in the order AWS prints them.

    Compact: AWS normalizes policy documents anyway, and `indent` would force Python's slow
    pure-Python JSON encoder for every policy of a large program.
    """
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def sagemaker_trust_policy(context: AwsContext) -> str:
    """SageMaker may assume the role, for this account's resources only (confused deputy)."""
    return policy_json(
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": context.service_principal("sagemaker")},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
            }
        ]
    )


def split_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key or prefix) of an s3:// URI."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def list_prefix_statement(sid: str, bucket_arn: str, prefix: str) -> dict:
    """s3:ListBucket on a bucket, for keys under `prefix` only (every key when it is empty)."""
    statement: dict = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": bucket_arn,
    }
    scope = prefix.strip("/")
    if scope:
        statement["Condition"] = {"StringLike": {"s3:prefix": [f"{scope}/*", scope]}}
    return statement


def object_arns(context: AwsContext, uri: str) -> str:
    """The object an S3 URI names, or every object under it when it is a prefix."""
    bucket, key = split_s3_uri(uri)
    base = f"arn:{context.partition}:s3:::{bucket}"
    if not key or key.endswith("/"):
        return f"{base}/{key}*"
    return f"{base}/{key}"


def prefix_arns(context: AwsContext, uri: str) -> str:
    """Every object under an S3 URI read as a prefix, with or without its trailing slash."""
    return object_arns(context, uri.rstrip("/") + "/")


def role_grant_target(
    component: str, method: str, role: aws.iam.Role | pulumi.Input[str], name: str | None
) -> tuple[str, pulumi.Input[str]]:
    """(label of the policy a grant creates, the role's name) for a Role, its name or its ARN.

    A Role labels the policy with its own name; a plain name or ARN needs `name=`.
    """
    if isinstance(role, aws.iam.Role):
        return name or role._name, role.name
    if name is None:
        raise ValueError(
            f"{component}: {method} got role {role!r}, a name or ARN, so it needs `name=` to "
            "label the policy it creates."
        )
    return name, role
