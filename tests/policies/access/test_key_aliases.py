"""A KMS request carries the key's aliases (kms:ResourceAliases, KMS developer guide,
conditions-kms.html): a grant written by alias, as EncryptedBucket.grant_read writes it, holds."""

from __future__ import annotations

import json

from tests.policies.conftest import R, messages, urn

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROOT = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "kms:*", "Resource": "*"}  # fmt: skip


def resources(alias_name: str) -> list[R]:
    key = R("aws:kms/key:Key", "artifacts-key", {"policy": json.dumps({"Statement": [ROOT]})})
    grant = {
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::models/*"},
            {"Effect": "Allow", "Action": "kms:Decrypt",
             "Resource": "arn:aws:kms:us-east-1:123456789012:key/*",
             "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/artifacts"},
                           "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
        ]
    }  # fmt: skip
    return [
        key,
        R("aws:kms/alias:Alias", "artifacts-alias",
          {"name": alias_name, "targetKeyId": KEY.rsplit("/", 1)[1]}, {"targetKeyId": [key.urn]}),
        R("aws:s3/bucket:Bucket", "models", {"bucket": "models"}),
        R("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "models-encryption",
          {"bucket": "models", "rules": [{"applyServerSideEncryptionByDefault": {
              "sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}]},
          {"rules": [key.urn]}),
        R("aws:iam/role:Role", "model-role", {"name": "model-role", "assumeRolePolicy": "{}"}),
        R("aws:iam/rolePolicy:RolePolicy", "model-role-policy",
          {"role": "model-role", "policy": json.dumps(grant)},
          {"role": [urn("aws:iam/role:Role", "model-role")]}),
        R("aws:sagemaker/model:Model", "model",
          {"executionRoleArn": "arn:aws:iam::123456789012:role/model-role",
           "primaryContainer": {"modelDataUrl": "s3://models/churn/model.tar.gz"}}),
    ]  # fmt: skip


def test_a_decrypt_grant_by_alias_holds_for_the_key_the_alias_names(judge):
    assert messages(judge("sagemaker-role-can-read-model", resources("alias/artifacts"))) == []


def test_a_decrypt_grant_by_another_alias_does_not(judge):
    found = messages(judge("sagemaker-role-can-read-model", resources("alias/other")))
    assert len(found) == 1 and "may not kms:Decrypt on key artifacts-key" in found[0]
