"""An endpoint configuration whose key comes from another resource: unknown in a first preview."""

import pulumi_aws as aws

key = aws.kms.Key("endpoint-key", enable_key_rotation=False)
aws.sagemaker.EndpointConfiguration(
    "config",
    kms_key_arn=key.arn,
    production_variants=[
        {
            "variant_name": "primary",
            "model_name": "model-a",
            "initial_instance_count": 2,
            "instance_type": "ml.m5.large",
        }
    ],
)
