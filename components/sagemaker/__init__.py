"""SageMaker serving: ModelEndpoint."""

from components.sagemaker.args import (
    AutoscalingArgs,
    DataCaptureArgs,
    DeploymentArgs,
    ModelCardArgs,
    ModelEndpointArgs,
    RollbackAlarmArgs,
    ServerlessArgs,
    VariantArgs,
)
from components.sagemaker.model_endpoint import ModelEndpoint

__all__ = [
    "AutoscalingArgs",
    "DataCaptureArgs",
    "DeploymentArgs",
    "ModelCardArgs",
    "ModelEndpoint",
    "ModelEndpointArgs",
    "RollbackAlarmArgs",
    "ServerlessArgs",
    "VariantArgs",
]
