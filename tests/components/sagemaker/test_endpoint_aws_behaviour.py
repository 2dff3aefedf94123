"""ModelEndpoint against what SageMaker does with it: the review's F1, F2, F6, F7, W1, W6 and
K1 items (../shared/reviews/aws-kserve-review.md), each test naming its primary source."""

from __future__ import annotations

import pytest

from mlrails.errors import UserError
from tests.components.conftest import document, judge, resource, statement, unsettled
from tests.components.sagemaker import api_requests

PROGRAM = """
import pulumi
from components.governance import ModelRegistry
from components.sagemaker import ModelEndpoint
from components.storage import EncryptedBucket
TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:4.1.0"
artifacts = EncryptedBucket("artifacts", {"purpose": "artifacts", "tags": TAGS})
pulumi.export("artifacts_key", artifacts.key_arn)
VARIANT = {
    "name": "main",
    "image": IMAGE,
    "model_data_url": artifacts.s3_uri("fraud/v41/model.tar.gz"),
    "model_data_kms_key_arn": artifacts.key_arn,
    "instance_type": "ml.m5.large",
}
"""


def build(program, endpoint_args: str, before: str = ""):
    source = PROGRAM + before + f'ModelEndpoint("fraud", {{**{endpoint_args}, "tags": TAGS}})\n'
    return program(source)


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
    plan = build(program, '{"variants": [VARIANT]}')
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
        build(program, '{"variants": [VARIANT]}', before='VARIANT.pop("model_data_kms_key_arn")\n')
    assert "`variants[0].model_data_kms_key_arn` is None" in str(error.value)
    assert "pass the key of the model data's bucket (e.g. artifacts.key_arn)" in str(error.value)


def test_sse_s3_model_data_is_an_explicit_choice_without_a_key_grant(program):
    plan = build(
        program,
        '{"variants": [VARIANT]}',
        before='VARIANT.pop("model_data_kms_key_arn")\n'
        'VARIANT["model_data_encrypted_with_s3_managed_key"] = True\n',
    )
    sids = [s["Sid"] for s in document(plan, "fraud-role-policy")["Statement"]]
    assert "ReadModelData" in sids and "DecryptModelData" not in sids


# --- F2: model package variants ----------------------------------------------------------


REGISTRY = """
registry = ModelRegistry("churn", {"tags": TAGS})
version = registry.register_version(
    "v7",
    {"image": IMAGE, "model_data_url": artifacts.s3_uri("churn/v7/model.tar.gz"),
     "approval_status": "Approved"},
)
PACKAGED = version.variant("main", instance_type="ml.m5.large",
                           model_data_kms_key_arn=artifacts.key_arn)
"""


def test_package_variant_role_reads_the_packages_data_and_pulls_its_image(program):
    """DG sagemaker-roles.md, "CreateModel API: Execution Role Permissions": the role reads the
    model artifacts and pulls the image (ecr:BatchGetImage, GetDownloadUrlForLayer,
    BatchCheckLayerAvailability on the repository; GetAuthorizationToken on *)."""
    plan = build(program, '{"variants": [PACKAGED]}', before=REGISTRY)
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
    plan = build(
        program,
        '{"variants": [{"name": "main", "model_package_arn": "arn:aws:sagemaker:us-east-1:'
        '123456789012:model-package/churn/7", "model_package_image": IMAGE, '
        '"model_package_without_model_data": True, "instance_type": "ml.m5.large"}]}',
    )
    sids = [s["Sid"] for s in document(plan, "fraud-role-policy")["Statement"]]
    assert "PullModelImages" in sids and "ReadModelData" not in sids


def test_package_variant_without_its_image_and_data_is_refused(program):
    with pytest.raises(UserError) as error:
        build(
            program,
            '{"variants": [{"name": "main", "model_package_arn": "arn:aws:sagemaker:us-east-1:'
            '123456789012:model-package/churn/7", "instance_type": "ml.m5.large"}]}',
        )
    message = str(error.value)
    assert "`variants[0].model_package_image` is None: the execution role could not pull" in message
    assert "`variants[0].model_package_model_data_url` is None" in message


# --- F6: the role may describe the rollback alarms -----------------------------------------


