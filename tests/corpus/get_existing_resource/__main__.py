import pulumi
import pulumi_aws as aws

legacy = aws.s3.BucketV2.get("legacy", "legacy-data-bucket")
aws.s3.BucketPolicy(
    "legacy",
    bucket=legacy.id,
    policy=legacy.arn.apply(
        lambda arn: (
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", '
            f'"Action": "s3:*", "Resource": "{arn}/*", '
            '"Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}'
        )
    ),
)
pulumi.export("region", legacy.region)
