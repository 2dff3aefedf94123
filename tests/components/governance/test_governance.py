"""Model cards and the model registry: content, schema problems, links to what is deployed."""

from __future__ import annotations

import json
import re

import pytest

from mlrails.errors import UserError
from mlrails_components.governance import ModelCard, ModelRegistry
from mlrails_components.governance.content import schema_problems
from mlrails_components.governance.model_card import render_content
from mlrails_components.sagemaker import ModelEndpoint
from tests.components.conftest import (
    children,
    document,
    judge,
    resource,
    statement,
    unsettled,
)
from tests.components.governance.sdk_oracle import sdk_problems
from tests.conftest import REPO

FULL_CARD = {
    "card_name": "churn-v7",
    "model_name": "churn-model",
    "status": "PendingReview",
    "model_overview": {
        "model_description": "Predicts churn.",
        "model_version": 7,
        "model_owner": "churn-team",
        "model_creator": "data-science",
        "problem_type": "Binary classification",
        "algorithm_type": "XGBoost",
        "model_artifacts": ["s3://models/churn/v7/model.tar.gz"],
        "container_images": [
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
        ],
    },
    "intended_uses": {
        "purpose_of_model": "Retention",
        "intended_uses": "Scoring",
        "factors_affecting_model_efficiency": "Seasonality",
        "risk_rating": "Medium",
        "explanations_for_risk_rating": "Offers only",
    },
    "business_details": {
        "business_problem": "Churn",
        "business_stakeholders": "Marketing",
        "line_of_business": "Consumer",
    },
    "training_details": {
        "training_job_arn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-7",
        "training_datasets": ["s3://data/churn/train/"],
        "training_observations": "Converged",
        "training_metrics": [{"name": "logloss", "value": 0.21}],
    },
    "evaluation_details": [
        {
            "name": "holdout",
            "evaluation_observation": "Stable",
            "datasets": ["s3://data/churn/test/"],
            "metric_groups": [
                {"name": "binary", "metrics": [{"name": "auc", "value": 0.91, "notes": "q3"}]}
            ],
        }
    ],
    "additional_information": {
        "ethical_considerations": "No protected attributes",
        "caveats_and_recommendations": "Retrain quarterly",
        "custom_details": {"review": "MRM-2026-17"},
    },
}


def card_program(program, args, mode="resolved"):
    return program(lambda: ModelCard("churn", args), mode=mode)


def content_of(plan, name="churn-card"):
    return json.loads(resource(plan, name).inputs["content"])


def test_full_card_renders_every_section_in_schema_names(program):
    content = content_of(card_program(program, FULL_CARD))
    assert content["model_overview"]["model_name"] == "churn-model"
    assert content["model_overview"]["model_artifact"] == ["s3://models/churn/v7/model.tar.gz"]
    assert content["model_overview"]["inference_environment"] == {
        "container_image": ["683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"]
    }
    assert content["intended_uses"]["risk_rating"] == "Medium"
    job = content["training_details"]["training_job_details"]
    assert job["training_arn"].endswith("training-job/churn-7") and job["training_metrics"] == [
        {"name": "logloss", "value": 0.21}
    ]
    assert content["evaluation_details"][0]["metric_groups"][0]["metric_data"] == [
        {"type": "number", "name": "auc", "value": 0.91, "notes": "q3"}
    ]
    assert content["additional_information"]["custom_details"] == {"review": "MRM-2026-17"}
    assert schema_problems(content) == []


def test_minimal_card_holds_only_what_was_given(program):
    plan = card_program(program, {"model_overview": {"model_description": "A model."}})
    assert content_of(plan) == {"model_overview": {"model_description": "A model."}}
    card = resource(plan, "churn-card").inputs
    assert card["modelCardStatus"] == "Draft" and card["modelCardName"].startswith("churn-")


