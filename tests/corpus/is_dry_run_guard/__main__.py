import pathlib

import pulumi
import pulumi_aws as aws

if not pulumi.runtime.is_dry_run():
    # Only on `pulumi up`: a preview must never get here.
    pathlib.Path("deployed.marker").write_text("up")
aws.sqs.Queue("jobs")
print("hello from the program")
