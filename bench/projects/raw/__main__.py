"""N raw resources in groups of four: a key, a bucket, its encryption and its versioning."""

import pulumi
import pulumi_aws as aws

count = pulumi.Config().require_int("resources")
for i in range(count // 4):
    key = aws.kms.Key(
        f"key-{i}", enable_key_rotation=True, tags={"owner": "bench", "index": str(i)}
    )
    bucket = aws.s3.Bucket(f"bucket-{i}", tags={"owner": "bench"})
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"encryption-{i}",
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": key.arn,
                },
                "bucket_key_enabled": True,
            }
        ],
    )
    aws.s3.BucketVersioning(
        f"versioning-{i}", bucket=bucket.id, versioning_configuration={"status": "Enabled"}
    )
