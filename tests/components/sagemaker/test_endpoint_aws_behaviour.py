"""ModelEndpoint against what SageMaker does with it: the review's F1, F2, F6, F7, W1, W6 and
K1 items (../shared/reviews/aws-kserve-review.md), each test naming its primary source."""

from __future__ import annotations

import pulumi
import pytest

from mlrails.errors import UserError
from mlrails_components.governance import ModelRegistry
from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket
from tests.components.conftest import TAGS, document, judge, resource, statement, unsettled
from tests.components.sagemaker import api_requests

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:4.1.0"


def one_variant(variant, _artifacts):
    return {"variants": [variant]}


def build(program, endpoint_args=one_variant, before=None):
    """The program: an artifacts EncryptedBucket, a variant whose model data it holds, then
    (after `before()`) ModelEndpoint `fraud` with `endpoint_args(variant, artifacts)`."""

    def run():
        artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": TAGS})
        variant = {
            "name": "main",
            "image": IMAGE,
            "model_data_url": artifacts.s3_uri("fraud/v41/model.tar.gz"),
            "model_data_kms_key_arn": artifacts.key_arn,
            "instance_type": "ml.m5.large",
        }
        if before is not None:
            before()
        ModelEndpoint("fraud", {**endpoint_args(variant, artifacts), "tags": TAGS})

    return program(run)


PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/7"


def without(variant: dict, key: str) -> dict:
    return {k: v for k, v in variant.items() if k != key}


def _key_from_bucket(plan) -> str:
    encryption = resource(plan, "artifacts-encryption").inputs["rules"][0]
    return encryption["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]


def bucket_name(plan) -> str:
    return resource(plan, "artifacts-bucket").inputs["bucket"]


# --- F1: the role decrypts the model data with the artifacts key, through S3 only -----------


def test_role_decrypts_model_data_with_the_buckets_key_through_s3_only(program):
    """S3 UG (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html):
    downloading an SSE-KMS object needs kms:Decrypt on its key; SageMaker downloads ModelDataUrl
    with the execution role (botocore ContainerDefinition.ModelDataUrl)."""
    plan = build(program)
    policy = document(plan, "fraud-role-policy")
    assert statement(policy, "ReadModelData")["Resource"] == [
        f"arn:aws:s3:::{bucket_name(plan)}/fraud/v41/model.tar.gz"
    ]
    decrypt = statement(policy, "DecryptModelData")
    assert decrypt["Action"] == "kms:Decrypt"
    assert decrypt["Resource"] == [_key_from_bucket(plan)]
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
    }


def test_model_data_without_its_key_is_refused(program):
    """DG sagemaker-roles.md: "If your input is encrypted using SSE-KMS add kms:Decrypt"; the
    component cannot know the bucket's key, so it asks for it."""
    with pytest.raises(UserError) as error:
        build(
            program, lambda variant, _: {"variants": [without(variant, "model_data_kms_key_arn")]}
        )
    assert "`variants[0].model_data_kms_key_arn` is None" in str(error.value)
    assert "pass the key of the model data's bucket (e.g. artifacts.key_arn)" in str(error.value)


def test_sse_s3_model_data_is_an_explicit_choice_without_a_key_grant(program):
    def sse_s3(variant, _):
        variant = without(variant, "model_data_kms_key_arn")
        return {"variants": [{**variant, "model_data_encrypted_with_s3_managed_key": True}]}

    plan = build(program, sse_s3)
    sids = [s["Sid"] for s in document(plan, "fraud-role-policy")["Statement"]]
    assert "ReadModelData" in sids and "DecryptModelData" not in sids


# --- F2: model package variants ----------------------------------------------------------


def packaged_variant(_, artifacts):
    version = ModelRegistry("churn", {"tags": TAGS}).register_version(
        "v7",
        {
            "image": IMAGE,
            "model_data_url": artifacts.s3_uri("churn/v7/model.tar.gz"),
            "approval_status": "Approved",
        },
    )
    variant = version.variant(
        "main", instance_type="ml.m5.large", model_data_kms_key_arn=artifacts.key_arn
    )
    return {"variants": [variant]}


