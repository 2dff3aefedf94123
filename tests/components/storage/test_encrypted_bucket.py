"""EncryptedBucket: children, policies, grants, validation, preview, and the storage rules."""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws
import pytest

from mlrails.errors import UserError
from mlrails.plan import is_unknown
from mlrails_components.storage import EncryptedBucket
from tests.components.conftest import (
    TAGS,
    children,
    document,
    judge,
    resource,
    statement,
    violations,
)


def source(args=None, grant=None, opts=None, name="store"):
    """The program: EncryptedBucket `name` with TAGS and `args`, a role `reader`, and
    `grant(store, role)` when given."""

    def build():
        store = EncryptedBucket(name, {**(args or {}), "tags": TAGS}, opts)
        role = aws.iam.Role(
            "reader",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}),
            tags=TAGS,
        )
        if grant is not None:
            grant(store, role)

    return build


STORAGE_RULES = [
    "s3-bucket-encrypted-kms",
    "s3-bucket-public-access-blocked",
    "s3-bucket-tls-only",
    "s3-bucket-versioning",
    "kms-key-rotation",
    "iam-no-admin-policies",
    "required-tags",
]


def test_children_are_the_bucket_and_its_split_settings(program):
    plan = program(source())
    assert sorted(children(plan, "store")) == sorted(
        [
            ("aws:kms/key:Key", "store-key"),
            ("aws:kms/alias:Alias", "store-key-alias"),
            ("aws:s3/bucket:Bucket", "store-bucket"),
            ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "store-ownership"),
            ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "store-public-access-block"),
            (
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "store-encryption",
            ),
            ("aws:s3/bucketVersioning:BucketVersioning", "store-versioning"),
            ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "store-lifecycle"),
            ("aws:s3/bucketPolicy:BucketPolicy", "store-policy"),
        ]
    )
    assert re.fullmatch(
        r"alias/store-key-[0-9a-f]{7}", resource(plan, "store-key-alias").inputs["name"]
    )


def test_the_key_alias_differs_per_stack(program):
    """KMS: "The alias must be unique in the account and Region" (botocore kms CreateAlias), and
    dev, staging and prod of one program often share both."""
    aliases = {
        resource(program(source(), stack=stack), "store-key-alias").inputs["name"]
        for stack in ("dev", "staging", "prod")
    }
    assert len(aliases) == 3


def test_secure_defaults_in_the_settings(program):
    plan = program(source())
    bucket = resource(plan, "store-bucket").inputs
    assert bucket["forceDestroy"] is False and bucket["bucket"].startswith("store-bucket-")
    block = resource(plan, "store-public-access-block").inputs
    assert all(
        block[f] is True
        for f in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    rule = resource(plan, "store-encryption").inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith("arn:aws:kms:")
    assert rule["bucketKeyEnabled"] is True
    assert resource(plan, "store-versioning").inputs["versioningConfiguration"] == {
        "status": "Enabled"
    }
    assert resource(plan, "store-ownership").inputs["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"
    }
    key_policy = document(plan, "store-key")
    assert statement(key_policy, "ServiceUseS3")["Principal"] == {"Service": "s3.amazonaws.com"}


def test_bucket_policy_denies_plain_http_old_tls_and_other_keys(program):
    plan = program(source())
    policy = document(plan, "store-policy")
    bucket = "arn:aws:s3:::" + resource(plan, "store-bucket").inputs["bucket"]
    key = resource(plan, "store-encryption").inputs["rules"][0][
        "applyServerSideEncryptionByDefault"
    ]["kmsMasterKeyId"]
    assert statement(policy, "DenyInsecureTransport") == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket, f"{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    assert statement(policy, "DenyOutdatedTls")["Condition"] == {
        "NumericLessThan": {"s3:TlsVersion": "1.2"}
    }
    assert statement(policy, "DenyObjectsEncryptedWithAnotherKey")["Condition"] == {
        "StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key},
        "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "false"},
    }
    # Written after the public access block, so it can never be judged public on its own.
    assert (
        resource(plan, "store-public-access-block").urn
        in resource(plan, "store-policy").dependencies
    )


