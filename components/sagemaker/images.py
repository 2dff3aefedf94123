"""Container images of a variant: framework names resolved offline, ECR repositories derived."""

from __future__ import annotations

import functools
import re
from typing import Any

from mlrails_components.sagemaker.args import VariantArgs
from mlrails_components.support.validation import Problems

_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repository>[^:@]+)([:@].*)?$"
)


class UnknownFramework(ValueError):
    """The SageMaker SDK has no image for this framework, version and region."""


@functools.lru_cache(maxsize=256)
def framework_image(
    framework: str, version: str, region: str, python_version: str | None, instance_type: str | None
) -> str:
    """The AWS image URI of a SageMaker framework or algorithm, from the SDK's offline tables."""
    # Imported here: the SDK takes over a second to import and most programs never need it.
    from sagemaker.core import image_uris

    try:
        return image_uris.retrieve(
            framework,
            region=region,
            version=version,
            py_version=python_version,
            instance_type=instance_type or "ml.m5.large",
            image_scope="inference",
        )
    except (ValueError, KeyError, TypeError) as error:
        raise UnknownFramework(str(error).splitlines()[0]) from error


def repository_arn(image: str, partition: str) -> str | None:
    """The ECR repository of an image URI, or None for an image outside Amazon ECR."""
    match = _ECR_IMAGE.match(image)
    if match is None:
        return None
    return (
        f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"
    )


def ecr_pull_statements(sid: str, images: list[str], partition: str) -> list[dict[str, Any]]:
    """The statements that let a SageMaker job or model pull `images` from ECR (none when no
    image is in ECR): pull on each image's repository, and a registry token.

    DG sagemaker-roles.md ("CreateModel API" and "CreateProcessingJob API: Execution Role
    Permissions") scopes the pull to the image's repository and makes no exception for
    AWS-owned images; a role whose grant left out the AWS-owned account of a prebuilt image
    failed to pull it (awslabs/aws-solutions-constructs#986).
    """
    repositories = sorted({r for i in images if (r := repository_arn(i, partition))})
    if not repositories:
        return []
    return [
        {
            "Sid": sid,
            "Effect": "Allow",
            "Action": [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            "Resource": repositories,
        },
        {
            # ECR issues registry tokens for the whole account; the action has no resource.
            "Sid": "AuthenticateToEcr",
            "Effect": "Allow",
            "Action": "ecr:GetAuthorizationToken",
            "Resource": "*",
        },
    ]


def variant_images(variants: list[VariantArgs], region: str, problems: Problems) -> dict[str, Any]:
    """Each variant's image by variant name: as given, or its framework's image in `region`
    (a framework the SDK does not know is a problem)."""
    images: dict[str, Any] = {}
    for variant in variants:
        if "framework" not in variant:
            images[variant["name"]] = variant.get("image")
            continue
        try:
            images[variant["name"]] = framework_image(
                variant["framework"],
                variant["framework_version"],
                region,
                variant.get("python_version"),
                variant.get("instance_type"),
            )
        except UnknownFramework as error:
            problems.add(
                f"variant {variant['name']}.framework",
                f"{variant['framework']} {variant['framework_version']}",
                f"the SageMaker SDK has no image for it in {region} ({error})",
                "check the framework name and version, or pass image",
            )
    return images
