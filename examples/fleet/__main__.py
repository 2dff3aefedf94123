"""A fleet of N model endpoints (N from `fleet:endpoints`), each with what production needs.

Shared by the fleet: encrypted stores for artifacts, captured data and monitoring reports, a
key for the model cards, and an alert topic. Per endpoint: a model card, a ModelEndpoint with
canary rollout, rollback alarms and data capture to the shared store, EndpointAlarms and a
daily data-quality monitor against the model's baseline: the open-source monitoring job by
default, SageMaker Model Monitor with `fleet:monitoringBackend: model-monitor`.
"""

import pulumi

from mlrails_components.monitoring import (
    AlertTopic,
    EndpointAlarms,
    ModelMonitor,
    OpenSourceMonitor,
)
from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket, EncryptionKey

config = pulumi.Config()
endpoints = config.get_int("endpoints") or 10
tags = {
    "owner": config.require("owner"),
    "cost-center": "cc-ml-fleet",
    "data-classification": "confidential",
}
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
backend = config.get("monitoringBackend") or "open-source"

artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": tags})
capture = EncryptedBucket("capture", {"purpose": "capture", "tags": tags})
monitoring = EncryptedBucket("monitoring", {"purpose": "monitoring", "tags": tags})
cards_key = EncryptionKey(
    "model-cards",
    {
        "description": "Encrypts the fleet's model cards",
        "service_principals": ["sagemaker.amazonaws.com"],
        "tags": tags,
    },
)
alerts = AlertTopic("alerts", {"email_addresses": ["ml-oncall@example.com"], "tags": tags})

for i in range(endpoints):
    name = f"model-{i:03d}"
    endpoint = ModelEndpoint(
        name,
        {
            "variants": [
                {
                    "name": "main",
                    "image": IMAGE,
                    "model_data_url": artifacts.s3_uri(f"{name}/model.tar.gz"),
                    "model_data_kms_key_arn": artifacts.key_arn,
                    "instance_type": "ml.m5.large",
                    "initial_instance_count": 2,
                    "model_card": {
                        "status": "Approved",
                        "kms_key_arn": cards_key.key_arn,
                        "model_overview": {"model_owner": tags["owner"]},
                        "intended_uses": {"risk_rating": "Low"},
                    },
                }
            ],
            "data_capture": {
                "destination_s3_uri": capture.s3_uri(f"{name}/"),
                "kms_key_arn": capture.key_arn,
            },
            "alarm_actions": [alerts.topic_arn],
            "tags": tags,
        },
    )
    EndpointAlarms(
        f"{name}-alarms",
        {**endpoint.endpoint_alarms_args(), "alarm_actions": [alerts.topic_arn], "tags": tags},
    )
    monitor_args = {
        **endpoint.monitoring_args(),
        "output_s3_uri": monitoring.s3_uri(f"{name}/reports"),
        "output_kms_key_arn": monitoring.key_arn,
        "alarm_actions": [alerts.topic_arn],
        "tags": tags,
    }
    if backend == "open-source":
        OpenSourceMonitor(
            f"{name}-monitor",
            {
                **monitor_args,
                "job_image_uri": config.require("monitoringJobImage"),
                "schedule": "daily",
                "data_quality": {
                    "baseline_dataset_uri": artifacts.s3_uri(f"{name}/baseline/baseline.csv"),
                    "baseline_kms_key_arn": artifacts.key_arn,
                },
            },
        )
    else:
        ModelMonitor(
            f"{name}-monitor",
            {
                **monitor_args,
                # The job decrypts its baselines, kept in the artifacts bucket.
                "baselines_kms_key_arn": artifacts.key_arn,
                "data_quality": {
                    "baseline_constraints_uri": artifacts.s3_uri(
                        f"{name}/baseline/constraints.json"
                    ),
                    "baseline_statistics_uri": artifacts.s3_uri(f"{name}/baseline/statistics.json"),
                },
            },
        )
