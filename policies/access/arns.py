"""ARNs, and the partition, account and region a program deploys to (read off its ARNs)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from mlrails_policies.framework.links import StackIndex
from mlrails_policies.framework.wire import UNKNOWN, get, strings

_ARN = re.compile(r"^arn:([\w-]+):([\w-]+):([\w-]*):(\d{12}|aws)?:(.+)$")
_ARN_IN_TEXT = re.compile(r"arn:[\w-]+:[\w-]+:[\w-]*:\d{12}:[^\"\s,\]]+")


def parse_arn(value: Any) -> tuple[str, str, str, str | None, str] | None:
    """(partition, service, region, account, resource) of an ARN; the account may be absent."""
    if not isinstance(value, str):
        return None
    match = _ARN.match(value)
    if match is None:
        return None
    partition, service, region, account, resource = match.groups()
    return partition, service, region, account, resource


@dataclass
class Environment:
    partition: str = "aws"
    account: Any = UNKNOWN
    region: Any = UNKNOWN

    @property
    def dns_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"

    def arn(self, service: str, resource: str, *, regional: bool = True) -> Any:
        if self.account is UNKNOWN or (regional and self.region is UNKNOWN):
            return UNKNOWN
        region = self.region if regional else ""
        return f"arn:{self.partition}:{service}:{region}:{self.account}:{resource}"

    def via(self, service: str) -> Any:
        if self.region is UNKNOWN:
            return UNKNOWN
        return f"{service}.{self.region}.{self.dns_suffix}"


def environment_of(index: StackIndex) -> Environment:
    """The account and region the program deploys to, read off the ARNs in its inputs."""
    accounts: Counter[tuple[str, str]] = Counter()
    regions: Counter[str] = Counter()
    for resource in index.resources:
        if resource.resource_type.startswith("pulumi:"):
            continue
        target = resource.props
        found = [
            v
            for key in ("executionRoleArn", "roleArn", "arn", "kmsMasterKeyId", "kmsKeyArn")
            for v in strings(get(target, key))
        ]
        for key in ("policy", "keyPolicy", "assumeRolePolicy"):
            document = get(target, key)
            if isinstance(document, str):
                found += _ARN_IN_TEXT.findall(document)
        for value in found:
            parsed = parse_arn(value)
            if parsed and parsed[3] and parsed[3] != "aws":
                accounts[(parsed[0], parsed[3])] += 1
                if parsed[2]:
                    regions[parsed[2]] += 1
    if not accounts:
        return Environment()
    (partition, account), _ = accounts.most_common(1)[0]
    region = regions.most_common(1)[0][0] if regions else UNKNOWN
    return Environment(partition, account, region)
