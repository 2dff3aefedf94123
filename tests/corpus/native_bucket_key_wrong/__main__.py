import pulumi_aws as aws
import pulumi_aws_native as native

key = native.kms.Key(
    "data",
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
)
bucket = aws.s3.BucketV2("data")
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "data",
    bucket=bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)
