"""Finding pod specs and containers in workloads and KServe InferenceServices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlrails_policies.framework.wire import get, items, require_known

INFERENCE_SERVICE = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
POD_SPEC_PATHS = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOADS = (*POD_SPEC_PATHS, INFERENCE_SERVICE)
# KServe components are pod specs; their model (or framework shorthand) is a container.
ISVC_COMPONENTS = ("predictor", "transformer", "explainer")
ISVC_MODEL_KEYS = (
    "model",
    "sklearn",
    "xgboost",
    "pytorch",
    "tensorflow",
    "onnx",
    "triton",
    "huggingface",
    "lightgbm",
    "pmml",
    "paddle",
)


def pod_specs(args) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, pod spec) pairs of the resource."""
    if args.resource_type == INFERENCE_SERVICE:
        for component in ISVC_COMPONENTS:
            spec = require_known(get(args.props, "spec", component), f"spec.{component}")
            if isinstance(spec, dict):
                yield component, spec
        return
    spec = require_known(get(args.props, *POD_SPEC_PATHS[args.resource_type]), "the pod spec")
    if isinstance(spec, dict):
        yield "pod", spec


def containers(pod_spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, container) pairs: containers, init containers and KServe model containers."""
    for key in ("containers", "initContainers"):
        for container in items(pod_spec.get(key)):
            if isinstance(require_known(container, key), dict):
                yield f"container {container.get('name', '?')}", container
    for key in ISVC_MODEL_KEYS:
        model = pod_spec.get(key)
        if isinstance(model, dict):
            yield f"{key}", model


def all_containers(args) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(label, container, its pod spec) for every container of the resource."""
    for pod_label, spec in pod_specs(args):
        for label, container in containers(spec):
            yield f"{pod_label} {label}", container, spec