def test_content_is_encrypted_with_its_own_key_or_the_given_one(program):
    plan = card_program(program, FULL_CARD)
    assert (
        resource(plan, "churn-card").inputs["securityConfig"]["kmsKeyId"].startswith("arn:aws:kms:")
    )
    assert statement(document(plan, "churn-key"), "ServiceUseSagemaker")
    given = card_program(
        program, {**FULL_CARD, "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/given"}
    )
    assert resource(given, "churn-card").inputs["securityConfig"] == {
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/given"
    }
    assert ("aws:kms/key:Key", "churn-key") not in children(given, "churn")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        pytest.param(
            {"intended_uses": {"risk_rating": "Extreme"}},
            "card content at $.intended_uses.risk_rating: 'Extreme' is not one of ['High', 'Medium', 'Low', 'Unknown']",
            id="unknown-risk-rating",
        ),
        pytest.param(
            {"model_overview": {"model_version": 0}},
            "card content at $.model_overview.model_version: 0 is less than the minimum of 1",
            id="version-0",
        ),
        pytest.param(
            {"model_overview": {"model_description": "x" * 1025}},
            "card content at $.model_overview.model_description:",
            id="description-too-long",
        ),
        pytest.param(
            {"evaluation_details": [{"name": "n" * 64}]},
            "card content at $.evaluation_details[0].name:",
            id="evaluation-name-too-long",
        ),
        pytest.param(
            {"model_overview": {"model_artifacts": [f"s3://m/{i}" for i in range(16)]}},
            "card content at $.model_overview.model_artifact: [",
            id="too-many-artifacts",
        ),
        pytest.param(
            {"model_name": "bad_name"},
            "card content at $.model_overview.model_name: 'bad_name' does not match",
            id="model-name-with-underscore",
        ),
        pytest.param(
            {"status": "Published"},
            "`status` is 'Published': not a model card status",
            id="unknown-status",
        ),
        pytest.param(
            {"card_name": "bad_card"},
            "`card_name` is 'bad_card': not a valid SageMaker name",
            id="card-name-with-underscore",
        ),
    ],
)
def test_every_schema_violation_is_reported_with_its_json_path(program, change, fragment):
    with pytest.raises(UserError) as err:
        card_program(program, {**FULL_CARD, **change})
    assert "ModelCard 'churn'" in str(err.value) and fragment in str(err.value)


def test_all_schema_problems_are_reported_together():
    content = render_content(
        {"intended_uses": {"risk_rating": "Extreme"}, "model_overview": {"model_version": 0}}, {}
    )
    assert [p for p, _ in schema_problems(content)] == [
        "$.intended_uses.risk_rating",
        "$.model_overview.model_version",
    ]


@pytest.mark.parametrize(
    "args", [FULL_CARD, {"model_overview": {"model_description": "A model."}}], ids=["full", "min"]
)
def test_the_sdk_shapes_accept_what_the_schema_accepts(args):
    content = render_content(args, {"model_name": args.get("model_name")})
    assert schema_problems(content) == [] and sdk_problems(content) == []


def test_the_sdk_shapes_reject_what_the_schema_rejects_where_they_cover_it():
    content = {"intended_uses": {"risk_rating": "Extreme"}}
    assert [p for p, _ in schema_problems(content)] == ["$.intended_uses.risk_rating"]
    assert [p for p, _ in sdk_problems(content)] == ["$.intended_uses.risk_rating"]


# --- registry --------------------------------------------------------------------------

IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/x:1"


def registry_program(status="Approved", consumer="210987654321"):
    registry = ModelRegistry("churn", {"consumer_account_ids": [consumer], "tags": {"owner": "ml"}})
    registry.register_version(
        "v7",
        {"image": IMAGE, "model_data_url": "s3://m/v7/model.tar.gz", "approval_status": status},
    )