def test_role_describes_exactly_the_rollback_alarms_before_the_endpoint_uses_them(program):
    """DG deployment-guardrails-configuration.md: "Ensure that your IAM execution role has
    permission to perform the cloudwatch:DescribeAlarms action on the auto-rollback alarms"."""
    plan = build(
        program, '{"variants": [VARIANT], "extra_rollback_alarm_names": ["fraud-business-kpi"]}'
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
    plan = build(
        program,
        '{"variants": [{k: v for k, v in VARIANT.items() if k != "model_data_url"} | '
        '{"model_data_prefix": artifacts.s3_uri("ranker/v7/")}]}',
    )
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
            '{**VARIANT, "model_data_url": "s3://acme/ranker/v7/"}',
            "pass uncompressed model files under a prefix ending in / as model_data_prefix",
            id="prefix-given-as-url",
        ),
        pytest.param(
            '{**VARIANT, "model_data_encrypted_with_s3_managed_key": True}',
            "the model data is encrypted either with a customer key or with S3-managed keys",
            id="key-and-sse-s3",
        ),
        pytest.param(
            '{k: v for k, v in VARIANT.items() if k != "model_data_url"}',
            "there is no model data for the key to decrypt",
            id="key-without-data",
        ),
        pytest.param(
            '{**VARIANT, "model_package_image": IMAGE}',
            "only a model package variant has a package image or package model data",
            id="package-image-without-package",
        ),
        pytest.param(
            '{**VARIANT, "model_data_url": "s3://acme/ranker/v7/model.pkl"}',
            "ModelDataUrl must name one gzip-compressed tar archive (.tar.gz)",
            id="url-not-an-archive",
        ),
        pytest.param(
            '{**VARIANT, "model_data_prefix": "s3://acme/ranker/v7"}',
            "a variant's model data is one archive or one prefix",
            id="url-and-prefix",
        ),
        pytest.param(
            '{k: v for k, v in VARIANT.items() if k != "model_data_url"} | '
            '{"model_data_prefix": "s3://acme/ranker/v7"}',
            "an S3 prefix of model data ends with /",
            id="prefix-without-slash",
        ),
        pytest.param(
            '{"name": "main", "image": IMAGE, "serverless": {"memory_size_mb": 2048, '
            '"max_concurrency": 5}, "model_data_prefix": "s3://acme/ranker/v7/", '
            '"model_data_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k"}',
            "serverless endpoints take only compressed model data (no ModelDataSource)",
            id="prefix-on-serverless",
        ),
    ],
)
def test_model_data_form_errors(program, variant, fragment):
    with pytest.raises(UserError) as error:
        build(program, '{"variants": [' + variant + "]}")
    assert fragment in str(error.value)


# --- W1: the configuration a rollback returns to is never deleted ---------------------------

RECORD_RETAINED = """
def record(args):
    if args.opts is not None and args.opts.retain_on_delete:
        pulumi.log.warn(f"retained {args.name}")
pulumi.runtime.register_stack_transformation(record)
"""


def test_models_and_configurations_are_kept_when_replaced(program):
    """hashicorp/terraform-provider-aws#48997 and #46663 (open): after a SageMaker auto-rollback
    the endpoint resource records success and create-before-delete deletes the configuration
    still serving. Retaining models and configurations keeps the rollback target."""
    plan = build(program, '{"variants": [VARIANT]}', before=RECORD_RETAINED)
    assert sorted(w for w in plan.warnings if w.startswith("retained ")) == [
        "retained fraud-config",
        "retained fraud-main-model",
    ]


# --- W6: autoscaled variants restart at their initial count on every update -----------------


def test_autoscaling_without_accepting_the_rollout_capacity_drop_is_refused(program):
    """botocore UpdateEndpointInput.RetainAllVariantProperties: "The default is false";
    pulumi-aws cannot set it (hashicorp/terraform-provider-aws PR #49069, open)."""
    scaled = (
        '{"variants": [{**VARIANT, "autoscaling": {"min_instances": 2, "max_instances": 6, '
        '"target_invocations_per_instance": 100}}]}'
    )
    with pytest.raises(UserError) as error:
        build(program, scaled)
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
        '{"variants": [VARIANT], "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:a"]}',
    )
    config = resource(plan, "fraud-config")
    latency = resource(plan, "fraud-main-latency")
    assert latency.inputs["dimensions"]["EndpointConfigName"] == config.inputs["name"]
    assert config.urn in latency.dependencies
    findings = judge(plan)
    assert unsettled(findings, "sagemaker-endpoint-alarms") == []
    assert unsettled(findings, "sagemaker-safe-deployment") == []