def test_package_variant_role_reads_the_packages_data_and_pulls_its_image(program):
    """DG sagemaker-roles.md, "CreateModel API: Execution Role Permissions": the role reads the
    model artifacts and pulls the image (ecr:BatchGetImage, GetDownloadUrlForLayer,
    BatchCheckLayerAvailability on the repository; GetAuthorizationToken on *)."""
    plan = build(program, packaged_variant)
    container = resource(plan, "fraud-main-model").inputs["primaryContainer"]
    assert set(container) == {"modelPackageName"}
    policy = document(plan, "fraud-role-policy")
    assert statement(policy, "ReadModelData")["Resource"] == [
        f"arn:aws:s3:::{bucket_name(plan)}/churn/v7/model.tar.gz"
    ]
    assert statement(policy, "DecryptModelData")["Resource"] == [_key_from_bucket(plan)]
    assert statement(policy, "PullModelImages")["Resource"] == [
        "arn:aws:ecr:us-east-1:123456789012:repository/fraud"
    ]
    assert statement(policy, "AuthenticateToEcr")["Resource"] == "*"


def test_package_without_model_data_is_an_explicit_choice(program):
    variant = {
        "name": "main",
        "model_package_arn": PACKAGE,
        "model_package_image": IMAGE,
        "model_package_without_model_data": True,
        "instance_type": "ml.m5.large",
    }
    plan = build(program, lambda *_: {"variants": [variant]})
    sids = [s["Sid"] for s in document(plan, "fraud-role-policy")["Statement"]]
    assert "PullModelImages" in sids and "ReadModelData" not in sids


def test_package_variant_without_its_image_and_data_is_refused(program):
    with pytest.raises(UserError) as error:
        variant = {"name": "main", "model_package_arn": PACKAGE, "instance_type": "ml.m5.large"}
        build(program, lambda *_: {"variants": [variant]})
    message = str(error.value)
    assert "`variants[0].model_package_image` is None: the execution role could not pull" in message
    assert "`variants[0].model_package_model_data_url` is None" in message


# --- F6: the role may describe the rollback alarms -----------------------------------------


def test_role_describes_exactly_the_rollback_alarms_before_the_endpoint_uses_them(program):
    """DG deployment-guardrails-configuration.md: "Ensure that your IAM execution role has
    permission to perform the cloudwatch:DescribeAlarms action on the auto-rollback alarms"."""
    plan = build(
        program,
        lambda variant, _: {
            "variants": [variant],
            "extra_rollback_alarm_names": ["fraud-business-kpi"],
        },
    )
    names = [
        resource(plan, n).inputs["name"] for n in ("fraud-main-error-rate", "fraud-main-latency")
    ]
    grant = statement(document(plan, "fraud-rollback-alarms-policy"), "DescribeRollbackAlarms")
    assert grant["Action"] == "cloudwatch:DescribeAlarms"
    assert grant["Resource"] == sorted(
        f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{n}"
        for n in [*names, "fraud-business-kpi"]
    )
    endpoint = resource(plan, "fraud-endpoint")
    assert resource(plan, "fraud-rollback-alarms-policy").urn in endpoint.dependencies


# --- F7: uncompressed model data under a prefix --------------------------------------------


def test_prefix_is_served_as_model_data_source_and_listed_under_its_prefix_only(program):
    """botocore S3ModelDataSource (S3Prefix, CompressionType None) and ContainerDefinition.
    ModelDataUrl ("must point to a single gzip compressed tar archive"); listing a prefix needs
    s3:ListBucket (DG sagemaker-roles.md)."""

    def under_a_prefix(variant, artifacts):
        prefix = artifacts.s3_uri("ranker/v7/")
        return {"variants": [{**without(variant, "model_data_url"), "model_data_prefix": prefix}]}

    plan = build(program, under_a_prefix)
    container = resource(plan, "fraud-main-model").inputs["primaryContainer"]
    assert "modelDataUrl" not in container
    assert container["modelDataSource"] == {
        "s3DataSources": [
            {
                "s3Uri": f"s3://{bucket_name(plan)}/ranker/v7/",
                "s3DataType": "S3Prefix",
                "compressionType": "None",
            }
        ]
    }
    policy = document(plan, "fraud-role-policy")
    assert statement(policy, "ReadModelData")["Resource"] == [
        f"arn:aws:s3:::{bucket_name(plan)}/ranker/v7/*"
    ]
    assert statement(policy, "ListModelData1") == {
        "Sid": "ListModelData1",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": f"arn:aws:s3:::{bucket_name(plan)}",
        "Condition": {"StringLike": {"s3:prefix": ["ranker/v7/*"]}},
    }
    request = {
        "ModelName": "m",
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r",
        "PrimaryContainer": {
            "Image": container["image"],
            "ModelDataSource": {
                "S3DataSource": {
                    "S3Uri": container["modelDataSource"]["s3DataSources"][0]["s3Uri"],
                    "S3DataType": "S3Prefix",
                    "CompressionType": "None",
                }
            },
        },
    }
    api_requests.validate("sagemaker", "CreateModel", request)


