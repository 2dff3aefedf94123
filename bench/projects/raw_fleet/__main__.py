"""N SageMaker endpoints declared with raw pulumi_aws resources: per endpoint a model, an
endpoint configuration, an endpoint and two alarms; one KMS key and one SNS topic for all.

bench/raw_fleet.py writes the same fleet as Terraform (bench/raw_fleet_terraform.py) for the
Checkov comparison: keep the two in step.
"""

import pulumi
import pulumi_aws as aws

ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310"
TAGS = {"owner": "ml-platform", "cost-center": "42", "data-classification": "internal"}

count = pulumi.Config().require_int("endpoints")
key = aws.kms.Key("fleet-key", enable_key_rotation=True, tags=TAGS)
topic = aws.sns.Topic("fleet-alerts", kms_master_key_id=key.arn, tags=TAGS)
for i in range(count):
    model = aws.sagemaker.Model(
        f"model-{i}",
        execution_role_arn=ROLE,
        enable_network_isolation=True,
        primary_container={"image": IMAGE, "model_data_url": f"s3://fleet-models/{i}/model.tar.gz"},
        tags=TAGS,
    )
    config = aws.sagemaker.EndpointConfiguration(
        f"config-{i}",
        kms_key_arn=key.arn,
        production_variants=[
            {
                "variant_name": "primary",
                "model_name": model.name,
                "initial_instance_count": 2,
                "instance_type": "ml.m5.large",
            }
        ],
        data_capture_config={
            "enable_capture": True,
            "initial_sampling_percentage": 100,
            "destination_s3_uri": f"s3://fleet-capture/{i}",
            "kms_key_id": key.arn,
            "capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}],
        },
        tags=TAGS,
    )
    endpoint = aws.sagemaker.Endpoint(f"endpoint-{i}", endpoint_config_name=config.name, tags=TAGS)
    for metric, threshold in (("Invocation5XXErrors", 1), ("ModelLatency", 500000)):
        aws.cloudwatch.MetricAlarm(
            f"endpoint-{i}-{metric.lower()}",
            namespace="AWS/SageMaker",
            metric_name=metric,
            dimensions={"EndpointName": endpoint.name, "VariantName": "primary"},
            statistic="Sum" if metric == "Invocation5XXErrors" else "Average",
            period=60,
            evaluation_periods=1,
            threshold=threshold,
            comparison_operator="GreaterThanOrEqualToThreshold",
            alarm_actions=[topic.arn],
            tags=TAGS,
        )
