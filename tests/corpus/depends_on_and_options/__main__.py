import pulumi
import pulumi_aws as aws

key = aws.kms.Key(
    "data",
    enable_key_rotation=True,
    opts=pulumi.ResourceOptions(
        protect=True, custom_timeouts=pulumi.CustomTimeouts(create="5m", delete="1h")
    ),
)
bucket = aws.s3.BucketV2(
    "data",
    opts=pulumi.ResourceOptions(
        depends_on=[key],
        ignore_changes=["tags"],
        delete_before_replace=True,
        additional_secret_outputs=["bucket"],
    ),
)
