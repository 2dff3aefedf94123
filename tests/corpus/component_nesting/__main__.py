import pulumi
import pulumi_aws as aws


class Store(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("acme:storage:Store", name, None, opts)
        self.key = aws.kms.Key(
            f"{name}-key", enable_key_rotation=True, opts=pulumi.ResourceOptions(parent=self)
        )
        self.bucket = aws.s3.BucketV2(f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"bucket": self.bucket.bucket})


class Platform(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("acme:platform:Platform", name, None, opts)
        self.store = Store(f"{name}-store", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


platform = Platform("ml")
pulumi.export("bucket", platform.store.bucket.bucket)
