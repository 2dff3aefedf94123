"""Registry, approved package version, model card and endpoint: what an auditor asks to see."""

import pulumi

from mlrails_components.governance import ModelRegistry
from mlrails_components.monitoring import AlertTopic
from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket

config = pulumi.Config()
tags = {"owner": "churn-team", "cost-center": "cc-12", "data-classification": "confidential"}

production_account = config.require("productionAccount")
# The production account deploys registered versions: it reads the group (ModelRegistry) and
# the model data (the artifacts bucket's and key's policies). Its own roles still need IAM grants.
artifacts = EncryptedBucket(
    "artifacts",
    {
        "purpose": "artifacts",
        "reader_account_ids": [production_account],
        "reader_prefixes": ["churn/"],
        "tags": tags,
    },
)
alerts = AlertTopic("alerts", {"email_addresses": ["churn-oncall@example.com"], "tags": tags})
registry = ModelRegistry(
    "churn",
    {
        "description": "Customer churn classifier",
        "consumer_account_ids": [production_account],
        "tags": tags,
    },
)
version = registry.register_version(
    "v7",
    {
        "image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        "model_data_url": artifacts.s3_uri("churn/v7/model.tar.gz"),
        "approval_status": "Approved",
        "description": "Retrained on Q3 data",
    },
)

card = {
    "status": config.require("cardStatus"),
    "model_overview": {
        "model_description": "Predicts which customers will cancel within 60 days.",
        "model_version": 7,
        "model_owner": "churn-team",
        "problem_type": "Binary classification",
        "algorithm_type": "Gradient boosted trees (XGBoost)",
    },
    "intended_uses": {
        "purpose_of_model": "Prioritise retention offers.",
        "intended_uses": "Batch and real-time scoring of active customers.",
        "risk_rating": "Medium",
        "explanations_for_risk_rating": "Decisions affect offers, not eligibility for service.",
    },
    "business_details": {"business_problem": "Reduce churn", "line_of_business": "Consumer"},
    "evaluation_details": [
        {
            "name": "q3-holdout",
            "evaluation_observation": "Stable across regions.",
            "metric_groups": [{"name": "holdout", "metrics": [{"name": "auc", "value": 0.91}]}],
        }
    ],
    "additional_information": {
        "ethical_considerations": "Age and gender are excluded from the features.",
        "caveats_and_recommendations": "Retrain quarterly.",
    },
}

endpoint = ModelEndpoint(
    "churn",
    {
        "variants": [
            version.variant(
                "main",
                instance_type="ml.m5.large",
                model_data_kms_key_arn=artifacts.key_arn,
                model_card=card,
            )
        ],
        "require_approved_model_packages": True,
        "alarm_actions": [alerts.topic_arn],
        "tags": tags,
    },
)
pulumi.export("endpoint_name", endpoint.endpoint_name)
pulumi.export("model_package_group", registry.group_name)
