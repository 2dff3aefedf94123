"""The accesses a service needs to act on what the program declares, and their verdicts.

A `Need` is one request an AWS service will make (its principal, action, resource and the
condition context it sends). `judge()` decides it with `evaluate.decide` over the policies in
the plan. The builders below say which requests a kind of work makes, each with its source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource

from mlrails_policies.access.conditions import keys_read, variables_in
from mlrails_policies.access.documents import Document
from mlrails_policies.access.evaluate import Decision, Principal, Request, decide
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.roles import Role
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN


@dataclass(frozen=True)
class Need:
    subject: PolicyResource
    """The resource whose work needs the access (the rule reports on it)."""
    purpose: str
    principal: Principal
    principal_label: str
    role: Role | None
    action: str
    resource: Any
    target: str
    """What the resource is, for people: "key artifacts-key", "bucket b"."""
    context: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    resource_policy: Document | None = None
    key_policy: bool = False


@dataclass(frozen=True)
class Requester:
    """Who sends a request and why: the resource whose work needs it, the principal, the role
    whose policies apply (None for a service principal), and the purpose, for people."""

    subject: PolicyResource
    principal: Principal
    label: str
    role: Role | None = None
    purpose: str = ""

    def doing(self, purpose: str) -> Requester:
        return Requester(self.subject, self.principal, self.label, self.role, purpose)

    def need(
        self,
        action: str,
        resource: Any,
        target: str,
        context: dict[str, tuple[Any, ...]],
        resource_policy: Document | None = None,
        key_policy: bool = False,
    ) -> Need:
        """The request `action` on `resource` (described as `target`) with this context;
        `key_policy`: the resource policy is a KMS key policy (see evaluate.decide)."""
        fields = (self.subject, self.purpose, self.principal, self.label, self.role)
        return Need(*fields, action, resource, target, context, resource_policy, key_policy)


def role_requester(plan: AccessPlan, subject: PolicyResource, role: Role) -> Requester:
    """The role's requests for `subject`'s work (SageMaker and Lambda act as the role)."""
    principal = Principal("AWS", role.arn, plan.env.account)
    return Requester(subject, principal, f"role {role.resource.name}", role)


def service_requester(plan: AccessPlan, subject: PolicyResource, service: str) -> Requester:
    """A service's own requests for `subject`'s work (CloudWatch publishing an alarm)."""
    # Service principals are `<service>.amazonaws.com` in every partition's policies.
    principal = Principal("Service", f"{service}.amazonaws.com", plan.env.account)
    return Requester(subject, principal, principal.id)


def base_context(plan: AccessPlan) -> dict[str, tuple[Any, ...]]:
    # AWS services call each other over TLS (aws:SecureTransport).
    return {"aws:securetransport": ("true",)}


def role_context(plan: AccessPlan, principal: Principal) -> dict[str, tuple[Any, ...]]:
    """The context of a request the principal sends itself: who it is, from which account."""
    context = base_context(plan)
    if principal.kind == "AWS":
        context["aws:principalarn"] = (principal.id,)
        context["aws:principalaccount"] = (plan.env.account,)
    return context


def key_need(
    plan: AccessPlan,
    requester: Requester,
    action: str,
    key: Any,
    context: dict[str, tuple[Any, ...]],
) -> Need | None:
    """A KMS request on `key` (a Key of the plan, UNKNOWN, or None when not declared here, whose
    policy the plan can't show: no need is judged)."""
    if key is None:
        return None
    if key is UNKNOWN:
        return requester.need(action, UNKNOWN, "its KMS key", context, key_policy=True)
    target = f"key {key.resource.name}"
    context = with_key_aliases(key, context)
    return requester.need(action, plan.key_arn(key), target, context, key.policy, key_policy=True)


def with_key_aliases(key: Any, context: dict[str, tuple[Any, ...]]) -> dict:
    """A KMS request carries the key's aliases as kms:ResourceAliases (KMS developer guide,
    conditions-kms.html): a grant written by alias (EncryptedBucket.grant_read) matches them."""
    if key is UNKNOWN or key is None or not key.aliases:
        return context
    return {**context, "kms:resourcealiases": tuple(sorted(key.aliases, key=str))}


def image_pulls(plan: AccessPlan, requester: Requester, image: Any) -> Iterator[Need]:
    """Pulling a container image from ECR with the execution role.

    SageMaker DG, sagemaker-roles.md, "CreateModel API: Execution Role Permissions":
    ecr:GetAuthorizationToken (no resource), ecr:BatchGetImage and
    ecr:GetDownloadUrlForLayer on the repository. Images outside ECR are not pulled this way.
    """
    if image is UNKNOWN:
        repository = UNKNOWN
    elif isinstance(image, str) and ".dkr.ecr." in image:
        host, _, rest = image.partition("/")
        account, region = host.split(".")[0], host.split(".")[3]
        name = (
            rest.split("@")[0].rsplit(":", 1)[0]
            if ":" in rest.split("/")[-1] or "@" in rest
            else rest
        )
        repository = f"arn:{plan.env.partition}:ecr:{region}:{account}:repository/{name}"
    else:
        return
    context = role_context(plan, requester.principal)
    yield requester.need("ecr:GetAuthorizationToken", "*", "ECR", context)
    for action in ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"):
        yield requester.need(action, repository, "the image's repository", context)


def judge(plan: AccessPlan, need: Need) -> Decision:
    """The decision on the need's request, made once per plan for each distinct question.

    Rules and subjects ask the same question many times: every alarm of a fleet asks whether
    CloudWatch may publish to the one topic, each with its own aws:SourceArn. A decision
    reads only the context keys its statements' conditions name (conditions.keys_read), so the
    question is the request with its context cut to those keys.
    """
    identity = need.role.documents if need.role is not None else []
    documents = (*identity, need.resource_policy)
    # Documents by identity: they are the plan's own objects, kept alive by the tables' entries
    # so an id is never reused while it is in them.
    ids = tuple(map(id, documents))
    read = _keys_read(plan, ids, documents)
    try:
        key = (
            ids,
            need.key_policy,
            need.principal,
            need.action,
            need.resource,
            tuple(sorted((k, v) for k, v in need.context.items() if k in read)),
        )
        hash(key)
    except TypeError:  # an unhashable value in the request: decided without the table
        key = None
    if key is not None and key in plan.decisions:
        return plan.decisions[key][1]
    request = Request(need.principal, need.action, need.resource, need.context)
    decision = decide(request, identity, need.resource_policy, key_policy=need.key_policy)
    if key is not None:
        plan.decisions[key] = (documents, decision)
    return decision


def _keys_read(
    plan: AccessPlan, ids: tuple[int, ...], documents: tuple[Document | None, ...]
) -> frozenset[str]:
    """The context keys the documents read (conditions, and variables in their resources),
    found once per set of documents."""
    if ids not in plan.context_keys_read:
        read = frozenset().union(
            *(
                keys_read(statement.conditions)
                | variables_in(statement.resources)
                | variables_in(statement.not_resources)
                for document in documents
                if document is not None
                for statement in document.statements
            )
        )
        plan.context_keys_read[ids] = (documents, read)
    return plan.context_keys_read[ids][1]


def rule_check(needs_of):
    """A stack rule's check from a function listing the needs of the plan's resources."""

    def check(index, options):
        plan = AccessPlan.of(index)
        found = []
        for item in needs_of(plan):
            if isinstance(item, Need):
                found.append(item)
            else:
                yield item
        yield from verdicts(plan, found)

    return check


def verdicts(plan: AccessPlan, needs: list[Need]) -> Iterator[Violation | NotEvaluated]:
    """One finding per subject: the accesses it lacks, or why they can't be evaluated."""
    failed: dict[str, list[str]] = {}
    not_evaluated: dict[str, str] = {}
    subjects: dict[str, PolicyResource] = {}
    for need in needs:
        subjects[need.subject.urn] = need.subject
        decision = judge(plan, need)
        if decision.allowed is True:
            continue
        if decision.allowed is UNKNOWN:
            not_evaluated.setdefault(
                need.subject.urn,
                f"whether {need.principal_label} may {need.action} on {need.target} "
                f"can't be known during preview",
            )
            continue
        outside = need.role.outside if need.role is not None else []
        if outside:
            not_evaluated.setdefault(
                need.subject.urn,
                f"{need.principal_label} has policies not declared in this program "
                f"({', '.join(outside)}); their documents can't be judged",
            )
            continue
        why = decision.reason
        if decision.denied_by:
            why = f"{decision.denied_by[0].describe()} denies it"
        failed.setdefault(need.subject.urn, []).append(
            f"{need.principal_label} may not {need.action} on {need.target} ({need.purpose}): {why}"
        )
    for urn, problems in failed.items():
        unique = list(dict.fromkeys(problems))
        yield Violation(urn, f"{subjects[urn].name}: " + "; ".join(unique))
    for urn, reason in not_evaluated.items():
        if urn not in failed:
            yield NotEvaluated(urn, reason)
