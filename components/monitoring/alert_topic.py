"""AlertTopic: the encrypted SNS topic every alarm notifies, with its subscribers."""

from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from mlrails_components.storage.encryption_key import ServiceUse, create_key
from mlrails_components.support.aws import AwsContext, aws_context, policy_json
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems, check_types, each


class AlertTopicArgs(TypedDict):
    """Arguments of AlertTopic."""

    email_addresses: NotRequired[list[str]]
    """People notified by email (each confirms the subscription once). Default: none."""
    https_endpoints: NotRequired[list[pulumi.Input[str]]]
    """HTTPS webhooks (on-call tools) notified. Only https:// URLs. Default: none."""
    sqs_queue_arns: NotRequired[list[pulumi.Input[str]]]
    """SQS queues notified, e.g. for automation. Default: none."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the topic, its key and subscriptions."""


class AlertTopic(pulumi.ComponentResource):
    """An SNS topic encrypted with a customer key, that only this account's CloudWatch alarms and
    EventBridge rules may publish to, over TLS."""

    topic_arn: pulumi.Output[str]
    """ARN of the topic: pass it as an alarm action."""
    key_arn: pulumi.Output[str]
    """ARN of the key that encrypts the topic."""

    def __init__(
        self, name: str, args: AlertTopicArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("AlertTopic"), name, None, renamed_from("mlrails:monitoring:AlertTopic", opts)
        )
        problems = Problems("AlertTopic", name)
        check_types(AlertTopicArgs, args, problems)
        for url in each(args.get("https_endpoints", [])):
            problems.require(
                str(url).startswith("https://"),
                "https_endpoints",
                url,
                "notifications must travel over TLS",
                "use an https:// URL",
            )
        for address in args.get("email_addresses", []) if not problems.found else []:
            problems.require(
                "@" in address, "email_addresses", address, "not an email address", "fix it"
            )
        problems.raise_if_any()
        context = aws_context(self)
        tags = args.get("tags")
        self.key, _ = create_key(
            self,
            f"{name}-key",
            f"{name}-key-alias",
            f"{name}-key",
            f"Encrypts the {name} alert topic",
            publisher_key_uses(context),
            tags=tags,
        )
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            kms_master_key_id=self.key.arn,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.sns.TopicPolicy(
            f"{name}-policy",
            arn=self.topic.arn,
            policy=self.topic.arn.apply(lambda arn: topic_policy(context, arn)),
            opts=pulumi.ResourceOptions(parent=self),
        )
        subscribers: list[tuple[str, pulumi.Input[str]]] = [
            ("email", a) for a in args.get("email_addresses", [])
        ]
        subscribers += [("https", u) for u in args.get("https_endpoints", [])]
        subscribers += [("sqs", q) for q in args.get("sqs_queue_arns", [])]
        for index, (protocol, endpoint) in enumerate(subscribers):
            aws.sns.TopicSubscription(
                f"{name}-{protocol}-{index}",
                topic=self.topic.arn,
                protocol=protocol,
                endpoint=endpoint,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.topic_arn = self.topic.arn
        self.key_arn = self.key.arn
        self.register_outputs({"topic_arn": self.topic_arn, "key_arn": self.key_arn})


def publisher_key_uses(context: AwsContext) -> list[ServiceUse]:
    """What CloudWatch alarms and EventBridge rules need of the key to publish to the topic.

    A service publishing to an encrypted topic needs `kms:GenerateDataKey*` and `kms:Decrypt` on
    its key, granted to the service principal in the key policy (SNS DG, key management,
    "Enable compatibility between event sources from AWS services and encrypted topics",
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). The same page: "Adding
    the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not supported for
    EventBridge-to-encrypted topics" (quoted in awslabs/landing-zone-accelerator-on-aws#407,
    whose rules failed under that condition). So EventBridge's statement has no condition; the
    topic policy, which does support them, keeps publishing to this account's rules.
    """
    actions = ("kms:Decrypt", "kms:GenerateDataKey*")
    return [
        ServiceUse(context.service_principal("cloudwatch"), actions),
        ServiceUse(context.service_principal("events"), actions, this_account_only=False),
    ]


def topic_policy(context: AwsContext, topic_arn: str) -> str:
    # Publishing is allowed to both services for this account's alarms and rules only:
    # aws:SourceAccount in a topic policy is the documented scope for EventBridge
    # (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions)
    # and CloudWatch alarms
    # (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
    return policy_json(
        [
            {
                "Sid": "AlarmsOfThisAccountPublish",
                "Effect": "Allow",
                "Principal": {
                    "Service": [
                        context.service_principal("cloudwatch"),
                        context.service_principal("events"),
                    ]
                },
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ]
    )
