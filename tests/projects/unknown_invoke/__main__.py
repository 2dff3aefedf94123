import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
aws.s3.Bucket("logs", tags={"vpc": vpc.id})
