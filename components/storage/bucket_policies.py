"""The policies of an EncryptedBucket: its bucket policy, its readers' key statements, and the
identity policies its grants write."""

from typing import Any, NamedTuple

from mlrails_components.support.aws import AwsContext, list_prefix_statement, policy_json


class Readers(NamedTuple):
    """Other accounts that read the bucket, and the prefixes they read (empty: all)."""

    account_ids: list[str]
    prefixes: list[str]


def reader_key_statements(context: AwsContext, readers: Readers) -> list[dict]:
    """Key policy statements letting reader accounts decrypt objects they get through S3.

    A principal of another account can use a key only when the key policy allows its account;
    its own IAM policy must then allow it as well (KMS DG, "Allowing users in other accounts to
    use a KMS key", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
    """
    if not readers.account_ids:
        return []
    return [
        {
            "Sid": "ReaderAccountsDecryptThroughS3",
            "Effect": "Allow",
            "Principal": {"AWS": _roots(readers.account_ids, context.partition)},
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": context.key_only_via("s3"),
        }
    ]


def _roots(accounts: list[str], partition: str) -> list[str]:
    return sorted(f"arn:{partition}:iam::{a}:root" for a in accounts)


def reader_bucket_statements(bucket_arn: str, readers: Readers, partition: str) -> list[dict]:
    """Bucket policy statements letting reader accounts get and list objects under the prefixes
    (cross-account access needs the bucket policy and the caller's IAM policy: IAM UG,
    cross-account policy evaluation logic)."""
    if not readers.account_ids:
        return []
    principal = {"AWS": _roots(readers.account_ids, partition)}
    scopes = sorted({p.strip("/") for p in readers.prefixes} - {""})
    listing = list_prefix_statement("ReaderAccountsList", bucket_arn, "")
    if scopes:
        listing["Condition"] = {
            "StringLike": {"s3:prefix": sorted({f"{p}/*" for p in scopes} | set(scopes))}
        }
    return [
        {
            "Sid": "ReaderAccountsGetObjects",
            "Effect": "Allow",
            "Principal": principal,
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": [f"{bucket_arn}/{p}/*" for p in scopes] or f"{bucket_arn}/*",
        },
        {**listing, "Principal": principal},
    ]


def bucket_policy(
    bucket_arn: str, key_arn: str, readers: Readers | None = None, partition: str = "aws"
) -> str:
    everyone = "*"
    objects = f"{bucket_arn}/*"
    readers = readers or Readers([], [])
    return policy_json(
        [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": everyone,
                "Action": "s3:*",
                "Resource": [bucket_arn, objects],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "DenyOutdatedTls",
                "Effect": "Deny",
                "Principal": everyone,
                "Action": "s3:*",
                "Resource": [bucket_arn, objects],
                "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
            },
            # Uploads without encryption headers get the bucket's default encryption (SSE-KMS
            # with this key) and are let through. Only a request that asks for something else is
            # refused, so each statement tests that its header is present (Null false) as well:
            # with a missing key a negated operator such as StringNotEquals, and any ...IfExists
            # operator, evaluates to true (IAM UG, condition operators,
            # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
            # which refused every upload relying on the default, and every UploadPart.
            {
                "Sid": "DenyObjectsNotEncryptedWithKms",
                "Effect": "Deny",
                "Principal": everyone,
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {
                    "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
                    "Null": {"s3:x-amz-server-side-encryption": "false"},
                },
            },
            {
                "Sid": "DenyObjectsEncryptedWithAnotherKey",
                "Effect": "Deny",
                "Principal": everyone,
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {
                    "StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn},
                    "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "false"},
                },
            },
            {
                # "If you specify x-amz-server-side-encryption:aws:kms ... but do not provide
                # x-amz-server-side-encryption-aws-kms-key-id, Amazon S3 uses the ... AWS managed
                # key (aws/s3)" (botocore s3 PutObjectRequest.SSEKMSKeyId), not this bucket's key.
                "Sid": "DenyObjectsEncryptedWithTheAwsManagedKey",
                "Effect": "Deny",
                "Principal": everyone,
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {
                    "StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
                    "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "true"},
                },
            },
            *reader_bucket_statements(bucket_arn, readers, partition),
        ]
    )


_ACTIONS = {
    "read": (["s3:GetObject", "s3:GetObjectVersion"], ["kms:Decrypt"]),
    "write": (["s3:PutObject", "s3:AbortMultipartUpload"], ["kms:GenerateDataKey", "kms:Encrypt"]),
}


class KeyReference(NamedTuple):
    """A KMS key named by ARN, or by alias (any key of the account that carries the alias)."""

    arn: Any = None
    alias: Any = None


def grant_policy(
    access: str, bucket_arn: str, key: KeyReference, prefix: str | None, context: AwsContext
) -> str:
    """Least privilege on the objects under `prefix` and the matching use of the key via S3."""
    kinds = ["read", "write"] if access == "read-write" else [access]
    object_actions = [a for k in kinds for a in _ACTIONS[k][0]]
    # Writing in parts (multipart upload) decrypts the data key again, so writers decrypt too.
    key_actions = sorted({a for k in kinds for a in _ACTIONS[k][1]} | {"kms:Decrypt"})
    scope = (prefix or "").strip("/")
    objects = f"{bucket_arn}/{scope}/*" if scope else f"{bucket_arn}/*"
    statements: list[dict[str, Any]] = [
        {"Sid": "Objects", "Effect": "Allow", "Action": object_actions, "Resource": objects},
    ]
    if "read" in kinds:
        statements.append(list_prefix_statement("ListObjects", bucket_arn, scope))
    # The key is usable through S3 only, never directly.
    condition: dict[str, Any] = context.key_only_via("s3")
    resource = key.arn
    if key.alias:
        resource = context.arn("kms", "key/*")
        condition["ForAnyValue:StringEquals"] = {"kms:ResourceAliases": key.alias}
    statements.append(
        {
            "Sid": "KeyThroughS3",
            "Effect": "Allow",
            "Action": key_actions,
            "Resource": resource,
            "Condition": condition,
        }
    )
    return policy_json(statements)
