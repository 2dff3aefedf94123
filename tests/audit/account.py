"""A small ML account, created twice: through the AWS APIs (for the audit) and as a Pulumi
program of raw pulumi_aws resources (for the preview), with the same names and settings.

`churn` is compliant; `legacy` breaks the rules an auditor cares about: no customer keys, no
data capture, one instance, no alarms, no model card.
"""

from __future__ import annotations

import json

IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
TOPIC = "arn:aws:sns:us-east-1:123456789012:ml-alerts"
TAGS = {"owner": "ml-team", "cost-center": "cc-1", "data-classification": "internal"}
CARD_CONTENT = json.dumps(
    {"model_overview": {"model_name": "churn-model"}, "intended_uses": {"risk_rating": "Low"}}
)


def create(aws) -> None:
    """The account through the SageMaker and CloudWatch APIs."""
    sagemaker = aws("sagemaker")
    tags = [{"Key": k, "Value": v} for k, v in TAGS.items()]
    for model in ("churn-model", "legacy-model"):
        sagemaker.create_model(
            ModelName=model,
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": IMAGE, "ModelDataUrl": f"s3://models/{model}.tar.gz"},
            Tags=tags
            + ([{"Key": "model-card", "Value": "churn-card"}] if model == "churn-model" else []),
        )
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn-config",
        KmsKeyId=KEY,
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "churn-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 2,
            }
        ],
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 100,
            "DestinationS3Uri": "s3://capture/churn/",
            "KmsKeyId": KEY,
            "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        },
        Tags=tags,
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="legacy-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "legacy-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        Tags=tags,
    )
    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-config", Tags=tags)
    sagemaker.create_endpoint(EndpointName="legacy", EndpointConfigName="legacy-config", Tags=tags)
    sagemaker.create_model_card(
        ModelCardName="churn-card",
        Content=CARD_CONTENT,
        ModelCardStatus="Approved",
        SecurityConfig={"KmsKeyId": KEY},
        Tags=tags,
    )
    cloudwatch = aws("cloudwatch")
    for metric, statistic in (("Invocation5XXErrors", "Sum"), ("ModelLatency", "Average")):
        cloudwatch.put_metric_alarm(
            AlarmName=f"churn-{metric}",
            Namespace="AWS/SageMaker",
            MetricName=metric,
            Dimensions=[
                {"Name": "EndpointName", "Value": "churn"},
                {"Name": "VariantName", "Value": "main"},
            ],
            Statistic=statistic,
            Period=60,
            EvaluationPeriods=3,
            DatapointsToAlarm=2,
            Threshold=5,
            ComparisonOperator="GreaterThanThreshold",
            TreatMissingData="notBreaching",
            AlarmActions=[TOPIC],
            Tags=tags,
        )
