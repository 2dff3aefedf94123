import pulumi
import pulumi_aws as aws

bucket = aws.s3.BucketV2("data")
queue = aws.sqs.Queue("jobs")
policy = pulumi.Output.json_dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": queue.arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": bucket.arn}},
            }
        ],
    }
)
aws.sqs.QueuePolicy("jobs", queue_url=queue.url, policy=policy)
pulumi.export("summary", pulumi.Output.concat("s3://", bucket.bucket, " -> ", queue.name))
pulumi.export("both", pulumi.Output.all(bucket.arn, queue.arn).apply(lambda a: " ".join(a)))
