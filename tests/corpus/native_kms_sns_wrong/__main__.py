import pulumi
import pulumi_aws as aws
import pulumi_aws_native as native

key = native.kms.Key(
    "topics",
    enable_key_rotation=True,
    key_policy={
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    },
    tags=[
        {"key": "owner", "value": "ml"},
        {"key": "cost-center", "value": "42"},
        {"key": "data-classification", "value": "internal"},
    ],
)
# The key is created but the topic does not use it.
topic = aws.sns.Topic(
    "alerts", tags={"owner": "ml", "cost-center": "42", "data-classification": "internal"}
)
pulumi.export("topic", topic.arn)
