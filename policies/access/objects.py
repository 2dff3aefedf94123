"""The S3 requests of reading and writing objects, and the KMS requests S3 makes for them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import PolicyResource

from mlrails_policies.access.needs import Need, Requester, key_need, role_context
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.framework.wire import UNKNOWN

# ...with TLS 1.2 or later, which S3 requests carry as s3:TlsVersion (S3 UG,
# amazon-s3-policy-keys.html).
S3_TLS = {"s3:tlsversion": ("1.2",)}


def s3_location(uri: Any) -> tuple[Any, Any]:
    """`s3://bucket/key/path` -> ("bucket", "key/path"); UNKNOWN parts stay UNKNOWN."""
    if uri is UNKNOWN:
        return UNKNOWN, UNKNOWN
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None, None
    bucket, _, path = uri[5:].partition("/")
    return bucket, path


def object_reads(
    plan: AccessPlan, requester: Requester, uri: Any, *, prefix: bool, key: Any = None
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
    context = role_context(plan, requester.principal)
    bucket_arn = (
        UNKNOWN if bucket_name is UNKNOWN else f"arn:{plan.env.partition}:s3:::{bucket_name}"
    )
    bucket = plan.bucket(bucket_name)
    policy = plan.bucket_policy(bucket, bucket_name) if bucket is not None else None
    if prefix and isinstance(path, str) and path and not path.endswith("/"):
        path += "/"  # a prefix is read as a folder: its objects are under `<prefix>/`
    if prefix:
        yield requester.need(
            "s3:ListBucket",
            bucket_arn,
            f"bucket {bucket_name}",
            {**context, **S3_TLS, "s3:prefix": (path,)},
            policy,
        )
        path = UNKNOWN if path is UNKNOWN else f"{path}object"
    object_arn = UNKNOWN if UNKNOWN in (bucket_name, path) else f"{bucket_arn}/{path}"
    yield requester.need(
        "s3:GetObject", object_arn, f"bucket {bucket_name}", {**context, **S3_TLS}, policy
    )
    if key is None and bucket is not None:
        key = plan.bucket_default_key(bucket, bucket_name)
    kms_context = _through_s3(plan, context, bucket_arn, object_arn)
    need = key_need(plan, requester, "kms:Decrypt", key, kms_context)
    if need:
        yield need


def object_writes(
    plan: AccessPlan,
    requester: Requester,
    uri: Any,
    key_reference: Any,
    *,
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
    context = role_context(plan, requester.principal)
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
    yield requester.need(
        "s3:PutObject", object_arn, f"bucket {bucket_name}", {**context, **headers}, policy
    )
    if key_reference not in (None, ""):
        key = plan.key(key_reference, holder, key_prop)
    elif bucket is not None:
        key = plan.bucket_default_key(bucket, bucket_name)
    else:
        key = None
    kms_context = _through_s3(plan, context, bucket_arn, object_arn)
    need = key_need(plan, requester, "kms:GenerateDataKey", key, kms_context)
    if need:
        yield need


def _through_s3(
    plan: AccessPlan, context: dict[str, tuple[Any, ...]], bucket_arn: Any, object_arn: Any
) -> dict[str, tuple[Any, ...]]:
    """What KMS sees when S3 uses a key for the caller: the service, the caller's account and
    the S3 encryption context (the object's ARN, or the bucket's with an S3 Bucket Key)."""
    return {
        **context,
        "kms:viaservice": (plan.env.via("s3"),),
        "kms:calleraccount": (plan.env.account,),
        "kms:encryptioncontext:aws:s3:arn": (bucket_arn, object_arn),
    }
