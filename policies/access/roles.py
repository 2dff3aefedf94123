"""A role as the access analysis sees it: its ARN and every policy document attached to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_policy import PolicyResource

from mlrails_policies.access.documents import Document
from mlrails_policies.access.resource_types import (
    MANAGED_POLICY,
    ROLE_POLICY,
    ROLE_POLICY_ATTACHMENT,
)
from mlrails_policies.framework.wire import UNKNOWN, get, items

if TYPE_CHECKING:
    from mlrails_policies.access.plan import AccessPlan


@dataclass
class Role:
    resource: PolicyResource
    arn: Any
    documents: list[Document] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    """Attached policies whose documents are not in the plan (AWS managed ones)."""


def build_role(plan: AccessPlan, resource: PolicyResource) -> Role:
    """The role with its ARN (once the account is known) and the documents of its inline
    policies, role policies and attached managed policies."""
    name = get(resource.props, "name")
    path = get(resource.props, "path")
    path = "/" if path is None else path
    arn: Any = UNKNOWN
    if isinstance(name, str) and isinstance(path, str) and plan.env.account is not UNKNOWN:
        arn = f"arn:{plan.env.partition}:iam::{plan.env.account}:role{path}{name}"
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
    for policy in plan.referring(resource, (ROLE_POLICY,), "role", name):
        role.documents.append(
            Document.parse(
                get(policy.props, "policy"),
                f"the role policy {policy.name}",
                (policy.urn, "policy"),
            )
        )
    attached = [
        (a, get(a.props, "policyArn"))
        for a in plan.referring(resource, (ROLE_POLICY_ATTACHMENT,), "role", name)
    ]
    attached += [(resource, arn) for arn in items(get(resource.props, "managedPolicyArns"))]
    for holder, arn in attached:
        prop = "policyArn" if holder is not resource else "managedPolicyArns"
        managed = plan.resolve(holder, prop, arn, (MANAGED_POLICY,), "name")
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
