"""Deterministic identities for offline resources: ids, ARNs and auto-names.

The provider would answer a create with a physical id, an ARN and, for names left out, an
auto-name (`<logical name>-<7 hex>`). Offline, every such value is derived from the resource's
URN, so the same program and configuration always produce byte-identical plans.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
import sys
import uuid
from typing import Any, NamedTuple

from mlrails.plan import SECRET_MASK, SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, is_secret

ACCOUNT_ID = "123456789012"
PARTITION = "aws"

# Types whose auto-named property is not `name` (pulumi-aws autonames the bucket name).
_AUTONAME_FIELD = {"aws:s3/bucket:Bucket": "bucket", "aws:s3/bucketV2:BucketV2": "bucket"}
# The bucket types whose ARN and domain names derive from the bucket name.
_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")

# SageMaker ARNs spell resource kinds in kebab case and lower-case the name.
_SAGEMAKER_ARN_KIND = {
    "endpointConfiguration": "endpoint-config",
}

_TAGGABLE_TAGS = "tags"


def suffix(urn: str, length: int = 7) -> str:
    """A short, stable hex suffix for a URN, as the provider's random auto-name suffix."""
    return hashlib.sha256(urn.encode()).hexdigest()[:length]


def _stable_uuid(urn: str) -> str:
    return str(uuid.UUID(hashlib.sha256(urn.encode()).hexdigest()[:32]))


