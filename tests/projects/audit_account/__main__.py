"""The account tests/audit/account.py creates in the emulator, as a Pulumi program: the audit of
one and the preview of the other must reach the same verdicts."""

import pulumi_aws as aws

from tests.audit.account import CARD_CONTENT, IMAGE, KEY, ROLE, TAGS, TOPIC

for model in ("churn-model", "legacy-model"):
    aws.sagemaker.Model(
        model,
        name=model,
        execution_role_arn=ROLE,
        primary_container={"image": IMAGE, "model_data_url": f"s3://models/{model}.tar.gz"},
        tags={**TAGS, **({"model-card": "churn-card"} if model == "churn-model" else {})},
    )
aws.sagemaker.EndpointConfiguration(
    "churn-config",
    name="churn-config",
    kms_key_arn=KEY,
    production_variants=[
        {
            "variant_name": "main",
            "model_name": "churn-model",
            "instance_type": "ml.m5.large",
            "initial_instance_count": 2,
        }
    ],
    data_capture_config={
        "enable_capture": True,
        "initial_sampling_percentage": 100,
        "destination_s3_uri": "s3://capture/churn/",
        "kms_key_id": KEY,
        "capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}],
    },
    tags=TAGS,
)
aws.sagemaker.EndpointConfiguration(
    "legacy-config",
    name="legacy-config",
    production_variants=[
        {
            "variant_name": "main",
            "model_name": "legacy-model",
            "instance_type": "ml.m5.large",
            "initial_instance_count": 1,
        }
    ],
    tags=TAGS,
)
aws.sagemaker.Endpoint("churn", name="churn", endpoint_config_name="churn-config", tags=TAGS)
aws.sagemaker.Endpoint("legacy", name="legacy", endpoint_config_name="legacy-config", tags=TAGS)
aws.sagemaker.ModelCard(
    "churn-card",
    model_card_name="churn-card",
    content=CARD_CONTENT,
    model_card_status="Approved",
    security_config={"kms_key_id": KEY},
    tags=TAGS,
)
for metric, statistic in (("Invocation5XXErrors", "Sum"), ("ModelLatency", "Average")):
    aws.cloudwatch.MetricAlarm(
        f"churn-{metric}",
        name=f"churn-{metric}",
        namespace="AWS/SageMaker",
        metric_name=metric,
        dimensions={"EndpointName": "churn", "VariantName": "main"},
        statistic=statistic,
        period=60,
        evaluation_periods=3,
        datapoints_to_alarm=2,
        threshold=5,
        comparison_operator="GreaterThanThreshold",
        treat_missing_data="notBreaching",
        alarm_actions=[TOPIC],
        tags=TAGS,
    )
