"""The AWS account, partition and region a component deploys into, asked of the provider."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


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


def aws_context(parent: pulumi.Resource) -> AwsContext:
    """Ask the component's provider (through its parent) where it deploys.

    Invokes run during a preview too, so everything built from this is known in a preview.
    """
    opts = pulumi.InvokeOptions(parent=parent)
    identity = aws.get_caller_identity(opts=opts)
    partition = aws.get_partition(opts=opts)
    region = aws.get_region(opts=opts)
    return AwsContext(identity.account_id, partition.partition, region.region, partition.dns_suffix)


def policy_json(statements: list[dict]) -> str:
    """An IAM policy document, with keys in the order AWS prints them."""
    import json

    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)
