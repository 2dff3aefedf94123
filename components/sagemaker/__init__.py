"""SageMaker serving: ModelEndpoint."""

from mlrails_components.sagemaker.args import (
    AutoscalingArgs,
    DataCaptureArgs,
    DeploymentArgs,
    ModelEndpointArgs,
    RollbackAlarmArgs,
    ServerlessArgs,
    VariantArgs,
)
from mlrails_components.sagemaker.model_endpoint import ModelEndpoint

__all__ = [
    "AutoscalingArgs",
    "DataCaptureArgs",
    "DeploymentArgs",
    "ModelEndpoint",
    "ModelEndpointArgs",
    "RollbackAlarmArgs",
    "ServerlessArgs",
    "VariantArgs",
]