def split_type(type_: str) -> tuple[str, str, str]:
    """`aws:s3/bucket:Bucket` -> ("aws", "s3/bucket", "Bucket")."""
    pkg, _, rest = type_.partition(":")
    module, _, kind = rest.rpartition(":")
    return pkg, module, kind


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _kebab(text: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", text).lower()


@functools.cache
def autoname_field(type_: str) -> str | None:
    """The input property the provider fills when the program leaves it out, if any."""
    if type_ in _AUTONAME_FIELD:
        return _AUTONAME_FIELD[type_]
    pkg, module, kind = split_type(type_)
    if pkg != "aws":
        return None
    top = module.split("/")[0]
    # A module named after a Python keyword gets a trailing underscore (`pulumi_aws.lambda_`).
    python_module = sys.modules.get("pulumi_aws" if top == "index" else f"pulumi_aws.{top}")
    python_module = python_module or sys.modules.get(f"pulumi_aws.{top}_")
    cls = getattr(python_module, kind, None)
    init = getattr(cls, "_internal_init", None)
    if init is None:
        return None
    return "name" if "name" in inspect.signature(init).parameters else None


class Completion(NamedTuple):
    physical_id: str
    checked: dict[str, Any]
    outputs: dict[str, Any]


class Identities:
    """Answers "what would the provider return" for a resource, deterministically."""

    def __init__(self, region: str) -> None:
        self.region = region

    def complete(
        self, type_: str, name: str, urn: str, inputs: dict[str, Any], resolved: bool
    ) -> Completion:
        """What the provider adds to a resource's inputs.

        `checked` holds what its Check fills in before anything is created (auto-names), so it
        belongs to the inputs a policy sees, in preview mode too. `physical_id` and `outputs`
        exist only once created: in preview mode (`resolved=False`) they stay unknown.
        """
        if type_.startswith("pulumi:providers:"):
            # The engine gives providers an id even in a preview; resources refer to them by it.
            return Completion(_stable_uuid(urn), {}, {})
        if _names_are_secret(type_, inputs):
            plain = self.complete(type_, name, urn, _reveal(inputs), resolved)
            return _as_secret(plain, urn)
        if type_.startswith("kubernetes:"):
            return self._kubernetes(name, urn, inputs, resolved)
        checked: dict[str, Any] = {}
        field = autoname_field(type_)
        if field and not inputs.get(field) and not inputs.get(f"{field}Prefix"):
            checked[field] = f"{name}-{suffix(urn)}"
        if type_ == "aws:kms/alias:Alias" and not inputs.get("name"):
            checked["name"] = f"alias/{name}-{suffix(urn)}"
        if not resolved:
            return Completion("", checked, {})
        named = {**inputs, **checked}
        physical_id = self._physical_id(type_, name, urn, named, field)
        return Completion(physical_id, checked, self._computed(type_, physical_id, named, field))

    def _physical_id(
        self, type_: str, name: str, urn: str, named: dict[str, Any], field: str | None
    ) -> str:
        if type_ == "aws:kms/key:Key":
            return _stable_uuid(urn)
        if type_ == "aws:iam/policy:Policy":
            return self.arn(type_, named.get("name", name), named)
        if type_.startswith("aws:s3/bucket") and type_ not in _BUCKETS:
            bucket = named.get("bucket")
            if isinstance(bucket, str):
                return bucket
        if field and isinstance(named.get(field), str):
            return named[field]
        if field and isinstance(named.get(f"{field}Prefix"), str):
            # With a prefix the provider picks the name at create time: prefix + unique suffix.
            return named[f"{field}Prefix"] + suffix(urn, 26)
        return f"{name}-{suffix(urn)}"

    def _computed(
        self, type_: str, physical_id: str, named: dict[str, Any], field: str | None
    ) -> dict[str, Any]:
        resource_name = named.get(field) if field else None
        out: dict[str, Any] = {}
        if not isinstance(resource_name, str):
            resource_name = physical_id
            if field:
                out[field] = physical_id
        arn = self.arn(type_, resource_name, named, physical_id)
        out["arn"] = arn
        _, _, kind = split_type(type_)
        # Some resources name their ARN after their kind (modelCardArn, jobDefinitionArn).
        out[f"{_lower_first(kind)}Arn"] = arn
        if kind.endswith("JobDefinition"):
            out["jobDefinitionArn"] = arn
        if isinstance(named.get(_TAGGABLE_TAGS), dict):
            out["tagsAll"] = named[_TAGGABLE_TAGS]
        if type_ == "aws:kms/key:Key":
            out["keyId"] = physical_id
        elif type_ in _BUCKETS:
            out["bucketDomainName"] = f"{physical_id}.s3.amazonaws.com"
            out["bucketRegionalDomainName"] = f"{physical_id}.s3.{self.region}.amazonaws.com"
            out["region"] = self.region
        elif type_ == "aws:iam/role:Role":
            out["uniqueId"] = "AROA" + hashlib.sha256(arn.encode()).hexdigest()[:17].upper()
        return out

    def arn(
        self, type_: str, resource_name: str, named: dict[str, Any], physical_id: str = ""
    ) -> str:
        """The ARN AWS gives a resource of this type and name in this account and region."""
        _, module, kind = split_type(type_)
        service = module.split("/")[0]
        account, region = ACCOUNT_ID, self.region
        if type_ in _BUCKETS:
            return f"arn:{PARTITION}:s3:::{resource_name}"
        if service == "iam":
            return f"arn:{PARTITION}:iam::{account}:{_kebab(kind)}/{resource_name}"
        if type_ == "aws:kms/key:Key":
            return f"arn:{PARTITION}:kms:{region}:{account}:key/{physical_id}"
        if type_ == "aws:kms/alias:Alias":
            return f"arn:{PARTITION}:kms:{region}:{account}:{resource_name}"
        if service in ("sns", "sqs"):
            return f"arn:{PARTITION}:{service}:{region}:{account}:{resource_name}"
        if type_ == "aws:cloudwatch/metricAlarm:MetricAlarm":
            return f"arn:{PARTITION}:cloudwatch:{region}:{account}:alarm:{resource_name}"
        if type_ == "aws:cloudwatch/dashboard:Dashboard":
            return f"arn:{PARTITION}:cloudwatch::{account}:dashboard/{resource_name}"
        if type_ == "aws:lambda/function:Function":
            # arn:aws:lambda:<region>:<account>:function:<name> (Lambda API reference,
            # FunctionConfiguration.FunctionArn).
            return f"arn:{PARTITION}:lambda:{region}:{account}:function:{resource_name}"
        if type_ == "aws:cloudwatch/logGroup:LogGroup":
            return f"arn:{PARTITION}:logs:{region}:{account}:log-group:{resource_name}"
        if service == "sagemaker":
            arn_kind = _SAGEMAKER_ARN_KIND.get(_lower_first(kind), _kebab(kind))
            return (
                f"arn:{PARTITION}:sagemaker:{region}:{account}:{arn_kind}/{resource_name.lower()}"
            )
        return (
            f"arn:{PARTITION}:{service.lower()}:{region}:{account}:{_kebab(kind)}/{resource_name}"
        )

    def _kubernetes(
        self, name: str, urn: str, inputs: dict[str, Any], resolved: bool
    ) -> Completion:
        metadata = inputs.get("metadata")
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        checked: dict[str, Any] = {}
        if not metadata.get("name"):
            metadata["name"] = f"{name}-{suffix(urn, 8)}"
            checked["metadata"] = metadata
        if not resolved:
            return Completion("", checked, {})
        namespace = metadata.get("namespace")
        resource_name = metadata["name"]
        physical_id = f"{namespace}/{resource_name}" if namespace else str(resource_name)
        return Completion(physical_id, checked, {})


# What a resource is named by: a secret here makes its id, ARN and auto-name secret too.
_NAMING_KEYS = ("name", "namePrefix", "bucket", "bucketPrefix", "metadata")


def _holds_secret(value: Any) -> bool:
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(_holds_secret(v) for v in value.values())
    return isinstance(value, list) and any(_holds_secret(v) for v in value)


def _names_are_secret(type_: str, inputs: dict[str, Any]) -> bool:
    keys = {*_NAMING_KEYS, autoname_field(type_) or "name"}
    return any(_holds_secret(inputs.get(key)) for key in keys)


def _reveal(value: Any) -> Any:
    if is_secret(value):
        return _reveal(value.get("value"))
    if isinstance(value, dict):
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_reveal(v) for v in value]
    return value


def _secret(value: Any) -> Any:
    return value if is_secret(value) else {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": value}


def _as_secret(completion: Completion, urn: str) -> Completion:
    """A completion computed from a secret name, as Pulumi treats derived values: secret.

    Outputs and checked inputs travel wrapped, so whatever uses them carries them as secrets.
    The id cannot be marked secret on the wire (RegisterResourceResponse.id is a string), so it
    shows the mask with the URN's suffix, which keeps ids unique and reveals nothing.
    """
    physical_id = f"{SECRET_MASK}-{suffix(urn)}" if completion.physical_id else ""
    return Completion(
        physical_id,
        {k: _secret(v) for k, v in completion.checked.items()},
        {k: _secret(v) for k, v in completion.outputs.items()},
    )
