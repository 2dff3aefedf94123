"""SageMaker's limits on ModelEndpoint's arguments, each with where SageMaker states it.

ModelEndpoint's validation and the reference stack's configuration read this one table.
"""

from __future__ import annotations

import math

from mlrails_components.sagemaker.service_model import limits
from mlrails_components.support.limits import Limit

_API = "https://docs.aws.amazon.com/sagemaker/latest/APIReference"
_DG = "https://docs.aws.amazon.com/sagemaker/latest/dg"

VARIANTS = Limit(
    1,
    10,
    "an endpoint has 1 to 10 production variants",
    source="botocore sagemaker CreateEndpointConfigInput.ProductionVariants "
    "(shape ProductionVariantList, 1 to 10)",
    fix="give between 1 and 10",
)
SERVERLESS_MEMORY_MB = Limit(
    1024,
    6144,
    "serverless memory comes in 1 GB steps from 1024 to 6144 MB",
    source=f"botocore sagemaker ServerlessMemorySizeInMB (1024 to 6144); {_DG}/serverless-endpoints.html "
    "(memory sizes of 1024, 2048, 3072, 4096, 5120 or 6144 MB)",
    step=1024,
    fix="use one of 1024, 2048, 3072, 4096, 5120, 6144",
)
SERVERLESS_MAX_CONCURRENCY = Limit(
    1,
    200,
    "SageMaker allows 1 to 200",
    source="botocore sagemaker ServerlessMaxConcurrency (1 to 200)",
)
VOLUME_SIZE_GB = Limit(
    1,
    512,
    "volumes are 1 to 512 GB",
    source="botocore sagemaker ProductionVariantVolumeSizeInGB (1 to 512)",
)
# SamplingPercentage allows 0, which would capture (or shadow) nothing: at least 1 here.
SAMPLING_PERCENT = Limit(
    1,
    100,
    "a share is 1 to 100",
    source="botocore sagemaker DataCaptureConfig.InitialSamplingPercentage (SamplingPercentage, "
    "0 to 100) and ShadowModelVariantConfig.SamplingPercentage",
)
CANARY_PERCENT = Limit(
    1,
    50,
    "a canary is at most 50% of the fleet",
    source=f"{_API}/API_TrafficRoutingConfig.html (CanarySize: at most 50% of the variant's "
    "instances)",
)
LINEAR_STEP_PERCENT = Limit(
    10,
    50,
    "linear steps are 10% to 50% of the fleet",
    source=f"{_API}/API_TrafficRoutingConfig.html (LinearStepSize: 10-50% of the variant's instances)",
)
ROLLING_BATCH_PERCENT = Limit(
    5,
    50,
    "rolling batches are 5% to 50% of the fleet",
    source=f"{_API}/API_RollingUpdatePolicy.html (MaximumBatchSize: 5% to 50% of the variant's "
    "instances)",
)

_BAKE_SECONDS = limits("WaitIntervalInSeconds")
BAKE_MINUTES = Limit(
    _BAKE_SECONDS[0] // 60,
    _BAKE_SECONDS[1] // 60,
    f"SageMaker allows {_BAKE_SECONDS[0]} to {_BAKE_SECONDS[1]} seconds",
    source="botocore sagemaker TrafficRoutingConfig.WaitIntervalInSeconds and "
    "RollingUpdatePolicy.WaitIntervalInSeconds (shape WaitIntervalInSeconds)",
)

VARIANT_LIMITS = {"volume_size_gb": VOLUME_SIZE_GB}
SERVERLESS_LIMITS = {
    "memory_size_mb": SERVERLESS_MEMORY_MB,
    "max_concurrency": SERVERLESS_MAX_CONCURRENCY,
}
DEPLOYMENT_LIMITS = {
    "canary_percent": CANARY_PERCENT,
    "linear_step_percent": LINEAR_STEP_PERCENT,
    "rolling_batch_percent": ROLLING_BATCH_PERCENT,
}


def canary_instances(fleet: int, percent: int) -> int:
    """Instances SageMaker turns on for a canary of `percent` of a variant's `fleet`: a share
    of instances is rounded up to whole instances."""
    return math.ceil(fleet * percent / 100)


def canary_fits(fleet: int, percent: int) -> bool:
    """Whether the canary is at most half of the fleet (API_TrafficRoutingConfig, CanarySize)."""
    return canary_instances(fleet, percent) <= fleet / 2
