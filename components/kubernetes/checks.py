"""Checks shared by InferenceService's argument validation: names, storage URIs, images, replicas.

Names follow Kubernetes' DNS label rules. Images and storage URIs must name a fixed version, as
the k8s-pinned-images rule of the policy pack expects.
"""

from __future__ import annotations

import re

from mlrails_components.kubernetes import platform as platforms
from mlrails_components.kubernetes.args import InferenceServiceArgs, ShadowModelArgs
from mlrails_components.support.images import unpinned_image_problem
from mlrails_components.support.validation import Problems, plain

SCALE_METRICS = ("concurrency", "rps", "cpu", "memory")
PERCENT_METRICS = ("cpu", "memory")
STORAGE_SCHEMES = ("s3", "gs", "https", "http", "pvc", "oci", "hf", "hdfs", "webhdfs")
MAX_LABEL = 63
_DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def dns_label_problem(value: str) -> str | None:
    if len(value) > MAX_LABEL or not _DNS_LABEL.match(value):
        return (
            "Kubernetes names are at most 63 lowercase letters, digits and hyphens, "
            "starting with a letter and ending with a letter or digit"
        )
    return None


def storage_problem(uri: str) -> str | None:
    scheme, separator, rest = uri.partition("://")
    if not separator or scheme not in STORAGE_SCHEMES or not rest.strip("/"):
        return f"KServe's storage initializer reads {', '.join(s + '://' for s in STORAGE_SCHEMES)} URIs"
    if "latest" in rest.replace(":", "/").rstrip("/").split("/"):
        return "a URI naming `latest` is not a fixed model version"
    return None


def check_model(
    prefix: str, model: InferenceServiceArgs | ShadowModelArgs, problems: Problems
) -> None:
    uri = model["storage_uri"]
    if plain(uri):
        problem = storage_problem(uri)
        problems.require(
            problem is None,
            f"{prefix}storage_uri",
            uri,
            problem or "",
            "point at a versioned model, e.g. s3://models/fraud/v42",
        )
    if "image" in model:
        problem = unpinned_image_problem(model["image"])
        problems.require(
            problem is None,
            f"{prefix}image",
            model["image"],
            problem or "",
            "pin the image by tag or digest, e.g. kserve/sklearnserver:v0.14.0",
        )


def mode_of(args: InferenceServiceArgs) -> str | None:
    return platforms.MODE_ALIASES.get(args.get("platform", {}).get("deployment_mode", ""))


def min_max_replicas(args: InferenceServiceArgs) -> tuple[int, int]:
    low = args.get("min_replicas", 2)
    return low, args.get("max_replicas", max(4, low))
