"""The plan as the access analysis sees it: roles and their policies, keys, buckets, topics.

Every resource is found the way `StackIndex` links resources: by the property's dependency on
the resource's URN (which holds in a preview, when values are unknown), or by value (a name, or
an ARN whose last part is the name). Built once per plan and shared by every access rule.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource

from policies.access.documents import Document
from policies.framework.links import StackIndex
from policies.framework.wire import UNKNOWN, get, items, strings, to_plain

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
KEY_TYPES = ("aws:kms/key:Key", "aws-native:kms:Key")
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
ALIAS = "aws:kms/alias:Alias"
BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws-native:s3:Bucket")
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"

# Every policy-bearing type the analysis reads: an audit that could not list one of them
# cannot evaluate the access rules.
READS = (
    ROLE,
    ROLE_POLICY,
    MANAGED_POLICY,
    ROLE_POLICY_ATTACHMENT,
    POLICY_ATTACHMENT,
    *KEY_TYPES,
    KEY_POLICY,
    ALIAS,
    *BUCKET_TYPES,
    BUCKET_POLICY,
    *BUCKET_ENCRYPTION,
    TOPIC,
    TOPIC_POLICY,
)

_ARN = re.compile(r"^arn:([\w-]+):([\w-]+):([\w-]*):(\d{12}|aws)?:(.+)$")
_ARN_IN_TEXT = re.compile(r"arn:[\w-]+:[\w-]+:[\w-]*:\d{12}:[^\"\s,\]]+")
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


def parse_arn(value: Any) -> tuple[str, str, str, str, str] | None:
    if not isinstance(value, str):
        return None
    match = _ARN.match(value)
    return match.groups() if match else None  # type: ignore[return-value]


def key_id_of(reference: Any) -> str | None:
    """The key id inside a key ARN or a bare key id; None for aliases and other strings."""
    if not isinstance(reference, str):
        return None
    match = _KEY_ID.search(reference)
    return match.group(1) if match else None


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


@dataclass
class Role:
    resource: PolicyResource
    arn: Any
    documents: list[Document] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    """Attached policies whose documents are not in the plan (AWS managed ones)."""


@dataclass
class Key:
    resource: PolicyResource
    policy: Document
    ids: set[str] = field(default_factory=set)
    aliases: set[Any] = field(default_factory=set)
    """Alias names (`alias/...`) that point at the key: requests on it carry them as
    kms:ResourceAliases (KMS developer guide, conditions-kms.html#conditions-kms-resource-aliases)."""


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
        self.env = _environment(index)
        self._by_urn = {r.urn: r for r in index.resources}
        self._roles: dict[str, Role] = {}
        self._keys: dict[str, Key] | None = None
        self._named: dict[tuple, dict[str, list[PolicyResource]]] = {}
        self._referring_cache: dict[tuple, list[PolicyResource]] = {}
        self._documents: dict[tuple, Any] = {}

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
            role = self._roles[found.urn] = self._build_role(found)
        return role

    def _build_role(self, resource: PolicyResource) -> Role:
        name = get(resource.props, "name")
        path = get(resource.props, "path")
        path = "/" if path is None else path
        arn = UNKNOWN
        if isinstance(name, str) and isinstance(path, str) and self.env.account is not UNKNOWN:
            arn = f"arn:{self.env.partition}:iam::{self.env.account}:role{path}{name}"
        role = Role(resource, arn)
        for number, inline in enumerate(items(get(resource.props, "inlinePolicies"))):
            if inline is UNKNOWN:
                role.documents.append(Document((), unknown=True))
            elif isinstance(inline, dict):
                role.documents.append(
                    Document.parse(
                        inline.get("policy"),
                        f"inline policy {inline.get('name')!r}",
                        (resource.urn, f"inlinePolicies[{number}].policy"),
                    )
                )
        for policy in self._referring(resource, (ROLE_POLICY,), "role", name):
            role.documents.append(
                Document.parse(
                    get(policy.props, "policy"),
                    f"the role policy {policy.name}",
                    (policy.urn, "policy"),
                )
            )
        attached = [
            (a, get(a.props, "policyArn"))
            for a in self._referring(resource, (ROLE_POLICY_ATTACHMENT,), "role", name)
        ]
        attached += [(resource, arn) for arn in items(get(resource.props, "managedPolicyArns"))]
        for holder, arn in attached:
            prop = "policyArn" if holder is not resource else "managedPolicyArns"
            managed = self.resolve(holder, prop, arn, (MANAGED_POLICY,), "name")
            if managed is not None:
                role.documents.append(
                    Document.parse(
                        get(managed.props, "policy"),
                        f"the policy {managed.name}",
                        (managed.urn, "policy"),
                    )
                )
            elif arn is UNKNOWN:
                role.documents.append(Document((), unknown=True))
            else:
                role.outside.append(str(arn))
        return role

    def _referring(self, target, types, prop, name) -> list[PolicyResource]:
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
            self._keys = {}
            for resource in self.index.of_type(*KEY_TYPES):
                prop = "keyPolicy" if resource.resource_type.startswith("aws-native") else "policy"
                value = get(resource.props, prop)
                origin = (resource.urn, prop)
                if value is None:
                    value, origin = _default_key_policy(self.env.account), None
                self._keys[resource.urn] = Key(
                    resource, Document.parse(value, f"the key policy of {resource.name}", origin)
                )
            for holder in self.index.of_type(KEY_POLICY):
                for key in self.targets(holder, "keyId", KEY_TYPES):
                    self._keys[key.urn].policy = Document.parse(
                        get(holder.props, "policy"),
                        f"the key policy {holder.name}",
                        (holder.urn, "policy"),
                    )
            self._learn_key_ids()
            for alias in self.index.of_type(ALIAS):
                for key in self.targets(alias, "targetKeyId", KEY_TYPES):
                    self._keys[key.urn].aliases.add(get(alias.props, "name"))
        return self._keys

    def _learn_key_ids(self) -> None:
        """Which key id belongs to which key: read off every property that depends on exactly
        one key and holds exactly one key id (an alias's target, a bucket's default key)."""
        for key in self._keys.values():
            for referrer, prop in self.index.referrers(key.resource, "*"):
                if len(self.targets(referrer, prop, KEY_TYPES)) != 1:
                    continue
                found = {i for s in _strings_in(get(referrer.props, prop)) if (i := key_id_of(s))}
                if len(found) == 1:
                    key.ids |= found

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

    def _once(self, kind: str, resource: PolicyResource, build):
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
        for holder in self._referring(bucket, BUCKET_ENCRYPTION, "bucket", name):
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
            for holder in self._referring(target, (holder_type,), prop, reference):
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


def _environment(index: StackIndex) -> Environment:
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
