import pulumi
import pulumi_aws as aws

TAGS = {"owner": "ml", "cost-center": "42", "data-classification": "internal"}


def environment_copy(args: pulumi.InvokeTransformArgs):
    # A platform convention: shared buckets are looked up as the stack's own copy.
    if args.token == "aws:s3/getBucket:getBucket":
        bucket = f"{pulumi.get_stack()}-{args.args['bucket']}"
        return pulumi.InvokeTransformResult({**args.args, "bucket": bucket}, args.opts)
    return None


def replica(args: pulumi.InvokeTransformArgs):
    # Registered second: runs on what the first one returned.
    if args.token == "aws:s3/getBucket:getBucket":
        return pulumi.InvokeTransformResult(
            {**args.args, "bucket": args.args["bucket"] + "-replica"}, args.opts
        )
    return None


# Looked up before any transform: as written.
before = aws.s3.get_bucket(bucket="models")
pulumi.runtime.register_invoke_transform(environment_copy)
pulumi.runtime.register_invoke_transform(replica)
after = aws.s3.get_bucket(bucket="models")

for name, found in (("before", before), ("after", after)):
    aws.sqs.Queue(f"{name}-jobs", tags={**TAGS, "bucket": found.bucket})