def test_registry_group_policy_lets_consumers_deploy_its_packages(program):
    """W7. The DG's cross-account deployment grant (model-registry-deploy.md, "Deploy a Model
    Version from a Different Account"): DescribeModelPackageGroup on the group, and
    DescribeModelPackage, ListModelPackages, CreateModel on its packages. No
    sagemaker:ModelApprovalStatus condition: DescribeModelPackage does not carry that key
    (Service Authorization Reference), so StringEquals on it is false and granted nothing."""
    plan = program(registry_program)
    group = resource(plan, "churn-group").inputs["modelPackageGroupName"]
    policy = json.loads(resource(plan, "churn-policy").inputs["resourcePolicy"])
    read_group = statement(policy, "ConsumersReadTheGroup")
    assert read_group["Principal"] == {"AWS": ["arn:aws:iam::210987654321:root"]}
    assert read_group["Action"] == "sagemaker:DescribeModelPackageGroup"
    assert (
        read_group["Resource"]
        == f"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/{group}"
    )
    packages = statement(policy, "ConsumersDeployPackages")
    assert packages["Principal"] == {"AWS": ["arn:aws:iam::210987654321:root"]}
    assert packages["Action"] == [
        "sagemaker:CreateModel",
        "sagemaker:DescribeModelPackage",
        "sagemaker:ListModelPackages",
    ]
    assert packages["Resource"] == (
        f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/*"
    )
    assert all("Condition" not in s for s in policy["Statement"])
    assert "sagemaker:UpdateModelPackage" not in json.dumps(policy)  # consumers cannot approve
    version = resource(plan, "churn-v7").inputs
    assert (
        version["modelApprovalStatus"] == "Approved" and version["modelPackageGroupName"] == group
    )
    assert version["inferenceSpecification"]["containers"] == [
        {
            "image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "modelDataUrl": "s3://m/v7/model.tar.gz",
        }
    ]


def test_registry_validation(program):
    with pytest.raises(
        UserError, match="`approval_status` is 'Shipped': not a model approval status"
    ):
        program(lambda: registry_program(status="Shipped"))
    with pytest.raises(UserError, match="an AWS account id is 12 digits"):
        program(lambda: registry_program(consumer="prod"))


# --- links to what is deployed ---------------------------------------------------------

CARD_SECTIONS = {"status": "Approved", "intended_uses": {"risk_rating": "Low"}}


def endpoint_of_a_registered_version(status="Approved", card=CARD_SECTIONS):
    version = ModelRegistry("churn", {}).register_version(
        "v7",
        {"image": IMAGE, "model_data_url": "s3://m/v7/model.tar.gz", "approval_status": status},
    )
    variant = version.variant(
        "main",
        instance_type="ml.m5.large",
        model_data_kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/m",
        model_card=card,
    )
    ModelEndpoint("churn", {"variants": [variant], "require_approved_model_packages": True})


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_card_names_the_model_and_the_model_is_tagged_with_the_card(program, mode):
    plan = program(endpoint_of_a_registered_version, mode=mode)
    model = resource(plan, "churn-main-model").inputs
    card = resource(plan, "churn-main-card-card").inputs
    assert model["tags"]["model-card"] == card["modelCardName"]
    if mode == "resolved":
        assert json.loads(card["content"])["model_overview"]["model_name"] == model["name"]
    # The rule follows the tag, so it holds in both modes.
    assert unsettled(judge(plan), "sagemaker-model-card") == []


def test_an_existing_card_is_named_not_created(program):
    plan = program(lambda: endpoint_of_a_registered_version(card={"card_name": "churn-v7"}))
    assert resource(plan, "churn-main-model").inputs["tags"]["model-card"] == "churn-v7"
    assert not [r for r in plan.resources if r.type == "mlrails:index:ModelCard"]


def endpoint_linked_to_a_card_component():
    card = ModelCard("churn", CARD_SECTIONS)
    variant = {
        "name": "main",
        "image": IMAGE,
        "model_data_url": "s3://m/v7/model.tar.gz",
        "model_data_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/m",
        "instance_type": "ml.m5.large",
        "model_card": {"card_name": card.card_name},
    }
    ModelEndpoint("churn", {"variants": [variant]})


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_an_existing_model_card_component_is_linked_by_its_name(program, mode):
    plan = program(endpoint_linked_to_a_card_component, mode=mode)
    card = resource(plan, "churn-card").inputs["modelCardName"]
    assert resource(plan, "churn-main-model").inputs["tags"]["model-card"] == card
    assert len([r for r in plan.resources if r.type == "mlrails:index:ModelCard"]) == 1
    assert unsettled(judge(plan), "sagemaker-model-card") == []


def test_a_package_that_is_not_approved_is_refused_when_approval_is_required(program):
    with pytest.raises(
        UserError,
        match=re.escape(
            "`variants[0].model_package_approval_status` is 'PendingManualApproval': "
            "this endpoint requires approved models"
        ),
    ):
        program(lambda: endpoint_of_a_registered_version(status="PendingManualApproval"))


PROD_POLICY = {
    "sagemaker-model-card": {"allowed_statuses": ["Approved"], "require_risk_rating": True}
}


def example(
    cli, tmp_path, mode="resolved", policy=None, card_status="Approved", without_card=False
):
    project = tmp_path / "governed-model"
    source = REPO / "examples" / "governed-model"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        text = (source / name).read_text()
        if without_card and name == "__main__.py":
            text = text.replace("model_card=card,", "")
        (project / name).write_text(text)
    (project / "Pulumi.dev.yaml").write_text(
        (source / "Pulumi.dev.yaml")
        .read_text()
        .replace("cardStatus: Approved", f"cardStatus: {card_status}")
    )
    args = ["preview", project, "--stack", "dev", "--mode", mode, "--format", "json"]
    if policy:
        (tmp_path / "policy.json").write_text(json.dumps(policy))
        args += ["--policy-config", tmp_path / "policy.json"]
    return cli(*args)


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_example_passes_the_pack_under_the_production_config(cli, tmp_path, mode):
    result = example(cli, tmp_path, mode, PROD_POLICY)
    assert result.code == 0, result.out + result.err
    assert result.json()["summary"]["mandatory"] == 0


def test_the_example_fails_the_card_rule_without_its_card(cli, tmp_path):
    result = example(cli, tmp_path, policy=PROD_POLICY, without_card=True)
    assert result.code == 1
    assert [
        v["policy"] for v in result.json()["violations"] if v["enforcement"] == "mandatory"
    ] == ["sagemaker-model-card"]


def test_the_example_fails_the_card_rule_with_a_draft_card_under_the_production_config(
    cli, tmp_path
):
    result = example(cli, tmp_path, policy=PROD_POLICY, card_status="Draft")
    assert result.code == 1
    messages = [
        v["message"] for v in result.json()["violations"] if v["policy"] == "sagemaker-model-card"
    ]
    assert len(messages) == 1 and "is Draft, allowed: Approved" in messages[0]


def test_the_example_accepts_a_draft_card_without_the_production_config(cli, tmp_path):
    result = example(cli, tmp_path, card_status="Draft")
    assert result.code == 0, result.out + result.err
    assert [v for v in result.json()["violations"] if v["policy"] == "sagemaker-model-card"] == []