@pytest.mark.parametrize(
    ("variant", "fragment"),
    [
        pytest.param(
            lambda variant: {**variant, "model_data_url": "s3://acme/ranker/v7/"},
            "pass uncompressed model files under a prefix ending in / as model_data_prefix",
            id="prefix-given-as-url",
        ),
        pytest.param(
            lambda variant: {**variant, "model_data_encrypted_with_s3_managed_key": True},
            "the model data is encrypted either with a customer key or with S3-managed keys",
            id="key-and-sse-s3",
        ),
        pytest.param(
            lambda variant: without(variant, "model_data_url"),
            "there is no model data for the key to decrypt",
            id="key-without-data",
        ),
        pytest.param(
            lambda variant: {**variant, "model_package_image": IMAGE},
            "only a model package variant has a package image or package model data",
            id="package-image-without-package",
        ),
        pytest.param(
            lambda variant: {**variant, "model_data_url": "s3://acme/ranker/v7/model.pkl"},
            "ModelDataUrl must name one gzip-compressed tar archive (.tar.gz)",
            id="url-not-an-archive",
        ),
        pytest.param(
            lambda variant: {**variant, "model_data_prefix": "s3://acme/ranker/v7"},
            "a variant's model data is one archive or one prefix",
            id="url-and-prefix",
        ),
        pytest.param(
            lambda variant: {
                **without(variant, "model_data_url"),
                "model_data_prefix": "s3://acme/ranker/v7",
            },
            "an S3 prefix of model data ends with /",
            id="prefix-without-slash",
        ),
        pytest.param(
            lambda _: {
                "name": "main",
                "image": IMAGE,
                "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
                "model_data_prefix": "s3://acme/ranker/v7/",
                "model_data_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
            },
            "serverless endpoints take only compressed model data (no ModelDataSource)",
            id="prefix-on-serverless",
        ),
    ],
)
def test_model_data_form_errors(program, variant, fragment):
    with pytest.raises(UserError) as error:
        build(program, lambda given, _: {"variants": [variant(given)]})
    assert fragment in str(error.value)


# --- W1: the configuration a rollback returns to is never deleted ---------------------------


def record_retained(args: pulumi.ResourceTransformationArgs):
    if args.opts is not None and args.opts.retain_on_delete:
        pulumi.log.warn(f"retained {args.name}")


def test_models_and_configurations_are_kept_when_replaced(program):
    """hashicorp/terraform-provider-aws#48997 and #46663 (open): after a SageMaker auto-rollback
    the endpoint resource records success and create-before-delete deletes the configuration
    still serving. Retaining models and configurations keeps the rollback target."""
    plan = build(
        program,
        before=lambda: pulumi.runtime.register_stack_transformation(record_retained),
    )
    assert sorted(w for w in plan.warnings if w.startswith("retained ")) == [
        "retained fraud-config",
        "retained fraud-main-model",
    ]


# --- W6: autoscaled variants restart at their initial count on every update -----------------


def test_autoscaling_without_accepting_the_rollout_capacity_drop_is_refused(program):
    """botocore UpdateEndpointInput.RetainAllVariantProperties: "The default is false";
    pulumi-aws cannot set it (hashicorp/terraform-provider-aws PR #49069, open)."""
    autoscaling = {"min_instances": 2, "max_instances": 6, "target_invocations_per_instance": 100}
    with pytest.raises(UserError) as error:
        build(program, lambda variant, _: {"variants": [{**variant, "autoscaling": autoscaling}]})
    assert "`variants[0].autoscaling.accept_capacity_drop_during_rollout` is None" in str(
        error.value
    )
    assert "each update restarts the variant at initial_instance_count (2)" in str(error.value)


# --- K1: rollback alarms watch the new fleet --------------------------------------------------


def test_rollback_alarms_follow_the_new_configuration_and_still_satisfy_the_alarm_rule(program):
    """DG deployment-guardrails-configuration.md ("Monitor model latency on the new fleet"):
    the EndpointConfigName dimension limits an alarm to the new fleet."""
    plan = build(
        program,
        lambda variant, _: {
            "variants": [variant],
            "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:a"],
        },
    )
    config = resource(plan, "fraud-config")
    latency = resource(plan, "fraud-main-latency")
    assert latency.inputs["dimensions"]["EndpointConfigName"] == config.inputs["name"]
    assert config.urn in latency.dependencies
    findings = judge(plan)
    assert unsettled(findings, "sagemaker-endpoint-alarms") == []
    assert unsettled(findings, "sagemaker-safe-deployment") == []
