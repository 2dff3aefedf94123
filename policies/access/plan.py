"""The plan as the access analysis sees it: roles and their policies, keys, buckets, topics.

Every resource is found the way `StackIndex` links resources: by the property's dependency on
the resource's URN (which holds in a preview, when values are unknown), or by value (a name, or
an ARN whose last part is the name). Built once per plan and shared by every access rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pulumi_policy import PolicyResource

from mlrails_policies.access.arns import environment_of, parse_arn
from mlrails_policies.access.documents import Document
from mlrails_policies.access.keys import Key, collect_keys, key_id_of
from mlrails_policies.access.resource_types import (
    ALIAS,
    BUCKET_ENCRYPTION,
    BUCKET_POLICY,
    BUCKET_TYPES,
    KEY_TYPES,
    ROLE,
    TOPIC,
    TOPIC_POLICY,
)
from mlrails_policies.access.roles import Role, build_role
from mlrails_policies.framework.links import StackIndex
from mlrails_policies.framework.wire import UNKNOWN, get, items


class AccessPlan:
    _cached: tuple[StackIndex, AccessPlan] | None = None

    @classmethod
    def of(cls, index: StackIndex) -> AccessPlan:
        cached = cls._cached
        if cached is not None and cached[0] is index:
            return cached[1]
        plan = cls(index)
        cls._cached = (index, plan)
        return plan

    def __init__(self, index: StackIndex) -> None:
        self.index = index
        self.env = environment_of(index)
        self._by_urn = {r.urn: r for r in index.resources}
        self._roles: dict[str, Role] = {}
        self._keys: dict[str, Key] | None = None
        self._named: dict[tuple, dict[str, list[PolicyResource]]] = {}
        self._referring_cache: dict[tuple, list[PolicyResource]] = {}
        self._documents: dict[tuple, Any] = {}
        # Decisions already made, shared by every access rule (access/needs.py `judge`).
        self.decisions: dict[tuple, tuple[Any, Any]] = {}
        self.context_keys_read: dict[tuple[int, ...], tuple[Any, frozenset[str]]] = {}

    # --- linking ----------------------------------------------------------------------------

    def targets(self, resource: PolicyResource, prop: str, types: tuple[str, ...]) -> list:
        """Resources of `types` that `resource`'s `prop` depends on."""
        urns = [d.urn for d in resource.property_dependencies.get(prop, ())]
        return [r for u in urns if (r := self._by_urn.get(u)) and r.resource_type in types]

    def by_name(self, types: tuple[str, ...], name: Any, field_name: str = "name") -> list:
        """Resources of `types` whose `field_name` input is `name` (indexed once per field)."""
        if not isinstance(name, str):
            return []
        key = (types, field_name)
        named = self._named.get(key)
        if named is None:
            named = self._named[key] = {}
            for resource in self.index.of_type(*types):
                value = get(resource.props, field_name)
                if isinstance(value, str):
                    named.setdefault(value, []).append(resource)
        return named.get(name, [])

    def resolve(
        self,
        resource: PolicyResource,
        prop: str,
        value: Any,
        types: tuple[str, ...],
        field_name: str,
    ) -> PolicyResource | None:
        """The resource a reference points at: by dependency, else by name or ARN's last part."""
        linked = self.targets(resource, prop, types)
        if len(linked) == 1:
            return linked[0]
        name = value
        parsed = parse_arn(value)
        if parsed:
            name = re.split(r"[/:]", parsed[4])[-1]
        found = self.by_name(types, name, field_name)
        return found[0] if len(found) == 1 else None

    # --- roles ------------------------------------------------------------------------------

    def role(self, resource: PolicyResource, prop: str, value: Any) -> Role | None:
        found = self.resolve(resource, prop, value, (ROLE,), "name")
        if found is None:
            return None
        role = self._roles.get(found.urn)
        if role is None:
            role = self._roles[found.urn] = build_role(self, found)
        return role

    def referring(
        self, target: PolicyResource, types: tuple[str, ...], prop: str, name: Any
    ) -> list[PolicyResource]:
        """Resources of `types` whose `prop` refers to `target` (by dependency or by `name`),
        found once per target: a topic is asked about by every alarm that notifies it."""
        key = (target.urn, types, prop, name if isinstance(name, str) else None)
        found = self._referring_cache.get(key)
        if found is None:
            linked = {r.urn: r for r, p in self.index.referrers(target, *types) if p == prop}
            for candidate in self.by_name(types, name, prop):
                linked.setdefault(candidate.urn, candidate)
            found = self._referring_cache[key] = list(linked.values())
        return found

    # --- keys -------------------------------------------------------------------------------

    @property
    def keys(self) -> dict[str, Key]:
        if self._keys is None:
            self._keys = collect_keys(self)
        return self._keys

    def key(self, reference: Any, holder: PolicyResource | None = None, prop: str = "") -> Any:
        """The Key a key ARN, id, alias name or alias ARN names; UNKNOWN if it can't be known
        yet; None if the key is not declared in this program."""
        if holder is not None and prop:
            linked = self.targets(holder, prop, KEY_TYPES)
            if len(linked) == 1:
                return self.keys[linked[0].urn]
        if reference is UNKNOWN:
            return UNKNOWN
        key_id = key_id_of(reference)
        if key_id:
            return next((k for k in self.keys.values() if key_id in k.ids), None)
        if isinstance(reference, str) and "alias/" in reference:
            alias = "alias/" + reference.split("alias/", 1)[1]
            for candidate in self.by_name((ALIAS,), alias):
                target = self.targets(candidate, "targetKeyId", KEY_TYPES)
                if target:
                    return self.keys[target[0].urn]
                return self.key(get(candidate.props, "targetKeyId"))
        return None

    def key_arn(self, key: Key) -> Any:
        if len(key.ids) != 1:
            return UNKNOWN
        return self.env.arn("kms", f"key/{next(iter(key.ids))}")

    # --- buckets ----------------------------------------------------------------------------

    def bucket(self, name: Any) -> PolicyResource | None:
        found = self.by_name(BUCKET_TYPES[:2], name, "bucket") or self.by_name(
            BUCKET_TYPES[2:], name, "bucketName"
        )
        return found[0] if found else None

    def _once(self, kind: str, resource: PolicyResource, build: Callable[[], Any]) -> Any:
        """`build()` for this resource, computed once per plan."""
        key = (kind, resource.urn)
        if key not in self._documents:
            self._documents[key] = build()
        return self._documents[key]

    def bucket_policy(self, bucket: PolicyResource, name: str) -> Document | None:
        return self._resource_policy(bucket, "bucket", BUCKET_POLICY, "bucket", name)

    def bucket_default_key(self, bucket: PolicyResource, name: str) -> Any:
        """The customer key the bucket encrypts new objects with: a Key, UNKNOWN, or None."""
        return self._once("default key", bucket, lambda: self._bucket_default_key(bucket, name))

    def _bucket_default_key(self, bucket: PolicyResource, name: str) -> Any:
        for holder in self.referring(bucket, BUCKET_ENCRYPTION, "bucket", name):
            for rule in items(get(holder.props, "rules")):
                if rule is UNKNOWN:
                    return UNKNOWN
                default = (
                    rule.get("applyServerSideEncryptionByDefault")
                    if isinstance(rule, dict)
                    else None
                )
                if isinstance(default, dict) and default.get("sseAlgorithm") in (
                    "aws:kms",
                    "aws:kms:dsse",
                ):
                    return self.key(default.get("kmsMasterKeyId"), holder, "rules") or None
        return None

    # --- topics -----------------------------------------------------------------------------

    def topic(self, holder: PolicyResource, prop: str, arn: Any) -> PolicyResource | None:
        return self.resolve(holder, prop, arn, (TOPIC,), "name")

    def topic_policy(self, topic: PolicyResource, arn: Any) -> Document | None:
        return self._resource_policy(topic, "topic", TOPIC_POLICY, "arn", arn)

    def _resource_policy(
        self, target: PolicyResource, kind: str, holder_type: str, prop: str, reference: Any
    ) -> Document | None:
        """The policy of a bucket or topic: its policy resource's, else the inline one, else
        None (once per target)."""

        def build() -> Document | None:
            for holder in self.referring(target, (holder_type,), prop, reference):
                return Document.parse(
                    get(holder.props, "policy"),
                    f"the {kind} policy {holder.name}",
                    (holder.urn, "policy"),
                )
            inline = get(target.props, "policy")
            if inline in (None, ""):
                return None
            return Document.parse(
                inline, f"the policy of {kind} {target.name}", (target.urn, "policy")
            )

        return self._once(f"{kind} policy", target, build)
