"""EncryptedBucket: a private, TLS-only, versioned S3 bucket encrypted with a customer-managed key."""

import re
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.storage.bucket_policies import (
    KeyReference,
    Readers,
    bucket_policy,
    grant_policy,
    reader_key_statements,
)
from components.storage.encryption_key import create_key
from components.support.aws import aws_context, role_grant_target
from components.support.tokens import renamed_from, token
from components.support.validation import Problems, check_types, plain

PURPOSES = ("artifacts", "capture", "monitoring", "data")
# Purposes that hold logs of a deployed model: the EU AI Act (Art. 19, 26(6)) asks providers
# and deployers of high-risk systems to keep them at least six months.
LOG_PURPOSES = ("capture", "monitoring")
LOG_RETENTION_FLOOR_DAYS = 183
_DEFAULT_RETENTION = {"capture": 400, "monitoring": 400}
PRODUCTION_STACKS = ("prod", "production")
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_AUTONAME_SUFFIX = 8  # the provider appends "-" and 7 random characters
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


class EncryptedBucketArgs(TypedDict):
    """Arguments of EncryptedBucket."""

    purpose: NotRequired[str]
    """What the bucket holds: artifacts, capture, monitoring or data. Capture and monitoring
    buckets hold logs of a deployed model and keep them at least 183 days. Default: data."""
    bucket_name: NotRequired[pulumi.Input[str]]
    """Bucket name. Default: auto-named from the component name with a random suffix."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """An existing customer-managed KMS key. Default: a new EncryptionKey with rotation on,
    usable by S3 for this account only."""
    retention_days: NotRequired[int]
    """Days after which objects expire. Default: kept forever for artifacts and data; 400 days
    for capture and monitoring (never fewer than 183)."""
    noncurrent_version_retention_days: NotRequired[int]
    """Days a replaced or deleted object's previous version is kept. Default: 90."""
    access_log_bucket: NotRequired[pulumi.Input[str]]
    """Bucket receiving S3 server access logs. Default: no access logging (S3 delivers server
    access logs only to SSE-S3 buckets; use CloudTrail data events for a KMS-only estate)."""
    access_log_prefix: NotRequired[str]
    """Prefix of the access logs in `access_log_bucket`. Default: `<name>/`."""
    reader_account_ids: NotRequired[list[str]]
    """Other accounts that may read objects (under `reader_prefixes`), e.g. the production account
    deploying model versions from a ModelRegistry: the bucket policy allows them s3:GetObject and
    s3:ListBucket, and the bucket's own key kms:Decrypt through S3. Their IAM policies must still
    grant their roles the same. Not with `kms_key_arn` (that key's policy is not ours to write).
    Default: none."""
    reader_prefixes: NotRequired[list[str]]
    """Prefixes `reader_account_ids` may read, e.g. `churn/`. Default: the whole bucket."""
    allow_deleting_production_data: NotRequired[bool]
    """In a production stack (prod, production) the bucket and its key are protected from
    deletion. Set true to let `pulumi destroy` delete them there; the data are lost. Default: false."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the bucket, its key and every other child."""


