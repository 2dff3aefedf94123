import pulumi
import pulumi_aws as aws

REQUIRED = {"owner": "ml", "cost-center": "42", "data-classification": "internal"}


def applied(tags: dict, label: str) -> str:
    """The transforms that ran on a resource, in order, as the engine ran them."""
    return ",".join(filter(None, [(tags or {}).get("transforms"), label]))


def organisation_tags(args: pulumi.ResourceTransformArgs):
    # Run by the engine for every resource registered after this point.
    if args.type_.startswith("aws:") and "tags" in args.props:
        tags = {**REQUIRED, **(args.props.get("tags") or {})}
        tags["transforms"] = applied(args.props.get("tags"), "stack")
        return pulumi.ResourceTransformResult({**args.props, "tags": tags}, args.opts)
    return None


def team_tags(args: pulumi.ResourceTransformArgs):
    # A resource's own transform: applies to it and to its children, before the stack's.
    tags = {**REQUIRED, "team": "data", "transforms": applied(args.props.get("tags"), args.name)}
    props = {**args.props, "tags": tags}
    opts = pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(ignore_changes=["tags"]))
    return pulumi.ResourceTransformResult(props, opts)


# Registered before the stack transform: judged as declared.
aws.sqs.Queue("early", tags={"team": "ml"})
pulumi.runtime.register_resource_transform(organisation_tags)
aws.sqs.Queue("jobs", tags={"team": "ml"})
aws.sns.Topic(
    "alerts",
    kms_master_key_id="alias/aws/sns",
    opts=pulumi.ResourceOptions(transforms=[team_tags]),
)


class Platform(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("acme:platform:Platform", name, None, opts)
        # No tags of its own: its parent's transform gives them.
        aws.sqs.Queue(f"{name}-work", opts=pulumi.ResourceOptions(parent=self))


Platform("ml", opts=pulumi.ResourceOptions(transforms=[team_tags]))
