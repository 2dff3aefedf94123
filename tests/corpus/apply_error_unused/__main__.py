import pulumi
import pulumi_aws as aws

buckets = [aws.s3.Bucket(f"logs-{i}") for i in range(12)]


def require_versioned(bucket_id):
    # A guard run for its side effect: nothing consumes its result, only the SDK's final wait
    # for outstanding outputs sees it fail.
    if bucket_id.startswith("logs-7-"):
        raise ValueError(f"{bucket_id} must be versioned")
    pulumi.log.info(f"{bucket_id} checked")


for bucket in buckets:
    bucket.bucket.apply(require_versioned)
