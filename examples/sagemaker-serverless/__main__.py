"""A small scikit-learn model on serverless capacity: no instances, no idle cost."""

import json

import pulumi
import pulumi_aws as aws

from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket

tags = {"owner": "pricing", "cost-center": "cc-9", "data-classification": "internal"}
artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": tags})
aws.sagemaker.ModelCard(
    "pricing-card",
    model_card_name="pricing-v3",
    model_card_status="Approved",
    content=json.dumps({"model_overview": {"model_description": "Price elasticity, v3"}}),
    security_config={"kms_key_id": artifacts.key_arn},
    tags=tags,
)

endpoint = ModelEndpoint(
    "pricing",
    {
        "variants": [
            {
                "name": "main",
                "framework": "sklearn",
                "framework_version": "1.2-1",
                "python_version": "py3",
                "model_data_url": artifacts.s3_uri("pricing/v3/model.tar.gz"),
                "model_data_kms_key_arn": artifacts.key_arn,
                "serverless": {
                    "memory_size_mb": 2048,
                    "max_concurrency": 10,
                    "provisioned_concurrency": 1,
                },
                "model_card": {"card_name": "pricing-v3"},
            }
        ],
        "rollback_alarms": {"latency_p99_ms": 400},
        "alarm_actions": ["arn:aws:sns:us-west-2:123456789012:pricing-alerts"],
        "tags": tags,
    },
)
pulumi.export("endpoint_name", endpoint.endpoint_name)
