"""IAM: the roles SageMaker may assume, as aws.iam.Role inputs (inline and attached policies
included), and the customer-managed policies attached to them, as aws.iam.Policy inputs.

IAM is global; an audit of any region reads the same roles. Only roles whose trust policy
lets sagemaker.amazonaws.com assume them are read: they are what a model, a job or a notebook
runs as. Policy documents are JSON strings, as the provider takes them.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mlrails.audit.scan import Listed, Reader, ReadFailed, Scan
from mlrails.audit.wire import UNREAD_OBJECT, UNREAD_STRING, record

SERVICE = "iam"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
# What a role's attached policies are to a program; an unread list of them leaves the rules
# that judge attachments not evaluated for the role.
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
SAGEMAKER = "sagemaker.amazonaws.com"
MARKERS = ("Marker", "Marker")


def document(value: Any) -> Any:
    """A policy document as an object: botocore decodes IAM's URL-encoded JSON, other clients
    and emulators hand over the string (URL-encoded or not). None if it is not JSON."""
    if not isinstance(value, str):
        return value
    text = value if value.lstrip().startswith("{") else urllib.parse.unquote(value)
    try:
        return json.loads(text)
    except ValueError:
        return None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def trusts_sagemaker(trust: Any) -> bool:
    statements = _as_list(trust.get("Statement")) if isinstance(trust, dict) else []
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if isinstance(principal, dict) and SAGEMAKER in _as_list(principal.get("Service")):
            return True
    return False


def is_aws_managed(policy_arn: str) -> bool:
    return ":iam::aws:policy/" in policy_arn


@dataclass
class _Once:
    """The customer-managed policies one scan has read: each is read once, whichever of the
    roles that attach it is read first."""

    _claimed: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, arn: str) -> bool:
        with self._lock:
            first = arn not in self._claimed
            self._claimed.add(arn)
            return first


@dataclass(frozen=True)
class _Role:
    summary: dict[str, Any]
    trust: dict[str, Any]
    policies: _Once


class Roles:
    types = (ROLE, POLICY)

    def list(self, scan: Scan) -> Iterable[Listed]:
        once = _Once()
        for role in scan.pages(SERVICE, "ListRoles", "Roles", types=self.types, token=MARKERS):
            trust = document(role.get("AssumeRolePolicyDocument"))
            if trusts_sagemaker(trust):
                yield Listed(role["Arn"], ROLE, role["RoleName"], _Role(role, trust, once))

    def read(self, scan: Scan, item: Listed) -> None:
        role: _Role = item.data
        attached = scan.partial(
            lambda: scan.pages(
                SERVICE,
                "ListAttachedRolePolicies",
                "AttachedPolicies",
                about=item.arn,
                types=(ATTACHMENT,),
                token=MARKERS,
                RoleName=item.name,
            ),
            None,
        )
        policy_arns = None if attached is None else sorted(p["PolicyArn"] for p in attached)
        inputs = {
            "name": item.name,
            "path": role.summary.get("Path"),
            "description": role.summary.get("Description"),
            "maxSessionDuration": role.summary.get("MaxSessionDuration"),
            "assumeRolePolicy": json.dumps(role.trust),
            "inlinePolicies": inline_policies(scan, item),
            "managedPolicyArns": UNREAD_OBJECT if policy_arns is None else policy_arns,
            "tags": scan.tags(SERVICE, "ListRoleTags", item.arn, token=MARKERS, RoleName=item.name),
        }
        scan.add(record(item.arn, ROLE, item.name, inputs))
        for arn in policy_arns or []:
            if not is_aws_managed(arn) and role.policies.claim(arn):
                read_policy(scan, arn)


def inline_policies(scan: Scan, item: Listed) -> list[dict[str, Any]]:
    """[{name, policy}]. A document that could not be read is unknown, and so is the whole
    list when the names could not be listed: the rule then cannot decide, and says why."""
    names = scan.partial(
        lambda: scan.pages(
            SERVICE,
            "ListRolePolicies",
            "PolicyNames",
            about=item.arn,
            token=MARKERS,
            RoleName=item.name,
        ),
        None,
    )
    if names is None:
        return [{"policy": UNREAD_STRING}]
    found = []
    for name in names:

        def get_role_policy(name: str = name) -> dict[str, Any] | None:
            return scan.call(
                SERVICE, "GetRolePolicy", about=item.arn, RoleName=item.name, PolicyName=name
            )

        response = scan.partial(get_role_policy, None)
        policy = UNREAD_STRING if response is None else _json(response.get("PolicyDocument"))
        found.append({"name": name, "policy": policy})
    return found


def read_policy(scan: Scan, arn: str) -> None:
    """A customer-managed policy: its default version's document. If the policy itself cannot
    be read it stays as a bare record, so the rules that judge policies report it."""
    try:
        response = scan.call(SERVICE, "GetPolicy", about=arn, types=(POLICY,), PolicyArn=arn)
    except ReadFailed as failed:
        scan.fault(failed.fault)
        if failed.fault.blocks_completeness:
            scan.add(record(arn, POLICY, arn.rsplit("/", 1)[-1], {}))
        return
    policy = (response or {})["Policy"]
    version = scan.partial(
        lambda: scan.call(
            SERVICE,
            "GetPolicyVersion",
            about=arn,
            PolicyArn=arn,
            VersionId=policy["DefaultVersionId"],
        ),
        None,
    )
    inputs = {
        "name": policy["PolicyName"],
        "path": policy.get("Path"),
        "description": policy.get("Description"),
        "policy": (
            UNREAD_STRING if version is None else _json(version["PolicyVersion"].get("Document"))
        ),
        "tags": scan.tags(SERVICE, "ListPolicyTags", arn, token=MARKERS, PolicyArn=arn),
    }
    scan.add(record(arn, POLICY, policy["PolicyName"], inputs))


def _json(value: Any) -> str | None:
    parsed = document(value)
    if parsed is None:
        return value if isinstance(value, str) else None
    return json.dumps(parsed)


READERS: list[Reader] = [Roles()]
