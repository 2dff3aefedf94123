"""A store built from the program's own `components` package, which wraps mlrails's, and a
bucket without encryption, so a test sees which pack judged the program."""

import pulumi
import pulumi_aws as aws

from components import TeamStore

store = TeamStore("team")
scratch = aws.s3.Bucket("scratch")
pulumi.export("bucket", store.bucket.bucket_name)
