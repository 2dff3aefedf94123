"""A credit model served with canary rollout, watched by monitors, alarms and a dashboard.

`monitoredEndpoint:monitoringBackend` picks the monitor: open-source (the default: the
monitoring job on a schedule, for drift, quality and bias) or model-monitor (SageMaker Model
Monitor's four kinds, for accounts that have it).
"""

import pulumi

from mlrails_components.monitoring import (
    AlertTopic,
    EndpointAlarms,
    EndpointDashboard,
    ModelMonitor,
    OpenSourceMonitor,
)
from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket

config = pulumi.Config()
tags = {"owner": "credit-risk", "cost-center": "cc-31", "data-classification": "confidential"}

artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": tags})
monitoring = EncryptedBucket("monitoring", {"purpose": "monitoring", "tags": tags})
alerts = AlertTopic("alerts", {"email_addresses": [config.require("oncallEmail")], "tags": tags})

endpoint = ModelEndpoint(
    "credit",
    {
        "variants": [
            {
                "name": "main",
                "framework": "xgboost",
                "framework_version": "1.7-1",
                "model_data_url": artifacts.s3_uri("credit/v12/model.tar.gz"),
                "model_data_kms_key_arn": artifacts.key_arn,
                "instance_type": "ml.m5.xlarge",
                "initial_instance_count": 2,
                # The card is created with the model: checked against the card schema,
                # encrypted with its own key, named uniquely per stack.
                "model_card": {
                    "status": "Approved",
                    "model_overview": {"model_description": "Credit default risk, v12"},
                },
            }
        ],
        "alarm_actions": [alerts.topic_arn],
        "tags": tags,
    },
)

baselines = "credit/v12/baselines"
backend = config.get("monitoringBackend") or "open-source"


def open_source_monitor() -> None:
    OpenSourceMonitor(
        "credit-monitor",
        {
            **endpoint.monitoring_args(),
            "output_s3_uri": monitoring.s3_uri("credit/reports"),
            "output_kms_key_arn": monitoring.key_arn,
            "job_image_uri": config.require("monitoringJobImage"),
            "data_quality": {
                "baseline_dataset_uri": artifacts.s3_uri(f"{baselines}/data/baseline.csv"),
                "baseline_kms_key_arn": artifacts.key_arn,
                "drift_thresholds": {"income": 0.2, "debt_ratio": 0.2},
            },
            "model_quality": {
                "problem_type": "BinaryClassification",
                "ground_truth_s3_uri": monitoring.s3_uri("credit/ground-truth/"),
                "inference_attribute": "score",
                "ground_truth_delay_hours": 24,
            },
            "model_bias": {"segments": ["employment_type"]},
            "alarm_actions": [alerts.topic_arn],
            "tags": tags,
        },
    )


def model_monitor() -> None:
    ModelMonitor(
        "credit-monitor",
        {
            **endpoint.monitoring_args(),
            "output_s3_uri": monitoring.s3_uri("credit/reports"),
            "output_kms_key_arn": monitoring.key_arn,
            # The jobs decrypt the baselines (artifacts bucket) and the ground truth (monitoring).
            "baselines_kms_key_arn": artifacts.key_arn,
            "ground_truth_kms_key_arn": monitoring.key_arn,
            "data_quality": {
                "baseline_constraints_uri": artifacts.s3_uri(f"{baselines}/data/constraints.json"),
                "baseline_statistics_uri": artifacts.s3_uri(f"{baselines}/data/statistics.json"),
                "drift_thresholds": {"income": 0.2, "debt_ratio": 0.2},
            },
            "model_quality": {
                "problem_type": "BinaryClassification",
                "ground_truth_s3_uri": monitoring.s3_uri("credit/ground-truth/"),
                "baseline_constraints_uri": artifacts.s3_uri(
                    f"{baselines}/quality/constraints.json"
                ),
                "probability_attribute": "score",
                "probability_threshold": 0.5,
            },
            "model_bias": {
                "analysis_config_uri": artifacts.s3_uri(f"{baselines}/bias/analysis_config.json"),
                "baseline_constraints_uri": artifacts.s3_uri(f"{baselines}/bias/constraints.json"),
                "ground_truth_s3_uri": monitoring.s3_uri("credit/ground-truth/"),
            },
            "model_explainability": {
                "analysis_config_uri": artifacts.s3_uri(
                    f"{baselines}/explainability/analysis_config.json"
                ),
                "baseline_constraints_uri": artifacts.s3_uri(
                    f"{baselines}/explainability/constraints.json"
                ),
            },
            "alarm_actions": [alerts.topic_arn],
            "tags": tags,
        },
    )


if backend == "open-source":
    open_source_monitor()
else:
    model_monitor()

EndpointAlarms(
    "credit-alarms",
    {**endpoint.endpoint_alarms_args(), "alarm_actions": [alerts.topic_arn], "tags": tags},
)
EndpointDashboard(
    "credit-dashboard", {**endpoint.alarm_args(), "drift_features": ["income", "debt_ratio"]}
)

pulumi.export("endpoint_name", endpoint.endpoint_name)
pulumi.export("alert_topic_arn", alerts.topic_arn)
