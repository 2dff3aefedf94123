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

from policies.access.documents import Document
from policies.access.evaluate import Decision, Principal, Request, decide
from policies.access.plan import AccessPlan, Role
from policies.framework.verdicts import NotEvaluated, Violation
from policies.framework.wire import UNKNOWN


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


def role_principal(plan: AccessPlan, role: Role) -> tuple[Principal, str]:
    return Principal("AWS", role.arn, plan.env.account), f"role {role.resource.name}"


def service_principal(plan: AccessPlan, service: str) -> Principal:
    # Service principals are `<service>.amazonaws.com` in every partition's policies.
    return Principal("Service", f"{service}.amazonaws.com", plan.env.account)


def base_context(plan: AccessPlan) -> dict[str, tuple[Any, ...]]:
    # AWS services call each other over TLS (aws:SecureTransport).
    return {"aws:securetransport": ("true",)}


# ...with TLS 1.2 or later, which S3 requests carry as s3:TlsVersion (S3 UG,
# amazon-s3-policy-keys.html).
S3_TLS = {"s3:tlsversion": ("1.2",)}


def _role_context(plan: AccessPlan, principal: Principal) -> dict[str, tuple[Any, ...]]:
    context = base_context(plan)
    if principal.kind == "AWS":
        context["aws:principalarn"] = (principal.id,)
        context["aws:principalaccount"] = (plan.env.account,)
    return context


def key_need(plan, subject, purpose, principal, label, role, action, key, context) -> Need | None:
    """A KMS request on `key` (a Key of the plan, UNKNOWN, or None when not declared here, whose
    policy the plan can't show: no need is judged)."""
    if key is None:
        return None
    known = key is not UNKNOWN
    return Need(
        subject,
        purpose,
        principal,
        label,
        role,
        action,
        plan.key_arn(key) if known else UNKNOWN,
        f"key {key.resource.name}" if known else "its KMS key",
        with_key_aliases(key, context),
        key.policy if known else None,
        True,
    )


def with_key_aliases(key: Any, context: dict[str, tuple[Any, ...]]) -> dict:
    """A KMS request carries the key's aliases as kms:ResourceAliases (KMS developer guide,
    conditions-kms.html): a grant written by alias (EncryptedBucket.grant_read) matches them."""
    if key is UNKNOWN or key is None or not key.aliases:
        return context
    return {**context, "kms:resourcealiases": tuple(sorted(key.aliases, key=str))}


def s3_location(uri: Any) -> tuple[Any, Any]:
    """`s3://bucket/key/path` -> ("bucket", "key/path"); UNKNOWN parts stay UNKNOWN."""
    if uri is UNKNOWN:
        return UNKNOWN, UNKNOWN
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None, None
    bucket, _, path = uri[5:].partition("/")
    return bucket, path


def object_reads(
    plan: AccessPlan,
    subject,
    purpose: str,
    principal,
    label,
    role,
    uri: Any,
    *,
    prefix: bool,
    key: Any = None,
) -> Iterator[Need]:
    """Reading an object (or every object under a prefix) of an S3 location, and decrypting it.

    S3 UG, UsingKMSEncryption.html: downloading an SSE-KMS object needs kms:Decrypt on its key;
    S3 calls KMS on the caller's behalf, so kms:ViaService is s3.<region>.amazonaws.com and the
    encryption context is the object's ARN, or the bucket's with an S3 Bucket Key
    (bucket-key.html). Reading a prefix first lists it: s3:ListBucket with `s3:prefix`.
    `key` is the Key the objects were written with, when the writer chose it; else the
    bucket's default key.
    """
    bucket_name, path = s3_location(uri)
    if bucket_name is None:
        return
    context = _role_context(plan, principal)
    bucket_arn = (
        UNKNOWN if bucket_name is UNKNOWN else f"arn:{plan.env.partition}:s3:::{bucket_name}"
    )
    bucket = plan.bucket(bucket_name)
    policy = plan.bucket_policy(bucket, bucket_name) if bucket is not None else None
    if prefix and isinstance(path, str) and path and not path.endswith("/"):
        path += "/"  # a prefix is read as a folder: its objects are under `<prefix>/`
    if prefix:
        yield Need(
            subject,
            purpose,
            principal,
            label,
            role,
            "s3:ListBucket",
            bucket_arn,
            f"bucket {bucket_name}",
            {**context, **S3_TLS, "s3:prefix": (path,)},
            policy,
        )
        path = UNKNOWN if path is UNKNOWN else f"{path}object"
    object_arn = UNKNOWN if UNKNOWN in (bucket_name, path) else f"{bucket_arn}/{path}"
    yield Need(
        subject,
        purpose,
        principal,
        label,
        role,
        "s3:GetObject",
        object_arn,
        f"bucket {bucket_name}",
        {**context, **S3_TLS},
        policy,
    )
    if key is None and bucket is not None:
        key = plan.bucket_default_key(bucket, bucket_name)
    kms_context = _through_s3(plan, context, bucket_arn, object_arn)
    need = key_need(plan, subject, purpose, principal, label, role, "kms:Decrypt", key, kms_context)
    if need:
        yield need


