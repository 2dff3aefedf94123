"""Realistic inputs of every component, as a YAML, TypeScript or Go program sends them.

Keys are the schema's (camelCase). A `Wired` value is what a program would take from another
resource (a bucket's URI, a topic's ARN, an endpoint's name): the host test sends it once as a
plain value and once as an Output of another resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi.runtime import rpc

from tests.components.package_host import PROJECT, STACK

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts-1a2b3c4"
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ARTIFACTS = "s3://artifacts-bucket-1a2b3c4"
MONITORING = "s3://monitoring-bucket-1a2b3c4"
TAGS = {"owner": "credit-risk", "cost-center": "cc-31", "data-classification": "confidential"}


@dataclass(frozen=True)
class Wired:
    value: Any


# Wired inputs the component reads as values: the dependency they carry stays on the Outputs
# read beside them (an endpoint's variant names beside its name).
WIRED_ONLY = {"variantNames"}

# What both monitors take from the endpoint and the monitoring bucket.
MONITORED_ENDPOINT = {
    "endpointName": Wired("credit"),
    "dataCaptureEnabled": True,
    "dataCaptureS3Uri": Wired(f"{MONITORING}/capture/credit/"),
    "dataCaptureKmsKeyArn": Wired(KEY),
    "outputS3Uri": Wired(f"{MONITORING}/credit/reports"),
    "outputKmsKeyArn": Wired(KEY),
}
INPUTS: dict[str, dict[str, Any]] = {
    "EncryptionKey": {
        "alias": "ml-artifacts",
        "servicePrincipals": ["sagemaker.amazonaws.com"],
        "administratorArns": [Wired(f"arn:aws:iam::{ACCOUNT}:role/platform-admin")],
        "deletionWindowDays": 14,
        "rotationPeriodDays": 180,
        "tags": Wired(TAGS),
    },
    "EncryptedBucket": {
        "purpose": "artifacts",
        "kmsKeyArn": Wired(KEY),
        "noncurrentVersionRetentionDays": 30,
        "tags": TAGS,
    },
    "ModelEndpoint": {
        "variants": [
            {
                # A framework variant: its image is found with the SageMaker SDK, which a
                # plugin directory on the import path must not shadow.
                "name": "main",
                "framework": "xgboost",
                "frameworkVersion": "1.7-1",
                "modelDataUrl": Wired(f"{ARTIFACTS}/credit/v12/model.tar.gz"),
                "modelDataKmsKeyArn": Wired(KEY),
                "instanceType": "ml.m5.xlarge",
                "initialInstanceCount": 2,
            }
        ],
        "alarmActions": [Wired(TOPIC)],
        "tags": TAGS,
    },
    "ModelMonitor": {
        **MONITORED_ENDPOINT,
        "dataQuality": {
            "baselineConstraintsUri": Wired(f"{ARTIFACTS}/credit/baselines/constraints.json"),
            "baselineStatisticsUri": Wired(f"{ARTIFACTS}/credit/baselines/statistics.json"),
            "driftThresholds": {"income": 0.2},
        },
        "alarmActions": [Wired(TOPIC)],
        "tags": TAGS,
    },
    "OpenSourceMonitor": {
        **MONITORED_ENDPOINT,
        "jobImageUri": f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/mlrails-monitoring-job:0.1.0",
        "dataQuality": {
            "baselineDatasetUri": Wired(f"{ARTIFACTS}/credit/baselines/baseline.csv"),
            "baselineKmsKeyArn": Wired(KEY),
            "driftThresholds": {"income": 0.2},
        },
        "alarmActions": [Wired(TOPIC)],
        "tags": TAGS,
    },
    "EndpointAlarms": {
        "endpointName": Wired("credit"),
        "variantNames": Wired(["main", "canary"]),
        "variantVcpus": {"main": 4, "canary": 4},
        "alarmActions": [Wired(TOPIC)],
        "thresholds": {"cpuPercent": 70, "modelLatencyP99Ms": 250},
        "tags": TAGS,
    },
    "AlertTopic": {
        "emailAddresses": ["oncall@example.com"],
        "sqsQueueArns": [Wired(f"arn:aws:sqs:eu-west-1:{ACCOUNT}:incidents")],
        "tags": TAGS,
    },
    "EndpointDashboard": {
        "endpointName": Wired("credit"),
        "variantNames": Wired(["main"]),
        "monitoringScheduleName": Wired("credit-data-quality-1a2b3c4"),
        "driftFeatures": ["income"],
    },
    "ModelCard": {
        "modelName": Wired("credit-model-1a2b3c4"),
        "status": "Approved",
        "kmsKeyArn": Wired(KEY),
        "modelOverview": {"modelDescription": "Credit default risk", "modelVersion": 12},
        "tags": TAGS,
    },
    "ModelRegistry": {
        "description": "Credit default risk models",
        "consumerAccountIds": ["210987654321"],
        "tags": Wired(TAGS),
    },
    "InferenceService": {
        "namespace": "fraud",
        "modelFormat": "sklearn",
        "modelFormatVersion": "1",
        "storageUri": Wired("s3://acme-models/fraud/v3"),
        "resources": {
            "cpuRequest": "500m",
            "memoryRequest": "1Gi",
            "cpuLimit": "2",
            "memoryLimit": "2Gi",
        },
        "minReplicas": 2,
        "maxReplicas": 8,
        "canaryTrafficPercent": 10,
        "serviceAccountAnnotations": {
            "eks.amazonaws.com/role-arn": Wired(f"arn:aws:iam::{ACCOUNT}:role/fraud-model-reader")
        },
        "labels": {"owner": "fraud"},
    },
}


def wire(value, outputs: bool, path: str = "", unknown: bool = False):
    """Inputs as the engine sends them: Wired values plain, or as Outputs of other resources.

    With outputs=True, returns (inputs, {top-level property: [URNs]}): each Wired value becomes
    an output value depending on a resource of its own, as the engine forwards an Output to a
    provider that accepts them (pulumi/runtime/rpc.py `deserialize_output_value`).
    """
    dependencies: dict[str, list[str]] = {}

    def convert(item, where: str):
        if isinstance(item, Wired):
            if not outputs:
                return item.value
            urn = f"urn:pulumi:{STACK}::{PROJECT}::aws:s3/bucket:Bucket::{where}"
            dependencies.setdefault(where.split(".")[0], []).append(urn)
            output = {
                rpc._special_sig_key: rpc._special_output_value_sig,
                "value": item.value,
                "dependencies": [urn],
            }
            if unknown and where.split(".")[0] not in WIRED_ONLY:
                del output["value"]  # an output value without one is unknown
            return output
        if isinstance(item, dict):
            return {k: convert(v, f"{where}.{k}" if where else k) for k, v in item.items()}
        if isinstance(item, list):
            return [convert(v, f"{where}.{i}") for i, v in enumerate(item)]
        return item

    converted = convert(value, path)
    return (converted, dependencies) if outputs else converted