def test_lifecycle_keeps_capture_data_at_least_the_retention_floor(program):
    rules = resource(program(source({"purpose": "capture"})), "store-lifecycle").inputs["rules"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["expire-after-retention"]["expiration"] == {"days": 400}
    assert by_id["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {
        "noncurrentDays": 90
    }
    assert by_id["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"] == {
        "daysAfterInitiation": 7
    }
    artifacts = resource(program(source({"purpose": "artifacts"})), "store-lifecycle").inputs[
        "rules"
    ]
    assert "expire-after-retention" not in {r["id"] for r in artifacts}  # models are kept


KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0c6a4a41-5f1e-4f43-9d2c-1a2b3c4d5e6f"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
SSE = "s3:x-amz-server-side-encryption"
SSE_KEY = "s3:x-amz-server-side-encryption-aws-kms-key-id"
TLS = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}


@pytest.mark.parametrize(
    ("headers", "refused_by"),
    [
        pytest.param({}, [], id="default-encryption-no-headers"),
        pytest.param({SSE: "aws:kms", SSE_KEY: KEY_ARN}, [], id="this-key-by-arn"),
        pytest.param({SSE: "AES256"}, ["DenyObjectsNotEncryptedWithKms"], id="sse-s3-asked-for"),
        pytest.param(
            {SSE: "aws:kms", SSE_KEY: OTHER_KEY},
            ["DenyObjectsEncryptedWithAnotherKey"],
            id="another-kms-key",
        ),
        pytest.param(
            {SSE: "aws:kms"},
            ["DenyObjectsEncryptedWithTheAwsManagedKey"],
            id="kms-without-key-id-means-aws-s3-key",
        ),
    ],
)
def test_bucket_policy_refuses_only_uploads_that_ask_for_another_encryption(headers, refused_by):
    """K2: uploads relying on the bucket's default encryption (aws s3 cp, SDK uploads, UploadPart
    of a multipart upload, which carries no SSE headers) pass; a request asking for SSE-S3,
    another key, or SSE-KMS without a key id (S3 then uses aws/s3: botocore s3
    PutObjectRequest.SSEKMSKeyId) is refused. Decided with IAM's condition semantics
    (tests/components/storage/conditions.py cites them)."""
    from mlrails_components.storage.bucket_policies import bucket_policy
    from tests.components.storage.conditions import denied

    policy = json.loads(bucket_policy("arn:aws:s3:::store", KEY_ARN))
    context = {**TLS, **headers}
    assert denied(policy, "s3:PutObject", "arn:aws:s3:::store/models/m.tar.gz", context) == (
        refused_by
    )


def test_bucket_policy_still_refuses_plain_http_and_old_tls():
    from mlrails_components.storage.bucket_policies import bucket_policy
    from tests.components.storage.conditions import denied

    policy = json.loads(bucket_policy("arn:aws:s3:::store", KEY_ARN))
    upload = ("s3:PutObject", "arn:aws:s3:::store/a")
    assert denied(policy, *upload, {"aws:SecureTransport": "false", "s3:TlsVersion": "1.3"}) == [
        "DenyInsecureTransport"
    ]
    assert denied(policy, *upload, {"aws:SecureTransport": "true", "s3:TlsVersion": "1.1"}) == [
        "DenyOutdatedTls"
    ]