def object_writes(
    plan: AccessPlan,
    subject,
    purpose,
    principal,
    label,
    role,
    uri: Any,
    key_reference: Any,
    holder: PolicyResource,
    key_prop: str,
) -> Iterator[Need]:
    """Writing objects under an S3 prefix encrypted with a named KMS key (or the bucket's).

    A service given a KMS key for its output asks S3 for SSE-KMS with that key, so the request
    carries `s3:x-amz-server-side-encryption: aws:kms` and the key id as configured (S3 UG,
    specifying-kms-encryption.html). S3 then needs kms:GenerateDataKey on the key from the caller
    (S3 UG, UsingKMSEncryption.html, "Permissions").
    """
    bucket_name, path = s3_location(uri)
    if bucket_name is None:
        return
    context = _role_context(plan, principal)
    headers = dict(S3_TLS)
    if key_reference not in (None, ""):
        headers["s3:x-amz-server-side-encryption"] = ("aws:kms",)
        headers["s3:x-amz-server-side-encryption-aws-kms-key-id"] = (key_reference,)
    bucket_arn = (
        UNKNOWN if bucket_name is UNKNOWN else f"arn:{plan.env.partition}:s3:::{bucket_name}"
    )
    object_arn = UNKNOWN if UNKNOWN in (bucket_name, path) else f"{bucket_arn}/{path}object"
    bucket = plan.bucket(bucket_name)
    policy = plan.bucket_policy(bucket, bucket_name) if bucket is not None else None
    yield Need(
        subject,
        purpose,
        principal,
        label,
        role,
        "s3:PutObject",
        object_arn,
        f"bucket {bucket_name}",
        {**context, **headers},
        policy,
    )
    if key_reference not in (None, ""):
        key = plan.key(key_reference, holder, key_prop)
    elif bucket is not None:
        key = plan.bucket_default_key(bucket, bucket_name)
    else:
        key = None
    kms_context = _through_s3(plan, context, bucket_arn, object_arn)
    need = key_need(
        plan, subject, purpose, principal, label, role, "kms:GenerateDataKey", key, kms_context
    )
    if need:
        yield need


def _through_s3(plan: AccessPlan, context: dict, bucket_arn: Any, object_arn: Any) -> dict:
    """What KMS sees when S3 uses a key for the caller: the service, the caller's account and
    the S3 encryption context (the object's ARN, or the bucket's with an S3 Bucket Key)."""
    return {
        **context,
        "kms:viaservice": (plan.env.via("s3"),),
        "kms:calleraccount": (plan.env.account,),
        "kms:encryptioncontext:aws:s3:arn": (bucket_arn, object_arn),
    }


def image_pulls(
    plan: AccessPlan, subject, purpose, principal, label, role, image: Any
) -> Iterator[Need]:
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
    context = _role_context(plan, principal)
    yield Need(
        subject, purpose, principal, label, role, "ecr:GetAuthorizationToken", "*", "ECR", context
    )
    for action in ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"):
        yield Need(
            subject,
            purpose,
            principal,
            label,
            role,
            action,
            repository,
            "the image's repository",
            context,
        )


def judge(plan: AccessPlan, need: Need) -> Decision:
    identity = need.role.documents if need.role is not None else []
    request = Request(need.principal, need.action, need.resource, need.context)
    return decide(request, identity, need.resource_policy, key_policy=need.key_policy)


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
    """One finding per subject: the first access it lacks, or why it can't be decided."""
    failed: dict[str, list[str]] = {}
    undecided: dict[str, str] = {}
    subjects: dict[str, PolicyResource] = {}
    for need in needs:
        subjects[need.subject.urn] = need.subject
        decision = judge(plan, need)
        if decision.allowed is True:
            continue
        if decision.allowed is UNKNOWN:
            undecided.setdefault(
                need.subject.urn,
                f"whether {need.principal_label} may {need.action} on {need.target} "
                f"can't be known during preview",
            )
            continue
        outside = need.role.outside if need.role is not None else []
        if outside:
            undecided.setdefault(
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
    for urn, reason in undecided.items():
        if urn not in failed:
            yield NotEvaluated(urn, reason)
