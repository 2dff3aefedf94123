"""Where a variant's model comes from, and what the execution role needs to fetch it.

SageMaker hosting downloads the model data and pulls the image with the model's execution
role (botocore `ContainerDefinition.ModelDataUrl`: "SageMaker uses STS to download model
artifacts"; DG sagemaker-roles.md, "CreateModel API: Execution Role Permissions",
https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms).
So the role needs S3 read on the data, kms:Decrypt on the key that encrypts it (S3 UG,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html: downloading an
SSE-KMS object needs kms:Decrypt), and ECR pull on the image's repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlrails_components.sagemaker.args import VariantArgs
from mlrails_components.support.aws import AwsContext, object_arns

if TYPE_CHECKING:
    from pulumi_aws.sagemaker import ModelPrimaryContainerArgsDict

# botocore `ContainerDefinition.ModelDataUrl`: "must point to a single gzip compressed tar
# archive (.tar.gz suffix)".
ARCHIVE_SUFFIX = ".tar.gz"
# botocore `S3ModelDataSource.S3DataType`: "A valid key name prefix identified by S3Uri always
# ends with a forward slash (/)".
PREFIX_SUFFIX = "/"


def container_model_data(variant: VariantArgs) -> ModelPrimaryContainerArgsDict:
    """The pulumi-aws `primary_container` fields that locate the variant's own model data."""
    if "model_data_url" in variant:
        return {"model_data_url": variant["model_data_url"]}
    if "model_data_prefix" in variant:
        # botocore `S3ModelDataSource`: S3Prefix + CompressionType None serves every object
        # under the prefix as it is; pulumi-aws `ModelPrimaryContainerModelDataSource`.
        return {
            "model_data_source": {
                "s3_data_sources": [
                    {
                        "s3_uri": variant["model_data_prefix"],
                        "s3_data_type": "S3Prefix",
                        "compression_type": "None",
                    }
                ]
            }
        }
    return {}


def model_data_location(variant: VariantArgs) -> Any:
    """The S3 URI the role must read for this variant: its own data or its package's."""
    for key in ("model_data_url", "model_data_prefix", "model_package_model_data_url"):
        if key in variant:
            return variant[key]
    return None


def model_image(variant: VariantArgs, resolved: Any) -> Any:
    """The image the role must pull: the resolved image, or the package's."""
    return variant.get("model_package_image") if "model_package_arn" in variant else resolved


@dataclass(frozen=True)
class ModelDataGrant:
    """Model data to read, resolved: its S3 URI and the key that encrypts it (None: SSE-S3)."""

    s3_uri: str
    kms_key_arn: str | None


def model_data_statements(context: AwsContext, grants: list[ModelDataGrant]) -> list[dict]:
    """Read the objects (list the prefixes) and decrypt them through S3 with their keys."""
    if not grants:
        return []
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadModelData",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": sorted({object_arns(context, g.s3_uri) for g in grants}),
        }
    ]
    prefixes: dict[str, set[str]] = {}
    for grant in grants:
        if grant.s3_uri.endswith(PREFIX_SUFFIX):
            bucket, _, key = grant.s3_uri.removeprefix("s3://").partition("/")
            prefixes.setdefault(bucket, set()).add(f"{key}*")
    for number, bucket in enumerate(sorted(prefixes), 1):
        # Serving a prefix lists it first (DG sagemaker-roles.md: s3:ListBucket for prefix
        # inputs); the s3:prefix condition keeps the rest of the bucket unlisted.
        statements.append(
            {
                "Sid": f"ListModelData{number}",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": f"arn:{context.partition}:s3:::{bucket}",
                "Condition": {"StringLike": {"s3:prefix": sorted(prefixes[bucket])}},
            }
        )
    keys = sorted({g.kms_key_arn for g in grants if g.kms_key_arn})
    if keys:
        statements.append(
            {
                # Only S3, decrypting the model objects for this role, may use the keys.
                "Sid": "DecryptModelData",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": keys,
                "Condition": context.key_only_via("s3"),
            }
        )
    return statements
