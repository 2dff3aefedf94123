import pulumi
import pulumi_aws as aws

aws.s3.BucketV2("artifacts", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="models")]))
