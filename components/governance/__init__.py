"""Governance artefacts: model cards and the model registry."""

from mlrails_components.governance.args import (
    AdditionalInformationArgs,
    BusinessDetailsArgs,
    EvaluationArgs,
    IntendedUsesArgs,
    MetricArgs,
    MetricGroupArgs,
    ModelCardArgs,
    ModelOverviewArgs,
    ModelPackageVersionArgs,
    ModelRegistryArgs,
    TrainingDetailsArgs,
)
from mlrails_components.governance.model_card import ModelCard
from mlrails_components.governance.model_registry import ModelPackageVersion, ModelRegistry

__all__ = [
    "AdditionalInformationArgs",
    "BusinessDetailsArgs",
    "EvaluationArgs",
    "IntendedUsesArgs",
    "MetricArgs",
    "MetricGroupArgs",
    "ModelCard",
    "ModelCardArgs",
    "ModelOverviewArgs",
    "ModelPackageVersion",
    "ModelPackageVersionArgs",
    "ModelRegistry",
    "ModelRegistryArgs",
    "TrainingDetailsArgs",
]
