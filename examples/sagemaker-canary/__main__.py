"""A fraud model behind an endpoint with two variants, rolled out by canary with rollback."""

import json

import pulumi
import pulumi_aws as aws

from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket

config = pulumi.Config()
tags = {
    "owner": config.require("owner"),
    "cost-center": config.require("costCenter"),
    "data-classification": "confidential",
}

artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": tags})
alerts = pulumi.Output.format("arn:aws:sns:us-east-1:{0}:fraud-alerts", "123456789012")

for version in ("v41", "v42"):
    aws.sagemaker.ModelCard(
        f"fraud-{version}-card",
        model_card_name=f"fraud-{version}",
        model_card_status="Draft",
        content=json.dumps({"model_overview": {"model_description": f"Fraud scoring {version}"}}),
        security_config={"kms_key_id": artifacts.key_arn},
        tags=tags,
    )

endpoint = ModelEndpoint(
    "fraud",
    {
        "variants": [
            {
                "name": "current",
                "framework": "xgboost",
                "framework_version": "1.7-1",
                "model_data_url": artifacts.s3_uri("models/fraud/v41/model.tar.gz"),
                "model_data_kms_key_arn": artifacts.key_arn,
                "instance_type": "ml.m5.large",
                "initial_instance_count": 2,
                "initial_variant_weight": 0.9,
                "autoscaling": {
                    "min_instances": 2,
                    "max_instances": 6,
                    "target_invocations_per_instance": 400,
                    # Each rollout starts this variant at initial_instance_count again.
                    "accept_capacity_drop_during_rollout": True,
                },
                "model_card": {"card_name": "fraud-v41"},
            },
            {
                "name": "challenger",
                "framework": "xgboost",
                "framework_version": "1.7-1",
                "model_data_url": artifacts.s3_uri("models/fraud/v42/model.tar.gz"),
                "model_data_kms_key_arn": artifacts.key_arn,
                "instance_type": "ml.m5.large",
                "initial_instance_count": 2,
                "initial_variant_weight": 0.1,
                "model_card": {"card_name": "fraud-v42"},
            },
        ],
        "deployment": {"strategy": "canary", "canary_percent": 10, "bake_minutes": 10},
        "rollback_alarms": {"error_rate_percent": 1, "latency_p99_ms": 250},
        "alarm_actions": [alerts],
        "tags": tags,
    },
)

pulumi.export("endpoint_name", endpoint.endpoint_name)
pulumi.export("rollback_alarms", endpoint.rollback_alarm_names)
