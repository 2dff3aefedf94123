import pulumi
import pulumi_aws as aws


class Keys(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("tests:index:Keys", name, None, opts)
        aws.kms.Key(f"{name}-key", opts=pulumi.ResourceOptions(parent=self))
        # Made in a callback: no frame of the project is on the stack any more.
        pulumi.Output.from_input(name).apply(
            lambda n: aws.kms.Key(f"{n}-later", opts=pulumi.ResourceOptions(parent=self))
        )
        self.register_outputs({})


def key_later(name):
    return pulumi.Output.from_input(name).apply(lambda n: aws.kms.Key(n))
