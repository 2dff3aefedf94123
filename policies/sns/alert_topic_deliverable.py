"""alert-topic-deliverable: every alarm and event rule can publish to the topic it notifies.

CloudWatch alarms publish as `cloudwatch.amazonaws.com` with `aws:SourceArn` = the alarm's ARN
(AWS re:Post knowledge center, cloudwatch-receive-sns-for-alarm-trigger); EventBridge targets
publish as `events.amazonaws.com` with the rule's ARN (EventBridge user guide,
eb-use-resource-based.html#eb-sns-permissions). Both need sns:Publish in the topic policy and,
for a topic encrypted with a customer key, kms:GenerateDataKey* and kms:Decrypt in its key
policy (SNS DG sns-key-management.html, "Enable compatibility between event sources from AWS
services and encrypted topics"). The same page: "Adding the aws:SourceAccount and
aws:SourceArn to a AWS KMS policy is not supported for EventBridge-to-encrypted topics" - the
request KMS sees carries neither key. The AWS managed key `alias/aws/sns` cannot be used: its
key policy cannot be changed to allow these services (same page). A message refused by either
policy is dropped without an error anywhere the team looks.
"""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.access import needs as access
from mlrails_policies.access.arns import parse_arn
from mlrails_policies.access.documents import Document
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.resource_types import READS, TOPIC
from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN, get, items

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
ALARM_ACTIONS = ("alarmActions", "okActions", "insufficientDataActions")

# The topic policy SNS gives a topic created without one (SNS DG, sns-access-policy-use-cases,
# "default access policy"): principals acting for the owner account may publish.
_DEFAULT_TOPIC_POLICY = {
    "Statement": [
        {
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"],
            "Resource": "${topic}",
            "Condition": {"StringEquals": {"AWS:SourceOwner": "${account}"}},
        }
    ]
}


def _topic_arns(values) -> list:
    return [v for v in values if v is UNKNOWN or (parse_arn(v) or ("", ""))[1] == "sns"]


def _sources(plan: AccessPlan):
    """(subject, holder prop, topic ARN, service, source ARN) for every publisher."""
    for alarm in plan.index.of_type(METRIC_ALARM):
        source = plan.env.arn("cloudwatch", f"alarm:{get(alarm.props, 'name')}")
        for prop in ALARM_ACTIONS:
            for arn in dict.fromkeys(_topic_arns(items(get(alarm.props, prop)))):
                yield alarm, prop, arn, "cloudwatch", source
    for target in plan.index.of_type(EVENT_TARGET):
        arn = get(target.props, "arn")
        if _topic_arns([arn]):
            rule = get(target.props, "rule")
            source = plan.env.arn("events", f"rule/{rule}") if isinstance(rule, str) else UNKNOWN
            yield target, "arn", arn, "events", source


def _topic_policy(plan: AccessPlan, topic, arn) -> Document:
    policy = plan.topic_policy(topic, arn)
    if policy is not None:
        return policy
    statement = dict(_DEFAULT_TOPIC_POLICY["Statement"][0])
    statement["Resource"] = arn
    statement["Condition"] = {"StringEquals": {"AWS:SourceOwner": plan.env.account}}
    return Document.parse({"Statement": [statement]}, f"the default policy of topic {topic.name}")


def needs(plan: AccessPlan):
    """Every access the work of this rule's resources needs, and what can't be decided."""
    for subject, prop, arn, service, source in _sources(plan):
        topic = plan.topic(subject, prop, arn)
        if topic is None:
            if arn is UNKNOWN:
                yield NotEvaluated(
                    subject.urn, "the topic it notifies can't be known during preview"
                )
            continue  # a topic of another program or account: its policies are not here
        if arn is UNKNOWN:
            # A topic's ARN is its name's (SNS API reference, CreateTopic): known when the name is.
            name = get(topic.props, "name")
            arn = plan.env.arn("sns", name) if isinstance(name, str) else UNKNOWN
        publisher = access.service_requester(plan, subject, service)
        context = {
            **access.base_context(plan),
            "aws:sourcearn": (source,),
            "aws:sourceaccount": (plan.env.account,),
        }
        if service == "cloudwatch":
            context["aws:sourceowner"] = (plan.env.account,)
        yield publisher.doing(f"notify topic {topic.name}").need(
            "sns:Publish", arn, f"topic {topic.name}", context, _topic_policy(plan, topic, arn)
        )
        reference = get(topic.props, "kmsMasterKeyId")
        if reference in (None, ""):
            continue
        if isinstance(reference, str) and reference.endswith("alias/aws/sns"):
            yield Violation(
                subject.urn,
                f"{subject.name}: topic {topic.name} is encrypted with the AWS managed key "
                f"alias/aws/sns, whose key policy cannot allow {publisher.label} to use it; messages are "
                "dropped",
            )
            continue
        key = plan.key(reference, topic, "kmsMasterKeyId")
        if key is None:
            continue
        kms_context = dict(context)
        if service == "events":
            kms_context.pop("aws:sourcearn")
            kms_context.pop("aws:sourceaccount")
        kms_context["kms:viaservice"] = (plan.env.via("sns"),)
        encrypting = publisher.doing(f"encrypt the message for topic {topic.name}")
        for action in ("kms:GenerateDataKey", "kms:Decrypt"):
            yield access.key_need(plan, encrypting, action, key, kms_context)


check = access.rule_check(needs)


RULE = Rule(
    id="alert-topic-deliverable",
    description="Every alarm action and event target topic accepts that service's publish under "
    "its topic and key policies.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Allow the publishing service (cloudwatch.amazonaws.com, events.amazonaws.com) "
    "sns:Publish in the topic policy, and kms:GenerateDataKey*/kms:Decrypt in the key policy of a "
    "customer key (without aws:SourceAccount/aws:SourceArn conditions for EventBridge); "
    "AlertTopic writes both.",
    controls=Controls(
        eu_ai_act=("Art. 14",),
        nist_ai_rmf=("MANAGE 4.1",),
        iso_42001=("A.6.2.6",),
        soc2=("CC7.2",),
    ),
    judges=(METRIC_ALARM, EVENT_TARGET),
    reads=(*READS, TOPIC),
    check=check,
    stack=True,
)
