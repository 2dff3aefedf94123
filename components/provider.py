"""The components as a Pulumi component package, for YAML, TypeScript and Go users.

`pulumi package add <path to this repository>/components` runs `components/__main__.py`, which
hosts these classes; the package schema is inferred from their typed Args by Pulumi's analyzer.
"""

from components.governance import ModelCard, ModelRegistry
from components.kubernetes import InferenceService
from components.monitoring import (
    AlertTopic,
    EndpointAlarms,
    EndpointDashboard,
    ModelMonitor,
    OpenSourceMonitor,
)
from components.sagemaker import ModelEndpoint
from components.storage import EncryptedBucket, EncryptionKey

PACKAGE = "mlrails"
COMPONENTS = [
    EncryptionKey,
    EncryptedBucket,
    ModelEndpoint,
    ModelMonitor,
    OpenSourceMonitor,
    EndpointAlarms,
    AlertTopic,
    EndpointDashboard,
    ModelCard,
    ModelRegistry,
    InferenceService,
]
