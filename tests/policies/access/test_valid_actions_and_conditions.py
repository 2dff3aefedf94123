"""iam-valid-actions-and-conditions against AWS's catalogue: one mutation per case."""

from __future__ import annotations

import json

import pytest

from tests.policies.conftest import R, messages

RULE = "iam-valid-actions-and-conditions"


def role_policy(*statements) -> R:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return R("aws:iam/rolePolicy:RolePolicy", "p", {"role": "r", "policy": json.dumps(document)})


VALID = [
    {"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com",
                                    "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b"}}},
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
     "Condition": {"StringLike": {"s3:prefix": "churn/*"}}},
    {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
     "Condition": {"StringEquals": {"cloudwatch:namespace": "mlrails/Monitoring"}}},
    {"Effect": "Allow", "Action": "sagemaker:CreateModelPackage", "Resource": "*",
     "Condition": {"StringEquals": {"sagemaker:ModelApprovalStatus": "Approved"}}},
    {"Effect": "Deny", "NotAction": "kms:Decrypt", "Resource": "*",
     "Condition": {"StringNotEquals": {"kms:CallerAccount": "111122223333"}}},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}},
]  # fmt: skip


def test_a_policy_of_real_actions_and_keys_passes(judge):
    assert messages(judge(RULE, [role_policy(*VALID)])) == []


CASES = [
    ("unknown-action", {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"},
     "'s3:GetObjects' is not an action of s3"),
    ("unknown-service", {"Effect": "Allow", "Action": "sagemakr:InvokeEndpoint", "Resource": "*"},
     "'sagemakr:InvokeEndpoint' names no AWS service"),
    ("wildcard-matching-nothing", {"Effect": "Allow", "Action": "s3:Fly*", "Resource": "*"},
     "'s3:Fly*' is not an action of s3"),
    ("approval-status-on-describe (W7)", {"Effect": "Allow", "Action": "sagemaker:DescribeModelPackage",
     "Resource": "*", "Condition": {"StringEquals": {"sagemaker:ModelApprovalStatus": "Approved"}}},
     "'sagemaker:ModelApprovalStatus' does not apply to sagemaker:DescribeModelPackage"),
    ("prefix-on-get-object", {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
     "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "churn/*"}}},
     "'s3:prefix' does not apply to s3:GetObject"),
    ("misspelt-operator", {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"StringEqual": {"aws:SourceAccount": "1"}}},
     "'StringEqual' is not an IAM condition operator"),
    ("unknown-key-with-not-action", {"Effect": "Deny", "NotAction": "kms:Decrypt", "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaServices": "x"}}},
     "condition key 'kms:ViaServices' is not a key of kms"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("statement", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_invalid_action_or_condition_is_named(judge, statement, fragment):
    found = messages(judge(RULE, [role_policy(*VALID, statement)]))
    assert len(found) == 1 and fragment in found[0], found


def test_key_bucket_and_topic_policies_and_trust_policies_are_judged(judge):
    bad = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                     "Action": "kms:Decrypts", "Resource": "*"}]})  # fmt: skip
    resources = [
        R("aws:kms/key:Key", "k", {"policy": bad}),
        R("aws:s3/bucketPolicy:BucketPolicy", "b", {"bucket": "b", "policy": bad}),
        R("aws:sns/topicPolicy:TopicPolicy", "t", {"arn": "x", "policy": bad}),
        R("aws:iam/role:Role", "r", {"assumeRolePolicy": bad}),
    ]
    assert {f.urn.rsplit("::", 1)[1] for f in judge(RULE, resources)} == {"k", "b", "t", "r"}
