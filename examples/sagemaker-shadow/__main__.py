"""A candidate model shadows production on 20% of requests; its answers are captured, not served."""

import json

import pulumi
import pulumi_aws as aws

from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket

tags = {"owner": "recsys", "cost-center": "cc-7", "data-classification": "internal"}
artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": tags})

for version in ("v7", "v8"):
    aws.sagemaker.ModelCard(
        f"ranker-{version}-card",
        model_card_name=f"ranker-{version}",
        model_card_status="PendingReview",
        content=json.dumps({"model_overview": {"model_description": f"Ranking model {version}"}}),
        security_config={"kms_key_id": artifacts.key_arn},
        tags=tags,
    )

endpoint = ModelEndpoint(
    "ranker",
    {
        "variants": [
            {
                "name": "production",
                "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ranker:7.3.0",
                # Uncompressed model files under a prefix, served as they are.
                "model_data_prefix": artifacts.s3_uri("ranker/v7/"),
                "model_data_kms_key_arn": artifacts.key_arn,
                "instance_type": "ml.c5.xlarge",
                "initial_instance_count": 3,
                "model_card": {"card_name": "ranker-v7"},
            }
        ],
        "shadow_variant": {
            "name": "candidate",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ranker:8.0.0",
            "model_data_prefix": artifacts.s3_uri("ranker/v8/"),
            "model_data_kms_key_arn": artifacts.key_arn,
            "instance_type": "ml.c5.xlarge",
            "initial_instance_count": 2,
            "model_card": {"card_name": "ranker-v8"},
        },
        "shadow_sampling_percent": 20,
        "deployment": {"strategy": "linear", "linear_step_percent": 25, "bake_minutes": 5},
        "alarm_actions": ["arn:aws:sns:eu-west-1:123456789012:ranker-alerts"],
        "tags": tags,
    },
)
pulumi.export("endpoint_name", endpoint.endpoint_name)