def test_the_evaluator_reproduces_the_ifexists_refusal_of_default_encryption():
    """The former statement (StringNotEqualsIfExists on the key id header) refused every upload
    without the header: the evaluator must see that, or the test above proves nothing."""
    from tests.components.storage.conditions import denied

    former = {
        "Statement": [
            {
                "Sid": "Former",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::store/*",
                "Condition": {"StringNotEqualsIfExists": {SSE_KEY: KEY_ARN}},
            }
        ]
    }
    assert denied(former, "s3:PutObject", "arn:aws:s3:::store/a", dict(TLS)) == ["Former"]


def test_reader_accounts_may_get_objects_under_their_prefixes_and_decrypt_through_s3(program):
    """W7. Deploying a registered model from another account reads its model data with that
    account's role: the bucket policy must allow it (IAM UG, cross-account policy evaluation) and
    the key policy must allow its account (KMS DG, key-policy-modifying-external-accounts)."""
    plan = program(
        source({"reader_account_ids": ["210987654321"], "reader_prefixes": ["churn/", "demand"]})
    )
    bucket = "arn:aws:s3:::" + resource(plan, "store-bucket").inputs["bucket"]
    policy = document(plan, "store-policy")
    reader = {"AWS": ["arn:aws:iam::210987654321:root"]}
    assert statement(policy, "ReaderAccountsGetObjects") == {
        "Sid": "ReaderAccountsGetObjects",
        "Effect": "Allow",
        "Principal": reader,
        "Action": ["s3:GetObject", "s3:GetObjectVersion"],
        "Resource": [f"{bucket}/churn/*", f"{bucket}/demand/*"],
    }
    listing = statement(policy, "ReaderAccountsList")
    assert listing["Principal"] == reader and listing["Resource"] == bucket
    assert listing["Condition"] == {
        "StringLike": {"s3:prefix": ["churn", "churn/*", "demand", "demand/*"]}
    }
    key = statement(document(plan, "store-key"), "ReaderAccountsDecryptThroughS3")
    assert key["Principal"] == reader and key["Action"] == "kms:Decrypt"
    assert key["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}


def test_without_reader_accounts_no_other_account_is_named(program):
    plan = program(source())
    for name in ("store-policy", "store-key"):
        assert "210987654321" not in json.dumps(document(plan, name))
        assert "ReaderAccounts" not in json.dumps(document(plan, name))


def test_grants_are_least_privilege_on_the_prefix_and_the_key_through_s3(program):
    plan = program(
        source(
            grant=lambda store, role: (
                store.grant_read(role, prefix="models/fraud"),
                store.grant_write(role, prefix="capture", name="writer"),
            )
        )
    )
    bucket = "arn:aws:s3:::" + resource(plan, "store-bucket").inputs["bucket"]
    read = document(plan, "store-read-reader")
    assert (
        resource(plan, "store-read-reader").inputs["role"]
        == resource(plan, "reader").inputs["name"]
    )
    assert statement(read, "Objects") == {
        "Sid": "Objects",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:GetObjectVersion"],
        "Resource": f"{bucket}/models/fraud/*",
    }
    assert statement(read, "ListObjects")["Condition"] == {
        "StringLike": {"s3:prefix": ["models/fraud/*", "models/fraud"]}
    }
    key = statement(read, "KeyThroughS3")
    assert key["Action"] == ["kms:Decrypt"]
    assert key["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
        "ForAnyValue:StringEquals": {
            "kms:ResourceAliases": resource(plan, "store-key-alias").inputs["name"]
        },
    }
    write = document(plan, "store-write-writer")
    assert statement(write, "Objects")["Action"] == ["s3:PutObject", "s3:AbortMultipartUpload"]
    assert statement(write, "KeyThroughS3")["Action"] == [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
    ]
    assert "ListObjects" not in {s["Sid"] for s in write["Statement"]}


def test_existing_key_is_used_and_named_by_arn_in_grants(program):
    arn = "arn:aws:kms:us-east-1:123456789012:key/0000-existing"
    plan = program(source({"kms_key_arn": arn}, grant=lambda store, role: store.grant_read(role)))
    assert ("aws:kms/key:Key", "store-key") not in children(plan, "store")
    assert statement(document(plan, "store-read-reader"), "KeyThroughS3")["Resource"] == arn


def test_outputs_and_s3_uri(program):
    uris = []
    plan = program(source(grant=lambda store, _: store.s3_uri("/models/x").apply(uris.append)))
    bucket = resource(plan, "store-bucket").inputs["bucket"]
    assert bucket.startswith("store-bucket-") and uris == [f"s3://{bucket}/models/x"]


def test_grant_for_a_role_given_by_name_needs_a_label(program):
    with pytest.raises(
        UserError, match="grant_read got role 'analyst', a name or ARN, so it needs `name=`"
    ):
        program(source(grant=lambda store, _: store.grant_read("analyst")))


def test_preview_mode_keeps_grants_known_and_the_key_arn_unknown(program):
    plan = program(source(grant=lambda store, role: store.grant_read(role)), mode="preview")
    assert statement(document(plan, "store-read-reader"), "KeyThroughS3")
    assert is_unknown(resource(plan, "store-policy").inputs["policy"])
    encryption = resource(plan, "store-encryption").inputs["rules"][0]
    assert is_unknown(encryption["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"])


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_component_passes_every_storage_rule(program, mode):
    findings = judge(
        program(source(grant=lambda store, role: store.grant_read_write(role)), mode=mode)
    )
    assert violations(findings) == []
    undecided = [
        (f.policy, f.urn.rsplit("::", 1)[1]) for f in findings if f.status == "not_evaluated"
    ]
    assert undecided == ([] if mode == "resolved" else [("s3-bucket-tls-only", "store-bucket")])


# Each secure default, switched off by an SDK transformation, makes its rule fail:
# rule -> (the type of the child changed, the input and the value it is set to).
OFF = {
    "s3-bucket-public-access-blocked": (
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "ignore_public_acls",
        False,
    ),
    "s3-bucket-versioning": (
        "aws:s3/bucketVersioning:BucketVersioning",
        "versioning_configuration",
        {"status": "Suspended"},
    ),
    "s3-bucket-encrypted-kms": (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "rules",
        [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
    ),
    "s3-bucket-tls-only": (
        "aws:s3/bucketPolicy:BucketPolicy",
        "policy",
        json.dumps({"Statement": []}),
    ),
    "kms-key-rotation": ("aws:kms/key:Key", "enable_key_rotation", False),
}


@pytest.mark.parametrize("rule", sorted(OFF))
def test_each_secure_default_turned_off_fails_its_rule(program, rule):
    type_, key, value = OFF[rule]

    def weaken(args: pulumi.ResourceTransformationArgs):
        if args.type_ == type_:
            args.props[key] = value
        return pulumi.ResourceTransformationResult(args.props, args.opts)

    opts = pulumi.ResourceOptions(transformations=[weaken])
    failing = {f.policy for f in violations(judge(program(source(opts=opts))))}
    assert failing == {rule}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            {"purpose": "capture", "retention_days": 30},
            "`retention_days` is 30: capture data must be kept at least 183 days (six months: EU AI Act Art. 19 and 26(6))",
        ),
        (
            {"purpose": "ml"},
            "`purpose` is 'ml': unknown purpose; use one of artifacts, capture, monitoring, data",
        ),
        (
            {"bucket_name": "My_Bucket"},
            "`bucket_name` is 'My_Bucket': S3 bucket names are 3-63 lowercase",
        ),
        ({"noncurrent_version_retention_days": 0}, "`noncurrent_version_retention_days` is 0"),
        (
            {"retention_days": "forever"},
            "`retention_days` is 'forever': input should be a valid integer",
        ),
        (
            {"reader_account_ids": ["2109876543"]},
            "`reader_account_ids` is '2109876543': an AWS account id is 12 digits",
        ),
        (
            {
                "reader_account_ids": ["210987654321"],
                "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
            },
            "other accounts also need kms:Decrypt in the key policy",
        ),
        (
            {"reader_prefixes": ["churn/"]},
            "`reader_prefixes` is ['churn/']: prefixes limit what reader_account_ids read",
        ),
    ],
    ids=[
        "capture-kept-30-days",
        "unknown-purpose",
        "bucket-name-not-dns",
        "noncurrent-retention-zero",
        "retention-not-a-number",
        "account-id-10-digits",
        "readers-with-a-given-key",
        "prefixes-without-readers",
    ],
)
def test_each_invalid_argument_is_reported(program, args, fragment):
    with pytest.raises(UserError) as err:
        program(source(args))
    assert "EncryptedBucket 'store'" in str(err.value) and fragment in str(err.value)


def test_a_name_that_cannot_auto_name_a_bucket_is_reported(program):
    with pytest.raises(
        UserError, match="the bucket would be auto-named Store-bucket-xxxxxxx, which S3 rejects"
    ):
        program(source(name="Store"))


def test_outputs_pass_through_unchecked(program):
    plan = program(
        lambda: EncryptedBucket(
            "store",
            {"bucket_name": pulumi.Output.from_input("acme-models"), "retention_days": 30},
        )
    )
    assert resource(plan, "store-bucket").inputs["bucket"] == "acme-models"


def test_production_stacks_protect_the_bucket_and_its_key_unless_opted_out(program):
    protected = program(source(), stack="prod")
    assert resource(protected, "store-bucket").protect and resource(protected, "store-key").protect
    assert not resource(program(source(), stack="dev"), "store-bucket").protect
    opted_out = program(source({"allow_deleting_production_data": True}), stack="prod")
    assert not resource(opted_out, "store-bucket").protect


def test_access_logging_targets_the_log_bucket(program):
    plan = program(source({"access_log_bucket": "acme-access-logs"}))
    logging = resource(plan, "store-access-logging").inputs
    assert logging["targetBucket"] == "acme-access-logs" and logging["targetPrefix"] == "store/"
