"""required-tags: taggable AWS resources carry the organisation's required tag keys."""

import fnmatch

from pulumi_policy import EnforcementLevel, Severity

from policies.framework.rule import Controls, Rule
from policies.framework.wire import get, is_set, known, tags_of

DEFAULT_KEYS = ["owner", "cost-center", "data-classification"]

# Types that accept tags although a program may leave `tags` out entirely.
TAGGABLE = (
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:sns/topic:Topic",
    "aws:sqs/queue:Queue",
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:ecr/repository:Repository",
    "aws:sagemaker/*",
    "aws-native:sagemaker:*",
)


def _provider_default_tags(args):
    provider = args.provider
    if provider is None:
        return {}
    defaults = get(provider.props, "defaultTags", "tags")
    return defaults if isinstance(defaults, dict) else {}


def taggable(resource_type: str, input_keys) -> bool:
    if resource_type.startswith("aws:sagemaker/") and resource_type.endswith("Policy"):
        return False  # SageMaker resource policies take no tags
    return "tags" in input_keys or any(fnmatch.fnmatchcase(resource_type, p) for p in TAGGABLE)


def check(args, options):
    tags = known(tags_of(args.props), "the resource's tags")
    present = {**_provider_default_tags(args), **tags}
    missing = [
        k for k in options.get("required_tags") or DEFAULT_KEYS if not is_set(present.get(k))
    ]
    if missing:
        yield f"missing required tag(s): {', '.join(missing)}"


RULE = Rule(
    id="required-tags",
    description="Taggable AWS resources carry the configured tag keys (default: owner, "
    "cost-center, data-classification).",
    severity=Severity.LOW,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Pass the tags to the component (they are merged into every child) or set "
    "default_tags on the AWS provider.",
    controls=Controls(nist_ai_rmf=("GOVERN 1.4", "MAP 4.1"), iso_42001=("A.4.2",), soc2=("CC6.1",)),
    judges=("aws:*", "aws-native:*"),
    subject=taggable,
    check=check,
    options={
        "required_tags": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_KEYS,
            "description": "Tag keys every taggable resource must carry.",
        }
    },
)
