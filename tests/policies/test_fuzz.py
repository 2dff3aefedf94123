"""No rule raises on any wire-format input: random props of every judged type, links and unknowns."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE

from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.pack import load_pack
from mlrails_policies import RULES
from tests.conftest import REPO
from tests.policies import test_kubernetes_rules as kubernetes
from tests.policies import test_sagemaker_rules as sagemaker
from tests.policies import test_storage_and_access_rules as storage
from tests.policies.conftest import R, plan_of

# Thousands of generated cases: `make check` runs them, the fast loop `make test` does not.
pytestmark = pytest.mark.slow

SECRET_KEY, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"

# Every property name the rules read, so random values land where rules look.
KEYS = sorted(
    {
        "productionVariants",
        "shadowProductionVariants",
        "kmsKeyArn",
        "dataCaptureConfig",
        "enableCapture",
        "kmsKeyId",
        "instanceType",
        "initialInstanceCount",
        "serverlessConfig",
        "variantName",
        "enableNetworkIsolation",
        "vpcConfig",
        "subnets",
        "securityGroupIds",
        "primaryContainer",
        "containers",
        "image",
        "modelPackageName",
        "deploymentConfig",
        "blueGreenUpdatePolicy",
        "rollingUpdatePolicy",
        "autoRollbackConfiguration",
        "alarms",
        "metricName",
        "metricQueries",
        "metric",
        "dimensions",
        "EndpointName",
        "alarmActions",
        "endpointConfigName",
        "name",
        "bucket",
        "rules",
        "applyServerSideEncryptionByDefault",
        "sseAlgorithm",
        "kmsMasterKeyId",
        "serverSideEncryptionConfiguration",
        "rule",
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
        "policy",
        "versioningConfiguration",
        "status",
        "versioning",
        "enabled",
        "customerMasterKeySpec",
        "keySpec",
        "enableKeyRotation",
        "inlinePolicies",
        "managedPolicyArns",
        "policyArn",
        "tags",
        "key",
        "value",
        "spec",
        "template",
        "jobTemplate",
        "initContainers",
        "resources",
        "requests",
        "limits",
        "cpu",
        "memory",
        "securityContext",
        "runAsNonRoot",
        "allowPrivilegeEscalation",
        "privileged",
        "storageUri",
        "predictor",
        "model",
        "canaryTrafficPercent",
        "metadata",
        "groups",
        "expr",
        "alert",
        "labels",
        "modelCardName",
        "modelCardStatus",
        "content",
        "securityConfig",
        "endpointName",
        "monitoringScheduleConfig",
        "monitoringJobDefinitionName",
        "monitoringJobDefinition",
        "monitoringInputs",
        "endpointInput",
        "dataQualityJobInput",
        "dataQualityJobOutputConfig",
        "modelQualityJobOutputConfig",
        "jobResources",
        "clusterConfig",
        "volumeKmsKeyId",
        "networkConfig",
        "enableInterContainerTrafficEncryption",
        "defaultTags",
        "model_overview",
        "model_name",
    }
)
WORDS = [
    "*",
    "s3:*",
    "aws:kms",
    "AES256",
    "Enabled",
    "Allow",
    "Deny",
    "false",
    "true",
    "latest",
    "ml.m5.large",
    "Draft",
    "Approved",
    "RSA_2048",
    "SYMMETRIC_DEFAULT",
    "ModelLatency",
    "Invocation5XXErrors",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "fraud",
    "a:b/c:latest",
]
UNKNOWNS = [UNKNOWN_STRING_VALUE, UNKNOWN_NUMBER_VALUE, UNKNOWN_BOOLEAN_VALUE]

leaves = (
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(WORDS + UNKNOWNS)
)
values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=5)
        | children.map(lambda v: {SECRET_KEY: SECRET_SIG, "value": v})
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=4).map(json.dumps)
    ),
    max_leaves=25,
)
CONCRETE_TYPES = sorted(
    {t.replace("*", "X") for rule in RULES for t in rule.judges}
    | {
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:sagemaker/modelCard:ModelCard",
        "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    }
)
resources = st.lists(
    st.tuples(
        st.sampled_from(CONCRETE_TYPES), st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
    ),
    min_size=1,
    max_size=4,
)


def judge_all(records: list[R]) -> None:
    pack = load_pack(REPO / "policies")
    # A rule that raised would surface as a UserError naming it; unknowns become findings.
    evaluate(plan_of(records), [pack], resolve_settings([pack], {}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    resources=resources,
    links=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from(KEYS))),
)
def test_no_rule_raises_on_random_wire_props(resources, links):
    records = [R(type_, f"r{i}", props) for i, (type_, props) in enumerate(resources)]
    for source, target, prop in links:
        if source < len(records) and target < len(records) and source != target:
            records[source].deps.setdefault(prop, []).append(records[target].urn)
    judge_all(records)


def baselines() -> list[R]:
    """The compliant resources of the rule tests: realistic shapes to mutate."""
    return [
        sagemaker.config(),
        sagemaker.endpoint(),
        sagemaker.model(),
        sagemaker.card(),
        sagemaker.dq_job(),
        sagemaker.schedule(),
        *sagemaker.alarms(),
        *storage.store(),
        storage.key(),
        R(
            "aws:iam/role:Role",
            "role",
            {
                "inlinePolicies": [
                    {"name": "p", "policy": json.dumps({"Statement": [storage.READ_MODEL]})}
                ],
                "managedPolicyArns": ["arn:aws:iam::1:policy/x"],
            },
        ),
        kubernetes.deployment(),
        kubernetes.inference_service(canary=10.0),
        kubernetes.alert_rule(),
    ]


def _at(value, path):
    for key in path:
        value = value[key]
    return value


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


def assign(value, path, new):
    """A copy of `value` with `new` at `path`; a missing intermediate raises KeyError."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and (head in value or not rest):
        copy_ = dict(value)
    elif isinstance(value, list) and isinstance(head, int) and head < len(value):
        copy_ = list(value)
    else:
        raise KeyError(head)
    copy_[head] = assign(value[head], rest, new) if rest else new
    return copy_


BASELINES = baselines()
PATHS = [[p for p in paths(r.inputs) if p] for r in BASELINES]
MAPPINGS = [[p for p in paths(r.inputs) if isinstance(_at(r.inputs, p), dict)] for r in BASELINES]


@st.composite
def mutation(draw):
    """Replace the value at a path of one baseline, or add a key a rule reads to one of its mappings."""
    index = draw(st.integers(0, len(BASELINES) - 1))
    if draw(st.booleans()):
        path = draw(st.sampled_from(PATHS[index]))
    else:
        path = (*draw(st.sampled_from(MAPPINGS[index])), draw(st.sampled_from(KEYS)))
    return index, path, draw(values)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(mutation(), min_size=1, max_size=4))
def test_no_rule_raises_on_mutated_compliant_resources(mutations):
    inputs = [r.inputs for r in BASELINES]
    for index, path, value in mutations:
        try:
            inputs[index] = assign(inputs[index], path, value)
        except KeyError:
            continue  # an earlier mutation reshaped this path
    judge_all([R(r.type, r.name, i, r.deps) for r, i in zip(BASELINES, inputs, strict=True)])
