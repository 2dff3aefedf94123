import pulumi
import pulumi_aws as aws

opts = pulumi.ResourceOptions
aws.sqs.Queue("plain")
aws.sqs.Queue("protected", opts=opts(protect=True))
aws.sqs.Queue("ignore", opts=opts(ignore_changes=["tags", "delaySeconds"]))
aws.sqs.Queue("dbr-true", opts=opts(delete_before_replace=True))
aws.sqs.Queue("dbr-false", opts=opts(delete_before_replace=False))
aws.sqs.Queue("aliased", opts=opts(aliases=[pulumi.Alias(name="old-name")]))
aws.sqs.Queue(
    "timeouts",
    opts=opts(custom_timeouts=pulumi.CustomTimeouts(create="1m", update="2m", delete="3m")),
)
aws.sqs.Queue("secrets", opts=opts(additional_secret_outputs=["url"]))
west = aws.Provider("west", region="us-west-2")
aws.sqs.Queue("explicit", opts=opts(provider=west))
