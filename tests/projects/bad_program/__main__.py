import pulumi_aws as aws

aws.s3.Bucket("fine")
instance_count = int("two")
