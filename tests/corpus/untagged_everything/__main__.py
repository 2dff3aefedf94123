import pulumi_aws as aws

aws.lambda_.Function(
    "fn",
    role="arn:aws:iam::123456789012:role/fn",
    runtime="python3.12",
    handler="index.handler",
    s3_bucket="code",
    s3_key="fn.zip",
)
aws.dynamodb.Table(
    "items", hash_key="id", attributes=[{"name": "id", "type": "S"}], billing_mode="PAY_PER_REQUEST"
)
aws.sfn.StateMachine(
    "flow",
    role_arn="arn:aws:iam::123456789012:role/sfn",
    definition='{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}',
)
aws.ec2.Vpc("net", cidr_block="10.0.0.0/16")
aws.kinesis.Stream("events", shard_count=1)
aws.s3.BucketV2("raw")
