"""SNS topics, as aws.sns.Topic inputs (GetTopicAttributes answers with strings only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlrails.audit.scan import Listed, Reader, Scan
from mlrails.audit.wire import record

SERVICE = "sns"
TOPIC = "aws:sns/topic:Topic"

# Topic attributes that are configuration, by provider input; the rest (Owner, subscription
# counts, EffectiveDeliveryPolicy) describe the topic's state.
_TEXT = {
    "DisplayName": "displayName",
    "KmsMasterKeyId": "kmsMasterKeyId",
    "Policy": "policy",
    "DeliveryPolicy": "deliveryPolicy",
    "SignatureVersion": "signatureVersion",
    "TracingConfig": "tracingConfig",
}
_FLAGS = {"FifoTopic": "fifoTopic", "ContentBasedDeduplication": "contentBasedDeduplication"}


def topic_inputs(name: str, attributes: dict[str, str]) -> dict[str, Any]:
    # An attribute AWS answers as "" is one the topic does not set: absent, as in a program.
    inputs: dict[str, Any] = {"name": name}
    for attribute, key in _TEXT.items():
        if attributes.get(attribute):
            inputs[key] = attributes[attribute]
    for attribute, key in _FLAGS.items():
        if attributes.get(attribute):
            inputs[key] = attributes[attribute].lower() == "true"
    return inputs


class Topics:
    types = (TOPIC,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        for topic in scan.pages(SERVICE, "ListTopics", "Topics", types=self.types):
            arn = topic["TopicArn"]
            yield Listed(arn, TOPIC, arn.rsplit(":", 1)[-1])

    def read(self, scan: Scan, item: Listed) -> None:
        found = scan.call(SERVICE, "GetTopicAttributes", about=item.arn, TopicArn=item.arn) or {}
        inputs = topic_inputs(item.name, found.get("Attributes", {}))
        inputs["tags"] = scan.tags(SERVICE, "ListTagsForResource", item.arn, ResourceArn=item.arn)
        scan.add(record(item.arn, TOPIC, item.name, inputs))


READERS: list[Reader] = [Topics()]
