"""Offline answers to the provider functions (invokes) that programs and components call.

Each answer has the shape the provider returns (camelCase keys), with values a real account
would give. An invoke not listed here fails the preview with a message naming it: a made-up
answer could hide a wrong program.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from mlrails.engine.ecr_images import registry_account
from mlrails.engine.identity import ACCOUNT_ID, PARTITION

InvokeHandler = Callable[[dict[str, Any], str], dict[str, Any]]


class UnknownInvokeError(Exception):
    """The program called a provider function the offline engine cannot answer."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _caller_identity(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:{PARTITION}:iam::{ACCOUNT_ID}:user/mlrails-offline",
        "userId": "AIDAOFFLINEPREVIEW0001",
        "id": ACCOUNT_ID,
    }


def _region(args: dict[str, Any], region: str) -> dict[str, Any]:
    chosen = args.get("region") or args.get("name") or region
    return {
        "name": chosen,
        "region": chosen,
        "id": chosen,
        "endpoint": f"ec2.{chosen}.amazonaws.com",
        "description": chosen,
    }


def _partition(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "partition": PARTITION,
        "id": PARTITION,
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
    }


def _availability_zones(args: dict[str, Any], region: str) -> dict[str, Any]:
    zones = [f"{region}{letter}" for letter in "abc"]
    return {
        "id": region,
        "names": zones,
        "zoneIds": [f"use1-az{i}" for i in range(1, 4)],
        "groupNames": [region],
    }


def _prebuilt_ecr_image(args: dict[str, Any], region: str) -> dict[str, Any]:
    chosen = args.get("region") or region
    repository = args["repositoryName"]
    account = registry_account(repository, chosen)
    if account is None:
        # Not in sagemaker-core's table: the answer is invented, and listed as such.
        raise UnknownInvokeError("aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage")
    tag = args.get("imageTag") or "1"
    suffix = args.get("dnsSuffix") or (
        "amazonaws.com.cn" if chosen.startswith("cn-") else "amazonaws.com"
    )
    registry = f"{account}.dkr.ecr.{chosen}.{suffix}"
    return {
        "id": account,
        "registryId": account,
        "registryPath": f"{registry}/{repository}:{tag}",
        "repositoryName": repository,
        "imageTag": tag,
        "region": chosen,
    }


def _policy_document(args: dict[str, Any], region: str) -> dict[str, Any]:
    document = render_policy_document(args)
    minified = json.dumps(document, separators=(",", ":"))
    return {
        # The provider's id is a hash of the document; any stable digest serves offline.
        "id": str(int(hashlib.sha256(minified.encode()).hexdigest()[:8], 16)),
        "json": json.dumps(document, indent=2),
        "minifiedJson": minified,
    }


def render_policy_document(args: dict[str, Any]) -> dict[str, Any]:
    """Render `aws.iam.get_policy_document` arguments as the provider does."""
    document: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        document["Id"] = args["policyId"]
    document["Statement"] = [_statement(s) for s in args.get("statements") or []]
    return document


def _one_or_many(values: list[Any]) -> Any:
    unique = sorted(set(values))
    return unique[0] if len(unique) == 1 else unique


def _principals(principals: list[dict[str, Any]]) -> Any:
    rendered: dict[str, Any] = {}
    for principal in principals:
        if principal.get("type") == "*":
            return "*"
        identifiers = principal.get("identifiers") or []
        rendered[principal["type"]] = _one_or_many(identifiers)
    return rendered


def _statement(statement: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if statement.get("sid"):
        out["Sid"] = statement["sid"]
    out["Effect"] = statement.get("effect") or "Allow"
    for key, wire in (
        ("Action", "actions"),
        ("NotAction", "notActions"),
        ("Resource", "resources"),
        ("NotResource", "notResources"),
    ):
        if statement.get(wire):
            out[key] = _one_or_many(statement[wire])
    if statement.get("principals"):
        out["Principal"] = _principals(statement["principals"])
    if statement.get("notPrincipals"):
        out["NotPrincipal"] = _principals(statement["notPrincipals"])
    if statement.get("conditions"):
        conditions: dict[str, dict[str, Any]] = {}
        for condition in statement["conditions"]:
            tests = conditions.setdefault(condition["test"], {})
            tests[condition["variable"]] = _one_or_many(condition.get("values") or [])
        out["Condition"] = conditions
    return out


def _yaml_decode(args: dict[str, Any], region: str) -> dict[str, Any]:
    """pulumi-kubernetes' `yaml.ConfigFile`/`ConfigGroup` (v1) ask the provider to parse their
    manifests (`kubernetes:yaml:decode`, pulumi_kubernetes/yaml/yaml.py): every document of
    the text, empty ones dropped."""
    import yaml

    return {"result": [doc for doc in yaml.safe_load_all(args.get("text") or "") if doc]}


HANDLERS: dict[str, InvokeHandler] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage": _prebuilt_ecr_image,
    "kubernetes:yaml:decode": _yaml_decode,
}


def answer(token: str, args: dict[str, Any], region: str) -> dict[str, Any]:
    handler = HANDLERS.get(token)
    if handler is None:
        raise UnknownInvokeError(token)
    return handler(args, region)
