"""KMS keys as the access analysis sees them: each key's policy, ids and aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_policy import PolicyResource

from mlrails_policies.access.documents import Document
from mlrails_policies.access.resource_types import ALIAS, KEY_POLICY, KEY_TYPES
from mlrails_policies.framework.wire import UNKNOWN, get, to_plain

if TYPE_CHECKING:
    from mlrails_policies.access.plan import AccessPlan

_KEY_ID = re.compile(
    r"(?:^|key/)((?:mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$"
)
# The key policy KMS gives a key created without one: the account may use it through IAM
# (KMS developer guide, key-policy-default.html).
_DEFAULT_KEY_POLICY = {
    "Statement": [
        {
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": "${account}"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
}


@dataclass
class Key:
    resource: PolicyResource
    policy: Document
    ids: set[str] = field(default_factory=set)
    aliases: set[Any] = field(default_factory=set)
    """Alias names (`alias/...`) that point at the key: requests on it carry them as
    kms:ResourceAliases (KMS developer guide, conditions-kms.html#conditions-kms-resource-aliases)."""


def key_id_of(reference: Any) -> str | None:
    """The key id inside a key ARN or a bare key id; None for aliases and other strings."""
    if not isinstance(reference, str):
        return None
    match = _KEY_ID.search(reference)
    return match.group(1) if match else None


def collect_keys(plan: AccessPlan) -> dict[str, Key]:
    """Every key of the plan by URN, with its policy (the default one KMS gives a key created
    without), the key ids read off its referrers, and its aliases."""
    keys: dict[str, Key] = {}
    for resource in plan.index.of_type(*KEY_TYPES):
        prop = "keyPolicy" if resource.resource_type.startswith("aws-native") else "policy"
        value = get(resource.props, prop)
        origin: tuple[str, str] | None = (resource.urn, prop)
        if value is None:
            value, origin = _default_key_policy(plan.env.account), None
        keys[resource.urn] = Key(
            resource, Document.parse(value, f"the key policy of {resource.name}", origin)
        )
    for holder in plan.index.of_type(KEY_POLICY):
        for key in plan.targets(holder, "keyId", KEY_TYPES):
            keys[key.urn].policy = Document.parse(
                get(holder.props, "policy"),
                f"the key policy {holder.name}",
                (holder.urn, "policy"),
            )
    _learn_key_ids(plan, keys)
    for alias in plan.index.of_type(ALIAS):
        for key in plan.targets(alias, "targetKeyId", KEY_TYPES):
            keys[key.urn].aliases.add(get(alias.props, "name"))
    return keys


def _learn_key_ids(plan: AccessPlan, keys: dict[str, Key]) -> None:
    """Which key id belongs to which key: read off every property that depends on exactly
    one key and holds exactly one key id (an alias's target, a bucket's default key)."""
    for key in keys.values():
        for referrer, prop in plan.index.referrers(key.resource, "*"):
            if len(plan.targets(referrer, prop, KEY_TYPES)) != 1:
                continue
            found = {i for s in _strings_in(get(referrer.props, prop)) if (i := key_id_of(s))}
            if len(found) == 1:
                key.ids |= found


def _default_key_policy(account: Any) -> Any:
    if account is UNKNOWN:
        return UNKNOWN
    statement = dict(_DEFAULT_KEY_POLICY["Statement"][0])
    statement["Principal"] = {"AWS": account}
    return {"Statement": [statement]}


def _strings_in(value: Any) -> list[str]:
    value = to_plain(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []
