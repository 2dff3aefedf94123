"""AWS API responses in the provider's wire format: what a rule sees for a Pulumi resource.

The Pulumi AWS providers name inputs after the API's members in camelCase (`KmsKeyId` ->
`kmsKeyId`), take tags as a map, and CloudWatch dimensions as a map; readers rename the few
members whose provider input has another name (a model's `ModelName` is its `name`).
"""

from __future__ import annotations

import datetime
from typing import Any

from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_OBJECT_VALUE, UNKNOWN_STRING_VALUE

from mlrails.plan import ResourceRecord

# What a part of a record is when it could not be read: the engine's own unknown values.
UNREAD_OBJECT = UNKNOWN_OBJECT_VALUE
UNREAD_BOOLEAN = UNKNOWN_BOOLEAN_VALUE
UNREAD_STRING = UNKNOWN_STRING_VALUE

# Response members that describe the call or the resource's lifecycle, not its configuration.
_DROPPED = {"ResponseMetadata", "CreationTime", "LastModifiedTime", "NextToken"}


def camel(value: Any) -> Any:
    """PascalCase members -> camelCase inputs, recursively; timestamps become ISO strings."""
    if isinstance(value, dict):
        return {_lower_first(k): camel(v) for k, v in value.items() if k not in _DROPPED}
    if isinstance(value, list):
        return [camel(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _lower_first(name: str) -> str:
    # Acronyms keep the provider's casing: KMSKeyId is rare; VpcConfig -> vpcConfig.
    return name[:1].lower() + name[1:] if name else name


# How each API names a tag's members: most, a few in lowercase, and KMS.
_TAG_MEMBERS = (("Key", "Value"), ("key", "value"), ("TagKey", "TagValue"))


def tag_map(tags: list[dict[str, str]] | None) -> dict[str, str]:
    """[{Key, Value}] (or {key, value}, or KMS's {TagKey, TagValue}) -> {key: value}."""
    out = {}
    for tag in tags or []:
        for key_member, value_member in _TAG_MEMBERS:
            if tag.get(key_member) is not None:
                out[tag[key_member]] = tag.get(value_member, "")
                break
    return out


def dimension_map(dimensions: list[dict[str, str]] | None) -> dict[str, str]:
    """CloudWatch's [{Name, Value}] -> the provider's {Name: Value}."""
    return {d["Name"]: d["Value"] for d in dimensions or [] if "Name" in d}


def record(arn: str, type_: str, name: str, inputs: dict[str, Any]) -> ResourceRecord:
    """A resource as the policy pack sees it; its id is its ARN. A member that is absent or an
    empty structure (some APIs answer `DataCaptureConfig: {}` for "not configured") is left
    out, as a program that does not set it leaves it out."""
    return ResourceRecord(
        urn=arn,
        type=type_,
        name=name,
        parent=None,
        custom=True,
        dependencies=[],
        property_dependencies={},
        inputs={k: v for k, v in inputs.items() if v is not None and v != {}},
    )
