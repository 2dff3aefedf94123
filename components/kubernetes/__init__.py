"""Kubernetes serving: InferenceService (KServe) with canary and shadow rollout and guardrails."""

from components.kubernetes.args import InferenceServiceArgs, ModelResourcesArgs, ShadowModelArgs
from components.kubernetes.inference_service import InferenceService

__all__ = ["InferenceService", "InferenceServiceArgs", "ModelResourcesArgs", "ShadowModelArgs"]