class EncryptedBucket(pulumi.ComponentResource):
    """An S3 bucket that is encrypted with a customer key, private, TLS-only and versioned."""

    bucket_name: pulumi.Output[str]
    """Name of the bucket."""
    bucket_arn: pulumi.Output[str]
    """ARN of the bucket."""
    key_arn: pulumi.Output[str]
    """ARN of the KMS key that encrypts the bucket."""
    read_policy_json: pulumi.Output[str]
    """An IAM policy reading every object and decrypting it with the bucket's key; attach it to a
    role (aws.iam.RolePolicy) where grant_read cannot be called (YAML, TypeScript, Go)."""
    write_policy_json: pulumi.Output[str]
    """An IAM policy writing every object, encrypted with the bucket's key (grant_write's)."""
    read_write_policy_json: pulumi.Output[str]
    """An IAM policy reading and writing every object (grant_read_write's)."""

    def __init__(
        self,
        name: str,
        args: EncryptedBucketArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            token("EncryptedBucket"),
            name,
            None,
            renamed_from("mlrails:storage:EncryptedBucket", opts),
        )
        args = _validated(name, args)
        self._name_prefix = name
        self._context = aws_context(self)
        self._tags = args.get("tags")
        protect = pulumi.get_stack() in PRODUCTION_STACKS and not args.get(
            "allow_deleting_production_data", False
        )
        self._readers = Readers(args.get("reader_account_ids", []), args.get("reader_prefixes", []))
        self.key, self.key_alias = self._create_key(name, args, protect)
        self.key_arn = self.key.arn if self.key else pulumi.Output.from_input(args["kms_key_arn"])
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args.get("bucket_name"),
            force_destroy=False,
            tags=self._tags,
            # None inherits a `protect=True` given to the component; False would drop it.
            opts=self._child(protect=protect or None),
        )
        self.bucket_name = self.bucket.bucket
        # The ARN of a bucket is its name in a fixed form: known in a preview, unlike `arn`.
        self.bucket_arn = self.bucket_name.apply(
            lambda bucket: f"arn:{self._context.partition}:s3:::{bucket}"
        )
        self._create_ownership_controls(name)
        self.public_access_block = self._create_public_access_block(name)
        self._create_encryption(name)
        self._create_versioning(name)
        self._create_lifecycle(name, args)
        self.policy = self._create_policy(name)
        self._create_access_logging(name, args)
        self.read_policy_json = self._access_policy("read", None)
        self.write_policy_json = self._access_policy("write", None)
        self.read_write_policy_json = self._access_policy("read-write", None)
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "bucket_arn": self.bucket_arn,
                "key_arn": self.key_arn,
                "read_policy_json": self.read_policy_json,
                "write_policy_json": self.write_policy_json,
                "read_write_policy_json": self.read_write_policy_json,
            }
        )

    # --- children --------------------------------------------------------------------------

    def _child(self, **options) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **options)

    def _create_key(self, name: str, args: EncryptedBucketArgs, protect: bool):
        if "kms_key_arn" in args:
            return None, None
        return create_key(
            self,
            f"{name}-key",
            f"{name}-key-alias",
            f"{name}-key",
            f"Encrypts the {name} bucket ({args.get('purpose', 'data')})",
            [self._context.service_principal("s3")],
            tags=self._tags,
            protect=protect,
            extra_statements=reader_key_statements(self._context, self._readers),
        )

    def _create_ownership_controls(self, name: str) -> None:
        # ACLs off: the bucket owner owns every object, so only policies grant access.
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=self.bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=self._child(),
        )

    def _create_public_access_block(self, name: str) -> aws.s3.BucketPublicAccessBlock:
        return aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=self._child(),
        )

    def _create_encryption(self, name: str) -> None:
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": self.key_arn,
                    },
                    # One data key per bucket instead of per object: far fewer KMS calls.
                    "bucket_key_enabled": True,
                }
            ],
            opts=self._child(),
        )

    def _create_versioning(self, name: str) -> None:
        aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=self._child(),
        )

    def _create_lifecycle(self, name: str, args: EncryptedBucketArgs) -> None:
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=self.bucket.id,
            rules=lifecycle_rules(args),
            opts=self._child(),
        )

    def _create_policy(self, name: str) -> aws.s3.BucketPolicy:
        return aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.id,
            policy=pulumi.Output.all(self.bucket_arn, self.key_arn).apply(
                lambda values: bucket_policy(*values, self._readers, self._context.partition)
            ),
            # A policy written before the public access block could be judged public.
            opts=self._child(depends_on=[self.public_access_block]),
        )

    def _create_access_logging(self, name: str, args: EncryptedBucketArgs) -> None:
        if "access_log_bucket" not in args:
            return
        aws.s3.BucketLogging(
            f"{name}-access-logging",
            bucket=self.bucket.id,
            target_bucket=args["access_log_bucket"],
            target_prefix=args.get("access_log_prefix", f"{name}/"),
            opts=self._child(),
        )

    # --- intent methods ----------------------------------------------------------------------

    def s3_uri(self, prefix: str = "") -> pulumi.Output[str]:
        """`s3://<bucket>/<prefix>`."""
        return self.bucket_name.apply(lambda bucket: f"s3://{bucket}/{prefix.lstrip('/')}")

    def grant_read(
        self, role, prefix: str | None = None, *, name: str | None = None
    ) -> aws.iam.RolePolicy:
        """Let `role` read objects (under `prefix`) and decrypt them with the bucket's key."""
        return self._grant("read", role, prefix, name)

    def grant_write(
        self, role, prefix: str | None = None, *, name: str | None = None
    ) -> aws.iam.RolePolicy:
        """Let `role` write objects (under `prefix`), encrypted with the bucket's key."""
        return self._grant("write", role, prefix, name)

    def grant_read_write(
        self, role, prefix: str | None = None, *, name: str | None = None
    ) -> aws.iam.RolePolicy:
        """Let `role` read and write objects (under `prefix`) with the bucket's key."""
        return self._grant("read-write", role, prefix, name)

    def _grant(self, access: str, role, prefix: str | None, name: str | None) -> aws.iam.RolePolicy:
        label, role_name = role_grant_target(
            f"EncryptedBucket {self._name_prefix!r}",
            f"grant_{access.replace('-', '_')}",
            role,
            name,
        )
        return aws.iam.RolePolicy(
            f"{self._name_prefix}-{access}-{label}",
            role=role_name,
            policy=self._access_policy(access, prefix),
            opts=self._child(),
        )

    def _access_policy(self, access: str, prefix: str | None) -> pulumi.Output[str]:
        # The bucket's own key is named by its alias, so the grant is known in a preview; an
        # existing key by its ARN.
        key = (
            KeyReference(alias=self.key_alias.name) if self.key else KeyReference(arn=self.key_arn)
        )
        return pulumi.Output.all(self.bucket_arn, key.arn, key.alias).apply(
            lambda values: grant_policy(
                access, values[0], KeyReference(values[1], values[2]), prefix, self._context
            )
        )


