"""What SageMaker refuses or excludes (review items W10, W11, W12, K4, K5), checked by
ModelEndpoint's validation in plain Python, and the instance facts snapshot (K3, K4)."""

from __future__ import annotations

import pytest

from mlrails_components.sagemaker import instance_facts
from mlrails_components.sagemaker.exclusions import advisories
from mlrails_components.sagemaker.validation import validate
from mlrails_components.support.validation import Problems

KEY = "arn:aws:kms:us-east-1:123456789012:key/models"
INSTANCES = {
    "name": "main",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:4.1.0",
    "model_data_url": "s3://acme/fraud/v41/model.tar.gz",
    "model_data_kms_key_arn": KEY,
    "instance_type": "ml.m5.large",
}
SERVERLESS = {
    "name": "main",
    "image": INSTANCES["image"],
    "model_data_url": INSTANCES["model_data_url"],
    "model_data_kms_key_arn": KEY,
    "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
}


def problems_of(args) -> list[str]:
    problems = Problems("ModelEndpoint", "fraud")
    validate("fraud", args, "fraud-0123456", problems)
    return problems.found


def test_the_baseline_endpoints_are_accepted():
    assert problems_of({"variants": [INSTANCES]}) == []
    assert problems_of({"variants": [SERVERLESS]}) == []


def test_two_serverless_variants_are_refused():
    """DG serverless-endpoints.md, exclusions: "multiple production variants" are not supported
    (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html)."""
    found = problems_of({"variants": [SERVERLESS, {**SERVERLESS, "name": "second"}]})
    assert found == [
        "`variants` is '2 serverless variants': Serverless Inference does not support multiple "
        "production variants "
        "(https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html); keep one "
        "serverless variant, or serve on instances"
    ]


def test_rolling_update_of_a_multi_variant_endpoint_is_refused():
    """DG deployment-guardrails-exclusions.md: rolling deployments exclude "Multi-variant
    inference endpoints"."""
    found = problems_of(
        {
            "variants": [INSTANCES, {**INSTANCES, "name": "challenger"}],
            "deployment": {"strategy": "rolling", "maximum_execution_timeout_minutes": 120},
        }
    )
    assert len(found) == 1
    assert found[0].startswith(
        "`deployment.strategy` is 'rolling on 2 variants': SageMaker excludes multi-variant "
        "endpoints from rolling deployments"
    )


@pytest.mark.parametrize(
    ("deployment", "minutes"),
    [
        pytest.param(
            {"strategy": "linear", "linear_step_percent": 10, "bake_minutes": 10}, 105, id="linear"
        ),
        pytest.param({"strategy": "canary", "bake_minutes": 30}, 65, id="canary"),
        pytest.param(
            {"strategy": "rolling", "rolling_batch_percent": 5, "bake_minutes": 5},
            100,
            id="rolling",
        ),
    ],
)
def test_total_wait_beyond_the_execution_timeout_is_refused(deployment, minutes):
    """botocore BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds: "should be larger than
    the total waiting time specified in TerminationWaitInSeconds and WaitIntervalInSeconds"."""
    found = problems_of({"variants": [INSTANCES], "deployment": deployment})
    assert len(found) == 1
    assert found[0].startswith("`deployment.maximum_execution_timeout_minutes` is 60: the ")
    assert f"waits at least {minutes} minutes" in found[0]
    raised = {**deployment, "maximum_execution_timeout_minutes": minutes + 1}
    assert problems_of({"variants": [INSTANCES], "deployment": raised}) == []


def test_serverless_models_leave_network_isolation_unset_and_the_rule_accepts_them(program):
    """DG serverless-endpoints.md lists network isolation as unsupported for serverless."""
    from mlrails_components.sagemaker import ModelEndpoint
    from tests.components.conftest import TAGS, judge, resource, unsettled

    plan = program(lambda: ModelEndpoint("fraud", {"variants": [SERVERLESS], "tags": TAGS}))
    assert "enableNetworkIsolation" not in resource(plan, "fraud-main-model").inputs
    assert unsettled(judge(plan), "sagemaker-model-network-isolation") == []


@pytest.mark.parametrize(
    ("variant", "strategy", "expected"),
    [
        pytest.param(
            {**INSTANCES, "instance_type": "ml.g5.xlarge"},
            "canary",
            [
                "variant main: ml.g5.xlarge has local instance storage, which the volume key "
                "does not encrypt (the instance's hardware module does)"
            ],
            id="local-nvme",
        ),
        pytest.param(
            {**INSTANCES, "instance_type": "ml.inf1.xlarge"},
            "linear",
            [
                "variant main: SageMaker deploys ml.inf1.xlarge all at once without a final "
                "bake, not linear "
                "(https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html)"
            ],
            id="inf1-falls-back",
        ),
        pytest.param(INSTANCES, "canary", [], id="ebs-only"),
        pytest.param(
            {**INSTANCES, "instance_type": "ml.inf1.xlarge"}, "all_at_once", [], id="inf1-at-once"
        ),
    ],
)
def test_weaker_than_claimed_settings_are_advised(variant, strategy, expected):
    """botocore CreateEndpointConfigInput.KmsKeyId: on Nitro instances with local storage "the
    KmsKeyId parameter does not encrypt instance local storage" (K4); DG
    deployment-guardrails-exclusions.md: Inf1 falls back to all at once (K5)."""
    assert advisories({"variants": [variant], "deployment": {"strategy": strategy}}) == expected


def test_advisories_reach_the_preview_as_warnings(program):
    from mlrails_components.sagemaker import ModelEndpoint
    from tests.components.conftest import TAGS

    variant = {**INSTANCES, "instance_type": "ml.g5.xlarge"}
    plan = program(lambda: ModelEndpoint("fraud", {"variants": [variant], "tags": TAGS}))
    assert any(
        w.startswith("ModelEndpoint 'fraud': variant main: ml.g5.xlarge has local instance storage")
        for w in plan.warnings
    )


def test_instance_facts_snapshot_matches_the_installed_ec2_table():
    """EC2 DescribeInstanceTypes (VCpuInfo.DefaultVCpus, InstanceStorageSupported) as recorded
    by moto's ec2/resources/instance_types.json."""
    assert instance_facts.snapshot() == instance_facts.extract(), (
        "components/sagemaker/instance_facts.json is stale: run "
        "`python -m mlrails_components.sagemaker.instance_facts`"
    )


@pytest.mark.parametrize(
    ("instance_type", "vcpus", "local"),
    [
        pytest.param("ml.m5.xlarge", 4, False, id="m5-xlarge"),
        pytest.param("ml.g5.xlarge", 4, True, id="g5-xlarge"),
        pytest.param("ml.c5d.large", 2, True, id="c5d-large"),
        pytest.param("ml.p3.2xlarge", None, None, id="unknown-to-ec2-table"),
    ],
)
def test_instance_facts(instance_type, vcpus, local):
    assert instance_facts.vcpus(instance_type) == vcpus
    assert instance_facts.has_local_storage(instance_type) is local
