"""EncryptedBucket: a private, TLS-only, versioned S3 bucket encrypted with a customer-managed key."""

import pulumi
import pulumi_aws as aws

from mlrails_components.storage.bucket_args import EncryptedBucketArgs
from mlrails_components.storage.bucket_defaults import Bucket, lifecycle_rules
from mlrails_components.storage.bucket_policies import (
    KeyReference,
    bucket_policy,
    grant_policy,
    reader_key_statements,
)
from mlrails_components.storage.bucket_validation import validated
from mlrails_components.storage.encryption_key import create_key
from mlrails_components.support.aws import aws_context, role_grant_target
from mlrails_components.support.tokens import renamed_from, token

# Stacks whose buckets and keys are protected from deletion unless the args say otherwise.
PRODUCTION_STACKS = ("prod", "production")


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
        settings = validated(name, args)
        self._name_prefix = name
        self._context = aws_context(self)
        self._tags = args.get("tags")
        protect = pulumi.get_stack() in PRODUCTION_STACKS and not args.get(
            "allow_deleting_production_data", False
        )
        self._readers = settings.readers
        self.key, self.key_alias = self._create_key(name, settings, protect)
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
        self._create_lifecycle(name, settings)
        self.policy = self._create_policy(name)
        self._create_access_logging(name, settings)
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

    def _create_key(self, name: str, settings: Bucket, protect: bool):
        if "kms_key_arn" in settings.args:
            return None, None
        return create_key(
            self,
            f"{name}-key",
            f"{name}-key-alias",
            f"{name}-key",
            f"Encrypts the {name} bucket ({settings.purpose})",
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

    def _create_lifecycle(self, name: str, settings: Bucket) -> None:
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=self.bucket.id,
            rules=lifecycle_rules(settings),
            opts=self._child(),
        )

    def _create_policy(self, name: str) -> aws.s3.BucketPolicy:
        return aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.id,
            policy=pulumi.Output.all(self.bucket_arn, self.key_arn).apply(
                lambda values: bucket_policy(
                    values[0], values[1], self._readers, self._context.partition
                )
            ),
            # A policy written before the public access block could be judged public.
            opts=self._child(depends_on=[self.public_access_block]),
        )

    def _create_access_logging(self, name: str, settings: Bucket) -> None:
        if "access_log_bucket" not in settings.args:
            return
        aws.s3.BucketLogging(
            f"{name}-access-logging",
            bucket=self.bucket.id,
            target_bucket=settings.args["access_log_bucket"],
            target_prefix=settings.access_log_prefix(name),
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
