"""Knative's admission of a Serverless InferenceService: the ksvc pod spec KServe derives from it.

KServe builds the ksvc of a Serverless predictor from `spec.predictor`: the fields of
ComponentExtensionSpec and PredictorSpec steer KServe itself, the rest is the inline PodSpec,
and the model (PredictorExtensionSpec: storageUri, runtimeVersion, protocolVersion, plus
ModelSpec's modelFormat and runtime) becomes the container `kserve-container` (kserve
`pkg/apis/serving/v1beta1/component.go`, `predictor.go`, `predictor_model.go`;
`pkg/controller/v1beta1/inferenceservice/components/predictor.go`). That pod spec is what
Knative's webhook judges (`knative.py`).
"""

from __future__ import annotations

from typing import Any

from mlrails_components.kubernetes import knative
from mlrails_components.kubernetes.platform import SERVERLESS, Platform

# ComponentExtensionSpec and PredictorSpec's own fields (kserve component.go, predictor.go).
KSERVE_PREDICTOR_FIELDS = frozenset(
    {
        "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "scaleMetricType",
        "autoScaling", "containerConcurrency", "timeout", "canaryTrafficPercent", "logger",
        "batcher", "labels", "annotations", "deploymentStrategy", "model", "sklearn", "xgboost",
        "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm", "paddle",
        "storageUris", "storageContainerName", "workerSpec",
    }
)  # fmt: skip
# PredictorExtensionSpec and ModelSpec fields KServe consumes rather than copying.
KSERVE_MODEL_FIELDS = frozenset(
    {"storageUri", "runtimeVersion", "protocolVersion", "storage", "modelFormat", "runtime"}
)
MODEL_CONTAINER = "kserve-container"


def ksvc_pod_spec(predictor: dict[str, Any]) -> dict[str, Any]:
    """The pod spec of the ksvc KServe creates for this predictor."""
    pod = {k: v for k, v in predictor.items() if k not in KSERVE_PREDICTOR_FIELDS}
    model = predictor.get("model", {})
    container = {k: v for k, v in model.items() if k not in KSERVE_MODEL_FIELDS}
    pod["containers"] = [{"name": MODEL_CONTAINER, **container}, *pod.get("containers", [])]
    return pod


def admission_problems(document: dict[str, Any], platform: Platform) -> list[str]:
    """Why Knative would reject the ksvc of this InferenceService on the declared platform."""
    mode = document["metadata"].get("annotations", {}).get("serving.kserve.io/deploymentMode")
    if mode not in (SERVERLESS, platform.mode_annotation(SERVERLESS)):
        return []  # a RawDeployment is a plain Deployment: no Knative webhook judges it
    pod = ksvc_pod_spec(document["spec"]["predictor"])
    return knative.pod_spec_problems(pod, platform.release, platform.features)
