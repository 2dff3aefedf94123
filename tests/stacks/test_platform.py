"""stacks/: the reference platform for dev, staging and prod, offline in both engine modes."""

from __future__ import annotations

import functools
import json

import pytest
import yaml

from mlrails.engine.run import run_program
from mlrails.project import load_project
from tests.conftest import REPO, packages_imported_by

STACKS = REPO / "stacks"


@functools.cache
def plan(stack: str):
    return run_program(load_project(STACKS, stack), "resolved")


def of_type(stack: str, type_: str):
    return [r for r in plan(stack).resources if r.type == type_]


def one(stack: str, type_: str, name: str):
    [record] = [r for r in of_type(stack, type_) if r.name == name]
    return record.inputs


@pytest.mark.slow  # a fresh interpreter runs the platform: `make check`
def test_a_platform_without_kserve_does_not_load_the_kubernetes_provider():
    """pulumi-kubernetes and the manifest schemas cost ~0.3 s of every preview."""
    assert packages_imported_by(STACKS, "prod", ("pulumi_kubernetes", "kubernetes_validate")) == []


@pytest.mark.parametrize("mode", ["resolved", "preview"])
@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_stack_passes_its_policy_config(cli, stack, mode):
    result = cli(
        "preview", STACKS, "--stack", stack, "--mode", mode, "--format", "json",
        "--policy-config", STACKS / "policy" / f"{stack}.json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.json()["summary"]["mandatory"] == 0


def test_prod_runs_two_instances_per_variant_with_guarded_rollout():
    configs = of_type("prod", "aws:sagemaker/endpointConfiguration:EndpointConfiguration")
    assert len(configs) == 2
    for config in configs:
        assert [v["initialInstanceCount"] for v in config.inputs["productionVariants"]] == [2]
        assert config.inputs["dataCaptureConfig"]["enableCapture"] is True
    churn = one("prod", "aws:sagemaker/endpoint:Endpoint", "churn-endpoint")["deploymentConfig"]
    assert churn["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]["type"] == "CANARY"
    assert [a["alarmName"] for a in churn["autoRollbackConfiguration"]["alarms"]]
    demand = one("prod", "aws:sagemaker/endpoint:Endpoint", "demand-endpoint")["deploymentConfig"]
    assert demand["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]["type"] == "LINEAR"


def test_prod_monitors_every_kind_each_model_supports():
    schedules = sorted(
        r.name for r in of_type("prod", "aws:sagemaker/monitoringSchedule:MonitoringSchedule")
    )
    assert schedules == [
        "churn-monitor-data-quality-schedule",
        "churn-monitor-model-bias-schedule",
        "churn-monitor-model-explainability-schedule",
        "churn-monitor-model-quality-schedule",
        "demand-monitor-data-quality-schedule",
        "demand-monitor-model-explainability-schedule",
        "demand-monitor-model-quality-schedule",
    ]


def test_prod_hourly_ground_truth_monitors_fit_the_hour_and_wait_for_labels():
    """F5: hourly model quality and bias runs at most 1800 s (botocore
    MonitoringStoppingCondition); W5: their window ends a day back (DG
    model-monitor-model-quality-schedule.md, offsets)."""
    quality = one(
        "prod", "aws-native:sagemaker:ModelQualityJobDefinition", "churn-monitor-model-quality-job"
    )
    bias = one(
        "prod", "aws-native:sagemaker:ModelBiasJobDefinition", "churn-monitor-model-bias-job"
    )
    for job, section in ((quality, "modelQualityJobInput"), (bias, "modelBiasJobInput")):
        assert job["stoppingCondition"]["maxRuntimeInSeconds"] == 1800
        endpoint = job[section]["endpointInput"]
        assert (endpoint["startTimeOffset"], endpoint["endTimeOffset"]) == ("-PT25H", "-PT24H")
    explain = one(
        "prod",
        "aws-native:sagemaker:ModelExplainabilityJobDefinition",
        "churn-monitor-model-explainability-job",
    )
    assert explain["networkConfig"]["enableNetworkIsolation"] is False  # W4


def test_prod_monitor_roles_decrypt_the_baselines_and_ground_truth():
    """W3: the baselines are in the artifacts store, the ground truth in the monitoring store."""
    key_of = {
        r.name.removesuffix("-encryption"): r.inputs["rules"][0][
            "applyServerSideEncryptionByDefault"
        ]["kmsMasterKeyId"]
        for r in of_type(
            "prod",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        )
    }
    for model in ("churn", "demand"):
        policy = json.loads(
            one("prod", "aws:iam/rolePolicy:RolePolicy", f"{model}-monitor-role-policy")["policy"]
        )
        decrypt = next(s for s in policy["Statement"] if s["Sid"] == "DecryptInputs")
        assert set(decrypt["Resource"]) == {
            key_of["artifacts"],
            key_of["capture"],
            key_of["monitoring"],
        }


def test_prod_registry_consumers_can_read_the_model_folders():
    """W7: cross-account deployment reads the package's model data with the consumer's role."""
    policy = json.loads(
        one("prod", "aws:s3/bucketPolicy:BucketPolicy", "artifacts-policy")["policy"]
    )
    reads = next(s for s in policy["Statement"] if s["Sid"] == "ReaderAccountsGetObjects")
    assert reads["Principal"] == {"AWS": ["arn:aws:iam::210987654321:root"]}
    assert [r.rsplit("/", 2)[-2] for r in reads["Resource"]] == ["churn", "demand"]
    key = json.loads(one("prod", "aws:kms/key:Key", "artifacts-key")["policy"])
    assert any(s["Sid"] == "ReaderAccountsDecryptThroughS3" for s in key["Statement"])
    staging = json.loads(
        one("staging", "aws:s3/bucketPolicy:BucketPolicy", "artifacts-policy")["policy"]
    )
    assert not any(s["Sid"].startswith("ReaderAccounts") for s in staging["Statement"])


def test_prod_cards_are_approved_and_name_the_deployed_models():
    cards = of_type("prod", "aws:sagemaker/modelCard:ModelCard")
    assert {c.inputs["modelCardStatus"] for c in cards} == {"Approved"}
    models = of_type("prod", "aws:sagemaker/model:Model")
    assert sorted(m.inputs["tags"]["model-card"] for m in models) == sorted(
        c.inputs["modelCardName"] for c in cards
    )


def test_prod_data_is_protected_from_deletion():
    buckets = of_type("prod", "aws:s3/bucket:Bucket")
    assert len(buckets) == 3 and all(b.protect for b in buckets)


def test_dev_is_serverless_and_unmonitored():
    [config] = of_type("dev", "aws:sagemaker/endpointConfiguration:EndpointConfiguration")
    [variant] = config.inputs["productionVariants"]
    assert variant["serverlessConfig"] == {"maxConcurrency": 5, "memorySizeInMb": 2048}
    assert of_type("dev", "aws:sagemaker/monitoringSchedule:MonitoringSchedule") == []
    assert not any(b.protect for b in of_type("dev", "aws:s3/bucket:Bucket"))


def test_dev_violations_are_advisory_only(cli):
    result = cli(
        "preview", STACKS, "--stack", "dev", "--format", "json",
        "--policy-config", STACKS / "policy" / "dev.json",
    )  # fmt: skip
    violations = result.json()["violations"]
    assert violations and {v["enforcement"] for v in violations} == {"advisory"}


def test_prod_fails_its_policy_config_when_a_card_is_not_approved(cli, tmp_path):
    project = tmp_path / "stacks"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (project / name).write_text((STACKS / name).read_text())
    (project / "ml_platform").symlink_to(STACKS / "ml_platform")
    prod = (STACKS / "Pulumi.prod.yaml").read_text()
    (project / "Pulumi.prod.yaml").write_text(
        prod.replace("status: Approved", "status: PendingReview", 1)
    )
    result = cli(
        "preview", project, "--stack", "prod", "--format", "json",
        "--policy-config", STACKS / "policy" / "prod.json",
    )  # fmt: skip
    assert result.code == 1
    failing = {v["policy"] for v in result.json()["violations"] if v["enforcement"] == "mandatory"}
    assert failing == {"sagemaker-model-card"}


# --- configuration errors ------------------------------------------------------------------


def stack_copy(tmp_path, change):
    """stacks/ with its prod configuration changed by `change(config)`."""
    project = tmp_path / "stacks"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (project / name).write_text((STACKS / name).read_text())
    (project / "ml_platform").symlink_to(STACKS / "ml_platform")
    document = yaml.safe_load((STACKS / "Pulumi.prod.yaml").read_text())
    change(document["config"])
    (project / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    return project


def churn(config):
    return config["ml-platform:models"][0]


CONFIG_ERRORS = {
    "wrong type": (
        lambda c: churn(c)["serving"].update(instanceCount="two"),
        "Pulumi.prod.yaml : ml-platform:models[0].serving.instanceCount is 'two': Input should "
        "be a valid integer, unable to parse string as an integer; expected an integer from 1 to 20",
    ),
    "missing key": (
        lambda c: c.pop("ml-platform:tags"),
        "Pulumi.prod.yaml : ml-platform:tags is missing; expected an object with at least owner, "
        "cost-center and data-classification",
    ),
    "unknown key": (
        lambda c: c.update({"ml-platform:alertEmail": "x@example.com"}),
        "Pulumi.prod.yaml : ml-platform:alertEmail is not a setting this program reads (value "
        "'x@example.com'); expected one of tags, alertEmails, alertWebhookUrl",
    ),
    "unknown nested key": (
        lambda c: churn(c)["card"].update(riskRatting="Low"),
        "ml-platform:models[0].card.riskRatting is not a setting this program reads",
    ),
    "value not allowed": (
        lambda c: c["ml-platform:models"][1]["rollout"].update(strategy="blue-green"),
        "ml-platform:models[1].rollout.strategy is 'blue-green': Input should be 'all_at_once', "
        "'canary', 'linear' or 'rolling'; expected all_at_once, canary, linear or rolling",
    ),
    "required tag": (
        lambda c: c["ml-platform:tags"].pop("cost-center"),
        'ml-platform:tags is {"data-classification": "confidential", "owner": '
        '"ml-platform-team"}: missing tag(s) cost-center; expected an object with at least',
    ),
    "unpinned image": (
        lambda c: churn(c).update(image="example.com/churn:latest"),
        "ml-platform:models[0].image is 'example.com/churn:latest': an image must be pinned",
    ),
    "instance type": (
        lambda c: churn(c)["serving"].update(instanceType="ml.m5.huge"),
        "ml-platform:models[0].serving.instanceType is 'ml.m5.huge': not a SageMaker hosting "
        "instance type; expected a SageMaker hosting instance type such as ml.m5.xlarge",
    ),
    "across keys": (
        lambda c: churn(c)["serving"].update(instanceCount=1),
        "ml-platform:models[0]: rollout.canaryPercent 10 on serving.instanceCount 1: the canary "
        "would take more than half of the fleet",
    ),
    "serverless monitored": (
        lambda c: churn(c).update(serving={"serverless": {"memoryMb": 2048, "maxConcurrency": 5}}),
        "ml-platform:models[0]: a serverless endpoint cannot capture data, so it cannot be "
        "monitored",
    ),
    "account id": (
        lambda c: c.update({"ml-platform:registryConsumerAccounts": ["prod-account"]}),
        "ml-platform:registryConsumerAccounts[0] is 'prod-account': String should match pattern",
    ),
}


@pytest.mark.parametrize("case", CONFIG_ERRORS)
def test_a_configuration_error_names_the_stack_file_the_key_and_the_expected_form(
    cli, tmp_path, case
):
    change, expected = CONFIG_ERRORS[case]
    project = stack_copy(tmp_path, change)
    result = cli("preview", project, "--stack", "prod", "--format", "json")
    assert result.code == 2 and result.out == ""
    assert expected in result.err
    assert result.err.startswith(f"error: {project}: 1 problem(s) with the stack configuration")
    assert "Traceback" not in result.err and "Fix them in Pulumi.prod.yaml" in result.err


def test_every_configuration_problem_is_reported_at_once(cli, tmp_path):
    def change(config):
        config.pop("ml-platform:alertEmails")
        churn(config)["version"] = 0

    result = cli("preview", stack_copy(tmp_path, change), "--stack", "prod")
    assert result.code == 2
    assert "2 problem(s)" in result.err
    assert "ml-platform:alertEmails is missing" in result.err
    assert "ml-platform:models[0].version is 0" in result.err


# --- secrets -------------------------------------------------------------------------------

WEBHOOK = "https://events.example.com/integration/S3CR3T-INTEGRATION-KEY/enqueue"
CIPHERTEXT = "v1:Zm9vYmFyYmF6:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="


@pytest.mark.parametrize(
    ("value", "hidden"),
    [
        # A user who forgot --secret: the program still treats the URL as a secret.
        (WEBHOOK, "S3CR3T-INTEGRATION-KEY"),
        # `pulumi config set --secret`: offline, the ciphertext is never opened nor shown.
        ({"secure": CIPHERTEXT}, CIPHERTEXT),
    ],
    ids=["plain-config", "secure-config"],
)
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif", "junit"])
def test_the_alert_webhook_never_appears_in_any_output(cli, tmp_path, value, hidden, fmt):
    project = stack_copy(tmp_path, lambda c: c.update({"ml-platform:alertWebhookUrl": value}))
    result = cli("preview", project, "--stack", "prod", "--format", fmt)
    assert result.code == 0, result.err
    assert hidden not in result.out + result.err
    if fmt == "json":
        [https] = [
            r
            for r in result.json()["resources"]
            if r["type"] == "aws:sns/topicSubscription:TopicSubscription"
            and r["inputs"]["protocol"] == "https"
        ]
        assert https["inputs"]["endpoint"] == "[secret]"


def test_a_malformed_secret_is_reported_without_its_value(cli, tmp_path):
    project = stack_copy(
        tmp_path, lambda c: c.update({"ml-platform:alertWebhookUrl": {"secure": ["S3CR3T"]}})
    )
    result = cli("preview", project, "--stack", "prod")
    assert result.code == 2 and "S3CR3T" not in result.err
    assert "ml-platform:alertWebhookUrl" in result.err


def test_a_secret_of_the_wrong_form_is_reported_as_secret(cli, tmp_path):
    nested = {"url": {"secure": CIPHERTEXT}}
    project = stack_copy(tmp_path, lambda c: c.update({"ml-platform:alertWebhookUrl": nested}))
    result = cli("preview", project, "--stack", "prod")
    assert result.code == 2 and CIPHERTEXT not in result.err
    assert (
        "Pulumi.prod.yaml : ml-platform:alertWebhookUrl is '[secret]': Input should be a valid string"
        in result.err
    )


# --- optional KServe ------------------------------------------------------------------------

KSERVE = {
    "name": "fraud",
    "namespace": "fraud",
    "modelFormat": "sklearn",
    "storageUri": "s3://acme-models/fraud/v42",
    "resources": {
        "cpuRequest": "500m",
        "memoryRequest": "1Gi",
        "cpuLimit": "2",
        "memoryLimit": "2Gi",
    },
    "canaryPercent": 10,
}


def test_the_commented_kserve_block_of_prod_is_a_valid_configuration():
    commented = (STACKS / "Pulumi.prod.yaml").read_text().split("# ml-platform:kserve:")[1]
    block = "\n".join(line.replace("  # ", "  ", 1) for line in commented.splitlines())
    assert yaml.safe_load(f"config:\n  ml-platform:kserve:{block}")["config"]["ml-platform:kserve"][
        "storageUri"
    ].startswith("s3://")


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_a_kserve_model_is_served_when_configured_and_passes_the_kubernetes_rules(
    cli, tmp_path, mode
):
    project = stack_copy(tmp_path, lambda c: c.update({"ml-platform:kserve": KSERVE}))
    result = cli(
        "preview", project, "--stack", "prod", "--mode", mode, "--format", "json",
        "--policy-config", STACKS / "policy" / "prod.json",
    )  # fmt: skip
    assert result.code == 0, result.err
    document = result.json()
    [service] = [
        r
        for r in document["resources"]
        if r["type"] == "kubernetes:serving.kserve.io/v1beta1:InferenceService"
    ]
    predictor = service["inputs"]["spec"]["predictor"]
    assert predictor["canaryTrafficPercent"] == 10
    assert service["inputs"]["metadata"]["labels"]["owner"] == "ml-platform-team"
    assert document["summary"]["mandatory"] == 0 and document["summary"]["advisory"] == 0


def test_a_kserve_configuration_error_names_its_key(cli, tmp_path):
    broken = {**KSERVE, "canaryPercent": 120}
    project = stack_copy(tmp_path, lambda c: c.update({"ml-platform:kserve": broken}))
    result = cli("preview", project, "--stack", "prod")
    assert result.code == 2
    assert (
        "Pulumi.prod.yaml : ml-platform:kserve.canaryPercent is 120: Input should be less than "
        "or equal to 100; expected 0 to 100" in result.err
    )


# --- the configuration reference ------------------------------------------------------------


def test_the_configuration_reference_lists_every_key(golden):
    import sys

    from mlrails_components.config import key_reference

    sys.path.insert(0, str(STACKS))
    try:
        from ml_platform.config import PlatformConfig
    finally:
        sys.path.remove(str(STACKS))
    page = (
        "# Stack configuration of the ML platform\n\n"
        "Every `ml-platform:` key of `Pulumi.<stack>.yaml`. Generated from "
        "`stacks/ml_platform/config.py` by `pytest tests/stacks --update-golden`; each "
        "`expected` text is also what a wrong value's error message says.\n\n"
        + key_reference(PlatformConfig, "ml-platform")
    )
    golden(STACKS / "CONFIGURATION.md", page)


def _platform_config_module():
    import sys

    sys.path.insert(0, str(STACKS))
    try:
        from ml_platform import config
    finally:
        sys.path.remove(str(STACKS))
    return config


@pytest.mark.parametrize(
    ("model", "key", "limit"),
    [
        pytest.param("Serverless", "memory_mb", "SERVERLESS_MEMORY_MB", id="serverless-memory"),
        pytest.param(
            "Serverless",
            "max_concurrency",
            "SERVERLESS_MAX_CONCURRENCY",
            id="serverless-concurrency",
        ),
        pytest.param("Rollout", "canary_percent", "CANARY_PERCENT", id="canary-percent"),
        pytest.param("Rollout", "linear_step_percent", "LINEAR_STEP_PERCENT", id="linear-step"),
        pytest.param(
            "Rollout", "rolling_batch_percent", "ROLLING_BATCH_PERCENT", id="rolling-batch"
        ),
        pytest.param("Rollout", "bake_minutes", "BAKE_MINUTES", id="bake-minutes"),
    ],
)
def test_stack_bounds_are_the_endpoint_components_limits(model, key, limit):
    import pydantic

    from mlrails_components.sagemaker import limits

    config = _platform_config_module()
    bound = getattr(limits, limit)
    given = {"memory_mb": 2048, "max_concurrency": 5} if model == "Serverless" else {}
    fields = getattr(config, model)
    alias = fields.model_fields[key].alias
    others = {fields.model_fields[k].alias: v for k, v in given.items()}
    fields.model_validate({**others, alias: bound.low})
    fields.model_validate({**others, alias: bound.high})
    for outside in (bound.low - bound.step, bound.high + bound.step):
        with pytest.raises(pydantic.ValidationError):
            fields.model_validate({**others, alias: outside})
    assert bound.expected() in fields.model_fields[key].description


def test_the_stack_refuses_the_canary_the_component_refuses():
    from mlrails_components.sagemaker.limits import canary_fits

    config = _platform_config_module()
    assert not canary_fits(1, 10) and canary_fits(2, 50) and not canary_fits(3, 50)
    churn_model = churn(yaml.safe_load((STACKS / "Pulumi.prod.yaml").read_text())["config"])
    churn_model["serving"] = {"instanceType": "ml.m5.large", "instanceCount": 3}
    churn_model["rollout"] = {"strategy": "canary", "canaryPercent": 50}
    with pytest.raises(ValueError, match="the canary would take more than half of the fleet"):
        config.Model.model_validate(churn_model)
    churn_model["serving"]["instanceCount"] = 4
    config.Model.model_validate(churn_model)
