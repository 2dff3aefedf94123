import pulumi
import pulumi_aws as aws

west = aws.Provider(
    "west",
    region="us-west-2",
    default_tags={"tags": {"owner": "ml", "cost-center": "42", "data-classification": "internal"}},
)
aws.sqs.Queue("jobs", opts=pulumi.ResourceOptions(provider=west))
