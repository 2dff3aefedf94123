import pulumi
import pulumi_aws as aws


def no_op(args: pulumi.ResourceTransformArgs):
    return None


# Run by the engine through callbacks; offline it is reported as not applied.
pulumi.runtime.register_resource_transform(no_op)
aws.sqs.Queue("jobs")
