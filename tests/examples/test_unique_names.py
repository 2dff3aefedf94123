"""Every example and every platform stack deployed side by side into one account: no two of them
(and no two resources of one of them) claim the same account- or Region-scoped name.

The offline engine gives every project the same account (123456789012) and the Region of its
`aws:region` configuration (us-east-1 for the stacks and most examples), which is exactly the
situation where a fixed name fails: the second `pulumi up` gets AlreadyExists.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from mlrails.engine.run import run_program
from mlrails.project import load_project
from tests.conftest import REPO
from tests.examples.test_every_example import EXAMPLES, STACKS

# Where a name must be unique, per resource type: (input holding the name, namespace, scope).
# Scope "partition": S3 bucket names are unique across all accounts and Regions of a partition
# (S3 UG, https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
# Scope "account": IAM is a global service, role names are unique per account (IAM UG,
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html "Names of IAM
# entities"); CloudWatch dashboards have no Region in their ARN
# (arn:aws:cloudwatch::<account>:dashboard/<name>, Service Authorization Reference, Amazon
# CloudWatch resource types), so one name serves all Regions of the account.
# Scope "region": the rest. KMS: "The alias must be unique in the account and Region" (botocore
# kms CreateAlias). SageMaker: "The name must be unique within an Amazon Web Services Region in
# an Amazon Web Services account" (botocore sagemaker CreateModel, CreateEndpointConfig,
# CreateEndpoint, CreateModelCard, CreateModelPackageGroup, CreateMonitoringSchedule and the
# four Create*JobDefinition shapes); the four kinds of monitoring job definition are counted as
# one namespace, the stricter reading. SNS topics, CloudWatch alarms and EventBridge rules (on
# the default bus) are named per account and Region. Lambda: a function name is unique per
# account and Region (its ARN is arn:aws:lambda:<region>:<account>:function:<name>, botocore
# lambda CreateFunction `FunctionName`). EventBridge Scheduler: "the name of the schedule ...
# must be unique" within its schedule group, here the default one (botocore scheduler
# CreateSchedule `Name`, `GroupName`). CloudWatch Logs: "Log group names must be unique within
# a Region for an Amazon Web Services account" (botocore logs CreateLogGroup).
NAMES = {
    "aws:s3/bucket:Bucket": ("bucket", "s3 bucket", "partition"),
    "aws:iam/role:Role": ("name", "iam role", "account"),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName", "cloudwatch dashboard", "account"),
    "aws:kms/alias:Alias": ("name", "kms alias", "region"),
    "aws:sns/topic:Topic": ("name", "sns topic", "region"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", "cloudwatch alarm", "region"),
    "aws:cloudwatch/eventRule:EventRule": ("name", "eventbridge rule", "region"),
    "aws:sagemaker/model:Model": ("name", "sagemaker model", "region"),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": (
        "name",
        "sagemaker endpoint config",
        "region",
    ),
    "aws:sagemaker/endpoint:Endpoint": ("name", "sagemaker endpoint", "region"),
    "aws:sagemaker/modelCard:ModelCard": ("modelCardName", "sagemaker model card", "region"),
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": (
        "modelPackageGroupName",
        "sagemaker model package group",
        "region",
    ),
    "aws:lambda/function:Function": ("name", "lambda function", "region"),
    "aws:scheduler/schedule:Schedule": ("name", "scheduler schedule (default group)", "region"),
    "aws:cloudwatch/logGroup:LogGroup": ("name", "cloudwatch log group", "region"),
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule": (
        "name",
        "sagemaker monitoring schedule",
        "region",
    ),
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition": (
        "name",
        "sagemaker monitoring job definition",
        "region",
    ),
    **{
        f"aws-native:sagemaker:{kind}JobDefinition": (
            "jobDefinitionName",
            "sagemaker monitoring job definition",
            "region",
        )
        for kind in ("ModelQuality", "ModelBias", "ModelExplainability")
    },
}
# Types whose name, when the program leaves it out, the provider picks uniquely (pulumi-aws-native
# passes none and CloudFormation generates one; the offline engine records no name for them).
PROVIDER_NAMED = {
    f"aws-native:sagemaker:{kind}JobDefinition"
    for kind in ("ModelQuality", "ModelBias", "ModelExplainability")
}
# Name-like inputs that are not a name this resource claims: a reference to another resource,
# or a name unique only under its parent (an inline policy under its role, a scaling policy
# under its scalable target).
NOT_CLAIMED = {
    ("aws:iam/rolePolicy:RolePolicy", "name"),
    ("aws:appautoscaling/policy:Policy", "name"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "metricName"),
    ("aws:sagemaker/endpoint:Endpoint", "endpointConfigName"),
    ("aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy", "modelPackageGroupName"),
    ("aws-native:sagemaker:ModelPackage", "modelPackageGroupName"),
    *(
        (f"aws-native:sagemaker:{kind}JobDefinition", "endpointName")
        for kind in ("ModelQuality", "ModelBias", "ModelExplainability")
    ),
}
PROJECTS = [(REPO / "examples" / e, "dev") for e in EXAMPLES] + [
    (REPO / "stacks", s) for s in STACKS
]


@pytest.fixture(scope="module")
def plans():
    """(project label, region, plan) of every example and every stack."""
    runs = []
    for directory, stack in PROJECTS:
        project = load_project(directory, stack)
        runs.append((f"{directory.name}/{stack}", project.region, run_program(project)))
    return runs


def claimed_names(plans) -> dict[tuple, list[str]]:
    """(namespace, scope value, name) -> the resources (project: URN name) that claim it."""
    claims: dict[tuple, list[str]] = defaultdict(list)
    for label, region, plan in plans:
        for resource in plan.resources:
            if resource.type not in NAMES:
                continue
            field, namespace, scope = NAMES[resource.type]
            name = resource.inputs.get(field)
            if name is None and resource.type in PROVIDER_NAMED:
                continue
            assert isinstance(name, str), f"{label}: {resource.name} has no known {field}"
            where = {"partition": "aws", "account": "123456789012", "region": region}[scope]
            claims[(namespace, where, name)].append(f"{label}: {resource.name}")
    return claims


def test_every_project_of_the_repository_is_previewed(plans):
    assert len(plans) == len(EXAMPLES) + 3 >= 11
    assert {label for label, _, _ in plans} >= {"stacks/dev", "stacks/staging", "stacks/prod"}


def test_no_two_resources_claim_the_same_account_or_region_scoped_name(plans):
    claims = claimed_names(plans)
    duplicates = {key: owners for key, owners in claims.items() if len(owners) > 1}
    assert duplicates == {}
    namespaces = {namespace for namespace, _, _ in claims}
    # The names the review found duplicated (KMS aliases) and the other fixed names are counted.
    assert {
        "kms alias",
        "sagemaker model card",
        "sagemaker monitoring schedule",
        "sagemaker monitoring job definition",
        "sagemaker model package group",
        "iam role",
    } <= namespaces
    # The stacks share account and Region: the same alias from each would have collided.
    stack_aliases = [
        name
        for (namespace, region, name), owners in claims.items()
        if namespace == "kms alias" and owners[0].startswith("stacks/")
    ]
    assert any(a.startswith("alias/artifacts-key-") for a in stack_aliases)
    assert len([a for a in stack_aliases if a.startswith("alias/artifacts-key-")]) == 3


def test_every_name_like_input_is_classified(plans):
    """A new resource type with a name must be added to NAMES (or NOT_CLAIMED with a reason),
    so this check cannot silently miss it."""
    unclassified = set()
    for _, _, plan in plans:
        for resource in plan.resources:
            if not resource.custom or resource.type.startswith(("pulumi:", "kubernetes:")):
                continue  # Kubernetes names live in a cluster namespace, not an AWS account
            for field in resource.inputs:
                if field != "name" and not field.endswith("Name"):
                    continue
                claimed = NAMES.get(resource.type, (None,))[0] == field
                if not claimed and (resource.type, field) not in NOT_CLAIMED:
                    unclassified.add((resource.type, field))
    assert unclassified == set()


def test_a_duplicate_is_found(plans):
    """The check itself: the same project twice claims every name twice."""
    label, region, plan = plans[0]
    claims = claimed_names([(label, region, plan), (f"{label}-again", region, plan)])
    assert claims and all(len(owners) == 2 for owners in claims.values())
