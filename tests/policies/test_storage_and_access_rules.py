"""S3, KMS, SNS, IAM and tag rules: a compliant baseline, then one mutation per test."""

from __future__ import annotations

import json

import pytest

from tests.policies.conftest import UNKNOWN, R, messages, only

KEY = "arn:aws:kms:us-east-1:123456789012:key/1111"
TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}
BUCKET = "aws:s3/bucket:Bucket"


def tls_policy(bucket="artifacts-1234567"):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def store(bucket_ref="artifacts-1234567", deps=False, **replace):
    """A bucket and its four settings; `replace` swaps a setting (None removes it)."""
    bucket = R(BUCKET, "artifacts", {"bucket": "artifacts-1234567", "tags": TAGS})
    link = {"bucket": [bucket.urn]} if deps else {}
    settings = {
        "encryption": R(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "artifacts-encryption",
            {
                "bucket": bucket_ref,
                "rules": [
                    {
                        "applyServerSideEncryptionByDefault": {
                            "sseAlgorithm": "aws:kms",
                            "kmsMasterKeyId": KEY,
                        },
                        "bucketKeyEnabled": True,
                    }
                ],
            },
            link,
        ),
        "block": R(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "artifacts-block",
            {
                "bucket": bucket_ref,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            link,
        ),
        "policy": R(
            "aws:s3/bucketPolicy:BucketPolicy",
            "artifacts-policy",
            {"bucket": bucket_ref, "policy": tls_policy()},
            link,
        ),
        "versioning": R(
            "aws:s3/bucketVersioning:BucketVersioning",
            "artifacts-versioning",
            {"bucket": bucket_ref, "versioningConfiguration": {"status": "Enabled"}},
            link,
        ),
    }
    for name, value in replace.items():
        if value is None:
            settings.pop(name)
        else:
            settings[name] = R(
                settings[name].type, settings[name].name, {**settings[name].inputs, **value}, link
            )
    return [bucket, *settings.values()]


S3_RULES = [
    "s3-bucket-encrypted-kms",
    "s3-bucket-public-access-blocked",
    "s3-bucket-tls-only",
    "s3-bucket-versioning",
]


@pytest.mark.parametrize("rule", S3_RULES)
def test_a_fully_configured_bucket_passes(judge, rule):
    assert judge(rule, store()) == []


@pytest.mark.parametrize("rule", S3_RULES)
def test_settings_linked_by_dependency_hold_when_the_bucket_name_is_unknown(judge, rule):
    assert judge(rule, store(bucket_ref=UNKNOWN, deps=True)) == []


@pytest.mark.parametrize(
    ("rule", "setting", "fragment"),
    [
        ("s3-bucket-encrypted-kms", "encryption", "no SSE-KMS default encryption"),
        ("s3-bucket-public-access-blocked", "block", "no public access block"),
        ("s3-bucket-tls-only", "policy", "does not deny requests without TLS"),
        ("s3-bucket-versioning", "versioning", "versioning is not Enabled"),
    ],
)
def test_a_bucket_without_the_setting_is_a_violation(judge, rule, setting, fragment):
    finding = only(judge(rule, store(**{setting: None})))
    assert finding.urn.endswith("::artifacts") and fragment in finding.message


@pytest.mark.parametrize("rule", S3_RULES)
def test_settings_of_another_bucket_do_not_count(judge, rule):
    assert len(judge(rule, store(bucket_ref="someone-elses-bucket"))) == 1


def test_aes256_encryption_is_not_kms(judge):
    aes = {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
    assert "no SSE-KMS" in only(judge("s3-bucket-encrypted-kms", store(encryption=aes))).message


def test_aws_managed_kms_key_passes_only_when_customer_keys_are_not_required(judge):
    managed = {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}
    assert (
        "customer key" in only(judge("s3-bucket-encrypted-kms", store(encryption=managed))).message
    )
    relaxed = {"s3-bucket-encrypted-kms": {"require_customer_key": False}}
    assert judge("s3-bucket-encrypted-kms", store(encryption=managed), relaxed) == []


def test_public_access_block_with_one_flag_off_names_it(judge):
    finding = only(
        judge("s3-bucket-public-access-blocked", store(block={"ignorePublicAcls": False}))
    )
    assert "leaves ignorePublicAcls off" in finding.message


def test_account_wide_block_covers_every_bucket(judge):
    account = R(
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
        "account",
        {
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
    )
    assert judge("s3-bucket-public-access-blocked", [*store(block=None), account]) == []


def test_policy_document_unknown_in_a_preview_is_not_evaluated(judge):
    finding = only(judge("s3-bucket-tls-only", store(policy={"policy": UNKNOWN})))
    assert finding.status == "not_evaluated" and finding.urn.endswith("::artifacts")
    assert "bucket policy document can't be known" in finding.message


def test_suspended_versioning_is_a_violation(judge):
    suspended = {"versioningConfiguration": {"status": "Suspended"}}
    assert len(judge("s3-bucket-versioning", store(versioning=suspended))) == 1


# --- kms-key-rotation and sns-topic-encrypted ----------------------------------------------


def key(**inputs):
    return R("aws:kms/key:Key", "data-key", {"enableKeyRotation": True, "tags": TAGS, **inputs})


def test_rotating_key_passes(judge):
    assert judge("kms-key-rotation", [key()]) == []


def test_key_without_rotation_is_a_violation(judge):
    assert (
        "rotation is off" in only(judge("kms-key-rotation", [key(enableKeyRotation=False)])).message
    )


def test_asymmetric_key_cannot_rotate_and_is_not_judged(judge):
    assert (
        judge("kms-key-rotation", [key(enableKeyRotation=False, customerMasterKeySpec="RSA_2048")])
        == []
    )


def test_unknown_rotation_is_not_evaluated(judge):
    assert (
        only(judge("kms-key-rotation", [key(enableKeyRotation=UNKNOWN)])).status == "not_evaluated"
    )


@pytest.mark.parametrize("field", ["customerMasterKeySpec", "keySpec"])
def test_unknown_key_spec_is_not_evaluated(judge, field):
    finding = only(judge("kms-key-rotation", [key(enableKeyRotation=False, **{field: UNKNOWN})]))
    assert finding.status == "not_evaluated" and "the key spec can't be known" in finding.message


def test_key_spec_is_read_when_the_legacy_spec_is_absent(judge):
    assert judge("kms-key-rotation", [key(enableKeyRotation=False, keySpec="HMAC_256")]) == []
    symmetric = key(enableKeyRotation=False, keySpec="SYMMETRIC_DEFAULT")
    assert "rotation is off" in only(judge("kms-key-rotation", [symmetric])).message


def test_topic_with_key_passes_and_without_is_advisory(judge):
    topic = R("aws:sns/topic:Topic", "alerts", {"kmsMasterKeyId": KEY, "tags": TAGS})
    assert judge("sns-topic-encrypted", [topic]) == []
    bare = R("aws:sns/topic:Topic", "alerts", {"tags": TAGS})
    assert only(judge("sns-topic-encrypted", [bare])).enforcement == "advisory"


# --- iam-no-admin-policies -----------------------------------------------------------------


def policy(*statements):
    return R(
        "aws:iam/policy:Policy",
        "model-access",
        {"policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})},
    )


READ_MODEL = {
    "Effect": "Allow",
    "Action": ["s3:GetObject"],
    "Resource": "arn:aws:s3:::artifacts/models/*",
}


def test_least_privilege_policy_passes(judge):
    assert judge("iam-no-admin-policies", [policy(READ_MODEL)]) == []


def test_star_action_is_a_violation(judge):
    finding = only(
        judge(
            "iam-no-admin-policies", [policy({"Effect": "Allow", "Action": "*", "Resource": "*"})]
        )
    )
    assert "allows every action" in finding.message and finding.enforcement == "mandatory"


def test_service_wildcard_on_every_resource_is_a_violation(judge):
    wide = {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"}
    assert "s3:* on every resource" in only(judge("iam-no-admin-policies", [policy(wide)])).message


def test_service_wildcard_on_one_bucket_and_denies_are_accepted(judge):
    scoped = {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::scratch/*"}
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    assert judge("iam-no-admin-policies", [policy(scoped, deny)]) == []


@pytest.mark.parametrize(
    "managed", ["AdministratorAccess", "AmazonSageMakerFullAccess", "PowerUserAccess"]
)
def test_admin_or_full_access_managed_policies_are_violations(judge, managed):
    arn = f"arn:aws:iam::aws:policy/{managed}"
    role = R(
        "aws:iam/role:Role",
        "model-role",
        {"assumeRolePolicy": "{}", "managedPolicyArns": [arn], "tags": TAGS},
    )
    attachment = R(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "attach",
        {"role": "model-role", "policyArn": arn},
    )
    assert managed in only(judge("iam-no-admin-policies", [role])).message
    assert managed in only(judge("iam-no-admin-policies", [attachment])).message


def test_inline_role_policy_with_star_is_a_violation(judge):
    inline = {
        "name": "everything",
        "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    }
    role = R(
        "aws:iam/role:Role", "model-role", {"assumeRolePolicy": "{}", "inlinePolicies": [inline]}
    )
    assert "inline policy everything" in only(judge("iam-no-admin-policies", [role])).message


def test_inline_policy_with_an_unknown_name_is_still_judged(judge):
    inline = {
        "name": UNKNOWN,
        "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    }
    role = R(
        "aws:iam/role:Role", "model-role", {"assumeRolePolicy": "{}", "inlinePolicies": [inline]}
    )
    finding = only(judge("iam-no-admin-policies", [role]))
    assert "allows every action" in finding.message


def test_unknown_policy_document_is_not_evaluated(judge):
    unknown = R("aws:iam/rolePolicy:RolePolicy", "inline", {"role": "r", "policy": UNKNOWN})
    assert only(judge("iam-no-admin-policies", [unknown])).status == "not_evaluated"


# --- required-tags -------------------------------------------------------------------------


def test_resources_with_the_required_tags_pass(judge):
    assert judge("required-tags", [key(), R(BUCKET, "b", {"tags": TAGS})]) == []


def test_missing_tags_are_listed(judge):
    finding = only(judge("required-tags", [R(BUCKET, "b", {"tags": {"owner": "ml"}})]))
    assert finding.message == "missing required tag(s): cost-center, data-classification"


def test_a_taggable_resource_without_any_tags_is_judged(judge):
    assert len(judge("required-tags", [R(BUCKET, "b", {})])) == 1


def test_untaggable_resources_are_not_judged(judge):
    assert (
        judge(
            "required-tags",
            [R("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "b", "policy": "{}"})],
        )
        == []
    )


def test_required_tags_option_and_native_tag_lists(judge):
    options = {"required-tags": {"required_tags": ["team"]}}
    native = R(
        "aws-native:sagemaker:ModelPackageGroup", "g", {"tags": [{"key": "team", "value": "fraud"}]}
    )
    assert judge("required-tags", [native], options) == []
    assert messages(judge("required-tags", [key()], options)) == ["missing required tag(s): team"]


@pytest.mark.parametrize(
    "type_",
    [
        "aws:lambda/function:Function",
        "aws:dynamodb/table:Table",
        "aws:sfn/stateMachine:StateMachine",
        "aws:eks/cluster:Cluster",
        "aws:ecs/cluster:Cluster",
        "aws:ec2/vpc:Vpc",
        "aws:kinesis/stream:Stream",
        "aws:s3/bucketV2:BucketV2",
    ],
    ids=lambda t: t.rsplit(":", 1)[-1],
)
def test_every_type_the_sdk_declares_taggable_is_judged_without_tags(judge, type_):
    assert messages(judge("required-tags", [R(type_, "r", {})])) == [
        "missing required tag(s): owner, cost-center, data-classification"
    ]


def test_types_the_sdk_declares_without_tags_are_not_judged(judge):
    attachment = R("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", {"role": "r"})
    assert judge("required-tags", [attachment]) == []


def test_untagged_types_can_be_allowed_by_pattern(judge):
    options = {"required-tags": {"untagged_types_allowed": ["aws:ec2/*"]}}
    resources = [R("aws:ec2/vpc:Vpc", "net", {}), R("aws:sqs/queue:Queue", "q", {})]
    assert [f.urn for f in judge("required-tags", resources, options)] == [resources[1].urn]
