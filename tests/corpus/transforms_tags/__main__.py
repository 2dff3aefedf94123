import pulumi
import pulumi_aws as aws

REQUIRED = {"owner": "ml", "cost-center": "42", "data-classification": "internal"}


def add_tags(args: pulumi.ResourceTransformationArgs):
    # Every AWS resource that takes tags gets the organisation's tags.
    if args.type_.startswith("aws:") and "tags" in args.props:
        props = {**args.props, "tags": {**REQUIRED, **(args.props.get("tags") or {})}}
        return pulumi.ResourceTransformationResult(props, args.opts)
    return None


pulumi.runtime.register_stack_transformation(add_tags)
aws.sqs.Queue("jobs", tags={"team": "ml"})
