import pulumi_aws as aws

aws.sqs.Queue("jobs")
aws.dynamodb.Table(
    "items", hash_key="id", attributes=[{"name": "id", "type": "S"}], billing_mode="PAY_PER_REQUEST"
)
