"""k8s-pinned-images: images and model storage URIs name a fixed version."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluatedError
from mlrails_policies.framework.wire import UNKNOWN, get
from mlrails_policies.kubernetes.pods import WORKLOADS, all_containers


def image_problem(image: str) -> str | None:
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image} has no tag, so it means :latest"
    if last.rsplit(":", 1)[1] == "latest":
        return f"image {image} uses :latest"
    return None


def storage_problem(uri: str) -> str | None:
    parts = uri.replace(":", "/").rstrip("/").split("/")
    if "latest" in parts:
        return f"storage URI {uri} points at 'latest', not a fixed model version"
    return None


def check(args, options):
    for label, container, _ in all_containers(args):
        image = get(container, "image")
        uri = get(container, "storageUri")
        if UNKNOWN in (image, uri):
            raise NotEvaluatedError(
                f"the image or storage URI of {label} can't be known during preview"
            )
        for problem in (
            image_problem(image) if isinstance(image, str) else None,
            storage_problem(uri) if isinstance(uri, str) else None,
        ):
            if problem:
                yield f"{label}: {problem}"


RULE = Rule(
    id="k8s-pinned-images",
    description="Container images and model storage URIs are pinned: no `latest`, no untagged image.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Pin images by tag or digest and storage URIs to a model version.",
    controls=Controls(
        eu_ai_act=("Art. 12",),
        nist_ai_rmf=("MANAGE 2.4",),
        iso_42001=("A.6.2.5",),
        soc2=("CC8.1",),
    ),
    judges=WORKLOADS,
    check=check,
)
