"""N endpoints built with ModelEndpoint, each with its defaults (key, capture bucket, role, alarms)."""

import pulumi

from components.sagemaker import ModelEndpoint

count = pulumi.Config().require_int("endpoints")
tags = {"owner": "bench", "cost-center": "cc-0", "data-classification": "internal"}
for i in range(count):
    ModelEndpoint(
        f"model-{i}",
        {
            "variants": [
                {
                    "name": "main",
                    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.0.0",
                    "model_data_url": f"s3://acme-models/model-{i}/model.tar.gz",
                    "instance_type": "ml.m5.large",
                }
            ],
            "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:alerts"],
            "tags": tags,
        },
    )
