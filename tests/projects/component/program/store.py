import pulumi
import pulumi_aws as aws


class Store(pulumi.ComponentResource):
    """A component with two children, to check parents and URNs."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tests:index:Store", name, None, opts)
        self.key = aws.kms.Key(
            f"{name}-key", enable_key_rotation=True, opts=pulumi.ResourceOptions(parent=self)
        )
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self, depends_on=[self.key])
        )
        self.register_outputs({"bucket": self.bucket.bucket})
