"""Kubernetes serving: InferenceService (KServe) with canary and shadow rollout and guardrails."""

from mlrails_components.kubernetes.args import (
    InferenceServiceArgs,
    ModelResourcesArgs,
    ShadowModelArgs,
)
from mlrails_components.kubernetes.inference_service import InferenceService

__all__ = ["InferenceService", "InferenceServiceArgs", "ModelResourcesArgs", "ShadowModelArgs"]
