"""InferenceService arguments for every rollout shape, and the objects the component builds from them."""

from __future__ import annotations

from typing import Any

from mlrails_components.kubernetes.inference_service import build_documents, check_documents
from mlrails_components.kubernetes.settings import Settings, resolve
from mlrails_components.kubernetes.validation import validate
from mlrails_components.support.validation import Problems

RELEASES = ["1.12", "1.18", "1.21"]
RESOURCES = {"cpu_request": "1", "memory_request": "2Gi", "cpu_limit": "2", "memory_limit": "4Gi"}
BASE = {"model_format": "sklearn", "storage_uri": "s3://models/fraud/v42", "resources": RESOURCES}
SHADOW = {
    "shadow": {"storage_uri": "s3://models/fraud/v43", "mirror_percent": 20},
    "allowed_client_namespaces": ["checkout"],
}
RAW = {"deployment_mode": "RawDeployment"}
RAW_CANARY = {
    "canary_traffic_percent": 10,
    "previous_storage_uri": "s3://models/fraud/v41",
    "allowed_client_namespaces": ["checkout"],
}
SCENARIOS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # id: (arguments, platform)
    "serverless": ({}, {}),
    "serverless-canary": ({"canary_traffic_percent": 10}, {}),
    "serverless-shadow": (SHADOW, {}),
    "raw": ({}, RAW),
    "raw-canary": (RAW_CANARY, RAW),
    "raw-canary-and-shadow": ({**RAW_CANARY, **SHADOW}, RAW),
}


def arguments(extra: dict[str, Any], platform: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, **extra, **({"platform": platform} if platform else {})}


def build(args: dict[str, Any]) -> tuple[Settings, dict[str, dict[str, Any]]]:
    """The component's settings and objects, after the checks it runs before registering."""
    problems = Problems("InferenceService", "fraud")
    validate("fraud", args, problems)
    problems.raise_if_any()
    settings = resolve("fraud", args)
    documents = build_documents(settings)
    check_documents(documents, settings, problems)
    problems.raise_if_any()
    return settings, documents
