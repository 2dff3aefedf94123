"""sagemaker-approved-images: model images come from approved registries."""

import fnmatch

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluatedError
from mlrails_policies.framework.wire import UNKNOWN, get, items, require_known
from mlrails_policies.sagemaker.common import MODEL

AWS_REGISTRIES = ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"]


def images(props):
    containers = [get(props, "primaryContainer"), *items(get(props, "containers"))]
    for container in containers:
        if container is UNKNOWN:
            raise NotEvaluatedError("the model's containers can't be known during preview")
        # A container from a model package takes its image from the package, which the
        # registry governs; its name may be unknown during preview.
        if isinstance(container, dict) and container.get("modelPackageName") is None:
            yield container.get("image")


def registry_of(image: str) -> str:
    """Docker's rule: the first component names a registry only if it looks like a host."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first
    return "docker.io"


def check(args, options):
    allowed = options.get("allowed_registries") or AWS_REGISTRIES
    for image in images(args.props):
        if not isinstance(require_known(image, "a container image"), str):
            continue
        registry = registry_of(image)
        if not any(fnmatch.fnmatchcase(registry, pattern) for pattern in allowed):
            yield f"image {image} comes from registry {registry}, which is not in the allow-list"


RULE = Rule(
    id="sagemaker-approved-images",
    description="Every model image comes from a registry in the allow-list (default: Amazon ECR).",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Push the image to an approved registry (your Amazon ECR) or add the registry "
    "to allowed_registries after review.",
    controls=Controls(
        nist_ai_rmf=("GOVERN 6.1",),
        iso_42001=("A.10.3",),
        soc2=("CC8.1",),
    ),
    judges=(MODEL,),
    check=check,
    options={
        "allowed_registries": {
            "type": "array",
            "items": {"type": "string"},
            "default": AWS_REGISTRIES,
            "description": "Registry host globs images may come from.",
        }
    },
)