def lifecycle_rules(args: EncryptedBucketArgs) -> list[dict]:
    rules = [
        {
            "id": "abort-incomplete-multipart-uploads",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
        },
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "noncurrent_version_expiration": {
                "noncurrent_days": args.get("noncurrent_version_retention_days", 90)
            },
        },
    ]
    retention = args.get("retention_days", _DEFAULT_RETENTION.get(args.get("purpose", "data")))
    if retention is not None:
        rules.append(
            {
                "id": "expire-after-retention",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "expiration": {"days": retention},
            }
        )
    return rules


def _validated(name: str, args: EncryptedBucketArgs) -> EncryptedBucketArgs:
    problems = Problems("EncryptedBucket", name)
    check_types(EncryptedBucketArgs, args, problems)
    purpose = args.get("purpose", "data")
    problems.require(
        purpose in PURPOSES,
        "purpose",
        purpose,
        "unknown purpose",
        f"use one of {', '.join(PURPOSES)}",
    )
    retention = args.get("retention_days", _DEFAULT_RETENTION.get(purpose))
    if isinstance(retention, int):
        floor = LOG_RETENTION_FLOOR_DAYS if purpose in LOG_PURPOSES else 1
        problems.require(
            retention >= floor,
            "retention_days",
            retention,
            f"{purpose} data must be kept at least {floor} days"
            + (" (six months: EU AI Act Art. 19 and 26(6))" if floor > 1 else ""),
            f"set {floor} or more",
        )
    noncurrent = args.get("noncurrent_version_retention_days", 90)
    if isinstance(noncurrent, int):
        problems.require(
            noncurrent >= 1,
            "noncurrent_version_retention_days",
            noncurrent,
            "S3 keeps previous versions at least one day",
            "set 1 or more",
        )
    for account in args.get("reader_account_ids", []) if not problems.found else []:
        problems.require(
            bool(_ACCOUNT_ID.match(account)),
            "reader_account_ids",
            account,
            "an AWS account id is 12 digits",
            "fix the id",
        )
    problems.require(
        not (args.get("reader_account_ids") and "kms_key_arn" in args),
        "reader_account_ids",
        args.get("reader_account_ids"),
        "other accounts also need kms:Decrypt in the key policy, which EncryptedBucket writes "
        "only for a key of its own, not for `kms_key_arn`",
        "drop kms_key_arn, or drop reader_account_ids and grant the accounts in your key's "
        "policy and a bucket policy of your own",
    )
    if "reader_prefixes" in args and not args.get("reader_account_ids"):
        problems.add(
            "reader_prefixes",
            args["reader_prefixes"],
            "prefixes limit what reader_account_ids read, and none is given",
            "add reader_account_ids or remove reader_prefixes",
        )
    bucket_name = args.get("bucket_name")
    if isinstance(bucket_name, str) and plain(bucket_name):
        problems.require(
            bool(_BUCKET_NAME.match(bucket_name)) and ".." not in bucket_name,
            "bucket_name",
            bucket_name,
            "S3 bucket names are 3-63 lowercase letters, digits, dots and hyphens",
            "choose a valid name, e.g. 'acme-ml-artifacts'",
        )
    elif bucket_name is None:
        autoname = f"{name}-bucket"
        problems.require(
            bool(_BUCKET_NAME.match(autoname)) and len(autoname) + _AUTONAME_SUFFIX <= 63,
            "name",
            name,
            f"the bucket would be auto-named {autoname}-xxxxxxx, which S3 rejects (lowercase, at "
            "most 63 characters)",
            "use a short lowercase component name or pass bucket_name",
        )
    problems.raise_if_any()
    return args
