"""The S3, KMS, SNS and IAM readers of `mlrails audit`, against a real AWS API emulator: the
records they make are the ones the rules judge in a program, verdicts come out by rule and
ARN, and a read that fails leaves exactly the verdicts that needed it not evaluated."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from bench.emulator import moto_server
from mlrails.audit.clients import Clients, local_control_host
from mlrails.audit.readers import iam, kms, s3
from mlrails.audit.scan import Scan
from tests.audit.conftest import ACCOUNT, REGION, outside_the_allow_list
from tests.audit.fault_proxy import Fault

TAGS = {"owner": "ml-team", "cost-center": "cc-1", "data-classification": "internal"}
TAG_LIST = [{"Key": k, "Value": v} for k, v in TAGS.items()]


def trust(service):
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return {"Version": "2012-10-17", "Statement": [statement]}


SAGEMAKER_TRUST = trust("sagemaker.amazonaws.com")
LAMBDA_TRUST = trust("lambda.amazonaws.com")
ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess"
FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
# Rules of other services judge the (empty) SageMaker side of the account; these are ours.
RULES = {
    "s3-bucket-encrypted-kms",
    "s3-bucket-public-access-blocked",
    "s3-bucket-tls-only",
    "s3-bucket-versioning",
    "kms-key-rotation",
    "sns-topic-encrypted",
    "iam-no-admin-policies",
    "required-tags",
}


@pytest.fixture(scope="module")
def moto_url():
    """This module's own emulator, with AWS's managed policies loaded: AdministratorAccess must
    exist to be attached, and the shared emulator starts without them."""
    with moto_server(MOTO_IAM_LOAD_MANAGED_POLICIES="true") as server:
        yield server.url


def audit(cli, url, *extra):
    # One attempt per call: the emulator answers at once, and the SageMaker operations it lacks
    # would otherwise be retried for seconds.
    return cli(
        "audit", "--region", REGION, "--endpoint-url", url, "--max-attempts", "1",
        "--format", "json", *extra,
    )  # fmt: skip


def findings(document, *, evaluated=True):
    """{(rule, ARN)} of this module's rules: violations, or those not evaluated (leaving out
    what the emulator's missing SageMaker listings leave unevaluated)."""
    return {
        (f["policy"], f["urn"])
        for f in document["violations"]
        if f["policy"] in RULES
        and f["message"].startswith("not evaluated: ") != evaluated
        and "sagemaker:" not in f["message"]
    }


def message(document, rule, urn):
    (found,) = [
        f["message"] for f in document["violations"] if (f["policy"], f["urn"]) == (rule, urn)
    ]
    return found


def bucket_arn(name):
    return f"arn:aws:s3:::{name}"


def tls_only(name):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "TLSOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket_arn(name), f"{bucket_arn(name)}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def allow_account(name):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "s3:GetObject",
                    "Resource": f"{bucket_arn(name)}/*",
                }
            ],
        }
    )


def create_bucket(
    aws,
    name,
    *,
    sse=None,
    key=None,
    flags=(),
    policy=None,
    versioning=None,
    tags=TAGS,
    region=REGION,
):
    client = aws("s3")
    if region == "us-east-1":
        client.create_bucket(Bucket=name)
    else:
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    if sse:
        default = {"SSEAlgorithm": sse, **({"KMSMasterKeyID": key} if key else {})}
        client.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}]
            },
        )
    if flags:
        client.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration={f: f in flags for f in FLAGS}
        )
    if policy:
        client.put_bucket_policy(Bucket=name, Policy=policy)
    if versioning:
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning})
    if tags:
        client.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
        )


def create_key(aws, *, rotation=False, **spec):
    client = aws("kms")
    key = client.create_key(Tags=[{"TagKey": k, "TagValue": v} for k, v in TAGS.items()], **spec)
    if rotation:
        client.enable_key_rotation(KeyId=key["KeyMetadata"]["KeyId"])
    return key["KeyMetadata"]


def create_role(aws, name, *, trust=SAGEMAKER_TRUST, attached=(), inline=None):
    """A role; `inline` is the one statement of its inline policy."""
    client = aws("iam")
    role = client.create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), Tags=TAG_LIST
    )["Role"]
    for policy_arn in attached:
        client.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    if inline is not None:
        document = {"Version": "2012-10-17", "Statement": [inline]}
        client.put_role_policy(
            RoleName=name, PolicyName=f"{name}-inline", PolicyDocument=json.dumps(document)
        )
    return role["Arn"]


def create_policy(aws, name, statement):
    document = {"Version": "2012-10-17", "Statement": [statement]}
    return aws("iam").create_policy(
        PolicyName=name, PolicyDocument=json.dumps(document), Tags=TAG_LIST
    )["Policy"]["Arn"]


def control(aws):
    """An S3 Control client on the emulator, addressed the way the audit addresses it."""
    client = aws("s3control")
    client.meta.events.register("before-sign.s3-control.*", local_control_host)
    return client


def allow(action, resource):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


@pytest.fixture
def storage_account(aws):
    """Compliant and non-compliant buckets, keys, topics and SageMaker roles, plus resources
    the audit must leave out (another region's bucket, a key being deleted, a Lambda role)."""
    keys = {
        "rotating": create_key(aws, rotation=True),
        "static": create_key(aws, Description="no rotation"),
        "signing": create_key(aws, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY"),
        "imported": create_key(aws, Origin="EXTERNAL"),
        "doomed": create_key(aws),
    }
    aws("kms").schedule_key_deletion(KeyId=keys["doomed"]["KeyId"], PendingWindowInDays=7)

    secure = {"flags": FLAGS, "versioning": "Enabled"}
    create_bucket(
        aws,
        "models-secure",
        sse="aws:kms",
        key=keys["rotating"]["Arn"],
        **secure,
        policy=tls_only("models-secure"),
    )
    create_bucket(aws, "models-aws-key", sse="aws:kms", **secure, policy=tls_only("models-aws-key"))
    create_bucket(aws, "models-plain", tags=None)
    create_bucket(
        aws,
        "models-partial",
        sse="AES256",
        flags=("BlockPublicAcls", "IgnorePublicAcls"),
        policy=allow_account("models-partial"),
        versioning="Suspended",
    )
    create_bucket(aws, "models-elsewhere", region="eu-west-1")
    # One flag only: recorded, and it covers no bucket.
    control(aws).put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={f: f == "BlockPublicAcls" for f in FLAGS},
    )

    sns = aws("sns")
    topics = {
        "encrypted": sns.create_topic(
            Name="alerts-encrypted",
            Attributes={"KmsMasterKeyId": keys["rotating"]["Arn"]},
            Tags=TAG_LIST,
        )["TopicArn"],
        "plain": sns.create_topic(Name="alerts-plain", Tags=TAG_LIST)["TopicArn"],
    }

    read_models = allow("s3:GetObject", "arn:aws:s3:::models-secure/*")
    policies = {
        "read": create_policy(aws, "models-read", read_models),
        "wide": create_policy(aws, "s3-everything", allow("s3:*", "*")),
    }
    roles = {
        "admin": create_role(aws, "sm-admin", attached=(ADMINISTRATOR, policies["read"])),
        "star": create_role(aws, "sm-star", attached=(policies["wide"],), inline=allow("*", "*")),
        "clean": create_role(aws, "sm-clean", attached=(policies["read"],), inline=read_models),
        "lambda": create_role(aws, "lambda-admin", trust=LAMBDA_TRUST, attached=(ADMINISTRATOR,)),
    }
    return {"keys": keys, "topics": topics, "policies": policies, "roles": roles}


def test_violations_are_reported_by_rule_and_arn_and_compliant_resources_have_none(
    cli, aws, storage_account, api_calls
):
    keys, topics = storage_account["keys"], storage_account["topics"]
    policies, roles = storage_account["policies"], storage_account["roles"]
    made = api_calls()
    result = audit(cli, aws.url, "--allow-incomplete")
    assert result.code == 1, result.err
    document = result.json()
    # The emulator lacks some SageMaker listings; every storage read succeeded.
    assert [f for f in document["faults"] if not f["operation"].startswith("sagemaker:")] == []
    # Each bucket, key, role and topic was read in detail, with calls the clients allow.
    storage_reads = {op for service, op in made() if service in ("s3", "kms", "iam", "sns")}
    assert {"GetBucketEncryption", "GetKeyRotationStatus", "GetRolePolicy"} <= storage_reads
    assert {"GetTopicAttributes", "GetPolicyVersion", "ListResourceTags"} <= storage_reads
    assert outside_the_allow_list(made()) == set()

    plain, partial, aws_key = (
        bucket_arn(n) for n in ("models-plain", "models-partial", "models-aws-key")
    )
    assert findings(document) == {
        ("s3-bucket-encrypted-kms", plain),
        ("s3-bucket-public-access-blocked", plain),
        ("s3-bucket-tls-only", plain),
        ("s3-bucket-versioning", plain),
        ("required-tags", plain),
        ("s3-bucket-encrypted-kms", partial),
        ("s3-bucket-public-access-blocked", partial),
        ("s3-bucket-tls-only", partial),
        ("s3-bucket-versioning", partial),
        ("s3-bucket-encrypted-kms", aws_key),
        ("kms-key-rotation", keys["static"]["Arn"]),
        ("sns-topic-encrypted", topics["plain"]),
        ("iam-no-admin-policies", roles["admin"]),
        ("iam-no-admin-policies", roles["star"]),
        ("iam-no-admin-policies", policies["wide"]),
    }
    assert findings(document, evaluated=False) == set()
    assert "leaves blockPublicPolicy, restrictPublicBuckets off" in message(
        document, "s3-bucket-public-access-blocked", partial
    )
    assert "AWS-managed aws/s3 key" in message(document, "s3-bucket-encrypted-kms", aws_key)
    assert "attaches AdministratorAccess" in message(
        document, "iam-no-admin-policies", roles["admin"]
    )
    assert "allows every action" in message(document, "iam-no-admin-policies", roles["star"])
    assert "allows s3:* on every resource" in message(
        document, "iam-no-admin-policies", policies["wide"]
    )


def test_records_have_the_provider_shape_and_leave_out_what_is_not_audited(
    cli, aws, storage_account
):
    keys, roles = storage_account["keys"], storage_account["roles"]
    document = audit(cli, aws.url, "--allow-incomplete").json()
    resources = {r["urn"]: r for r in document["resources"]}
    secure = bucket_arn("models-secure")
    assert {urn: r["type"] for urn, r in resources.items() if urn.startswith(secure)} == {
        secure: s3.BUCKET,
        f"{secure}#encryption": s3.ENCRYPTION,
        f"{secure}#publicAccessBlock": s3.PUBLIC_ACCESS_BLOCK,
        f"{secure}#policy": s3.POLICY,
        f"{secure}#versioning": s3.VERSIONING,
    }
    assert resources[secure]["inputs"] == {"bucket": "models-secure", "tags": TAGS}
    assert resources[f"{secure}#encryption"]["inputs"] == {
        "bucket": "models-secure",
        "rules": [
            {
                "applyServerSideEncryptionByDefault": {
                    "sseAlgorithm": "aws:kms",
                    "kmsMasterKeyId": keys["rotating"]["Arn"],
                },
                "bucketKeyEnabled": True,
            }
        ],
    }
    assert resources[f"{secure}#publicAccessBlock"]["inputs"] == {
        "bucket": "models-secure",
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    assert json.loads(resources[f"{secure}#policy"]["inputs"]["policy"]) == json.loads(
        tls_only("models-secure")
    )
    assert resources[f"{secure}#versioning"]["inputs"] == {
        "bucket": "models-secure",
        "versioningConfiguration": {"status": "Enabled"},
    }
    # Nothing configured, nothing recorded: the rules see a bare bucket.
    assert [u for u in resources if u.startswith(bucket_arn("models-plain"))] == [
        bucket_arn("models-plain")
    ]
    assert resources[f"arn:aws:s3::{ACCOUNT}:account#publicAccessBlock"]["inputs"] == {
        "accountId": ACCOUNT,
        "blockPublicAcls": True,
        "blockPublicPolicy": False,
        "ignorePublicAcls": False,
        "restrictPublicBuckets": False,
    }

    assert resources[keys["rotating"]["Arn"]]["inputs"]["enableKeyRotation"] is True
    assert resources[keys["static"]["Arn"]]["inputs"]["enableKeyRotation"] is False
    signing = resources[keys["signing"]["Arn"]]["inputs"]
    assert signing["customerMasterKeySpec"] == "RSA_2048" and "enableKeyRotation" not in signing
    assert resources[keys["rotating"]["Arn"]]["inputs"]["tags"] == TAGS
    # Imported key material is what a program declares as an ExternalKey; it cannot rotate.
    assert resources[keys["imported"]["Arn"]]["type"] == kms.EXTERNAL_KEY

    star = resources[roles["star"]]["inputs"]
    assert star["name"] == "sm-star" and json.loads(star["assumeRolePolicy"]) == SAGEMAKER_TRUST
    assert [p["name"] for p in star["inlinePolicies"]] == ["sm-star-inline"]
    assert json.loads(star["inlinePolicies"][0]["policy"])["Statement"] == [allow("*", "*")]
    assert star["managedPolicyArns"] == [storage_account["policies"]["wide"]]
    assert star["tags"] == TAGS
    # Attached to two roles, recorded once; AWS-managed policies are not recorded at all.
    policies = [r for r in document["resources"] if r["type"] == iam.POLICY]
    assert sorted(r["urn"] for r in policies) == sorted(storage_account["policies"].values())

    left_out = (
        bucket_arn("models-elsewhere"),
        keys["doomed"]["Arn"],
        roles["lambda"],
        ADMINISTRATOR,
    )
    assert not [urn for urn in resources if urn.startswith(left_out)]


def test_a_failed_read_leaves_only_the_verdicts_that_needed_it_not_evaluated(cli, aws, faulty):
    for name in ("locked-data", "open-data"):
        create_bucket(aws, name)
    locked_key, open_key = create_key(aws), create_key(aws)
    sns = aws("sns")
    hidden_topic, plain_topic = (
        sns.create_topic(Name=name, Tags=TAG_LIST)["TopicArn"]
        for name in ("hidden-topic", "plain-topic")
    )
    hidden_role, open_role = (
        create_role(aws, name, attached=(ADMINISTRATOR,)) for name in ("sm-hidden", "sm-open")
    )
    faulty.faults += [
        Fault("s3:GET encryption", "denied", matching="locked-data"),
        Fault("s3:GET", "denied", matching="/configuration/publicAccessBlock"),
        Fault("GetKeyRotationStatus", "denied", matching=locked_key["KeyId"]),
        Fault("GetTopicAttributes", "denied", matching="hidden-topic"),
        Fault("ListAttachedRolePolicies", "denied", matching="sm-hidden"),
    ]

    result = audit(cli, faulty.url)
    assert result.code == 2, result.err  # incomplete
    document = result.json()
    assert document["complete"] is False
    locked, opened = bucket_arn("locked-data"), bucket_arn("open-data")
    unevaluated = findings(document, evaluated=False)
    # required-tags judges every aws:* type, so any fault about a resource leaves its tags
    # unjudged too; only the topic's tags were really never read.
    assert ("required-tags", hidden_topic) in unevaluated
    assert {(rule, urn) for rule, urn in unevaluated if rule != "required-tags"} == {
        ("s3-bucket-encrypted-kms", locked),
        ("s3-bucket-public-access-blocked", None),
        ("kms-key-rotation", locked_key["Arn"]),
        ("sns-topic-encrypted", hidden_topic),
        ("iam-no-admin-policies", hidden_role),
    }
    for rule, urn, call in (
        ("s3-bucket-encrypted-kms", locked, "s3:GetBucketEncryption"),
        ("s3-bucket-public-access-blocked", None, "s3control:GetPublicAccessBlock"),
        ("kms-key-rotation", locked_key["Arn"], "kms:GetKeyRotationStatus"),
        ("sns-topic-encrypted", hidden_topic, "sns:GetTopicAttributes"),
        ("iam-no-admin-policies", hidden_role, "iam:ListAttachedRolePolicies"),
    ):
        assert f"{call} was denied" in message(document, rule, urn)
    # Everything else is judged: the locked bucket's other settings, the other resources.
    assert findings(document) == {
        ("s3-bucket-tls-only", locked),
        ("s3-bucket-versioning", locked),
        ("s3-bucket-encrypted-kms", opened),
        ("s3-bucket-tls-only", opened),
        ("s3-bucket-versioning", opened),
        ("kms-key-rotation", open_key["Arn"]),
        ("sns-topic-encrypted", plain_topic),
        ("iam-no-admin-policies", open_role),
    }
    # A read only: S3 is named by method, the rest by action.
    assert {op.split(" ")[0] for op in faulty.seen if op.startswith("s3:")} == {"s3:GET"}
    assert not [
        op for op in faulty.seen if not op.startswith(("s3:GET", "List", "Describe", "Get"))
    ]


class _Stale:
    """A reader whose listing was taken before the account changed."""

    def __init__(self, reader, listed):
        self.types, self._reader, self._listed = reader.types, reader, listed

    def list(self, scan):
        return self._listed

    def read(self, scan, item):
        self._reader.read(scan, item)


def test_a_bucket_deleted_after_the_listing_is_gone_not_unread(aws):
    aws("s3").create_bucket(Bucket="short-lived")
    clients = Clients(region=REGION, profile=None, endpoint_url=aws.url, workers=2, max_attempts=1)
    scan = Scan(clients, account=ACCOUNT)
    buckets = s3.Buckets()
    listed = list(buckets.list(scan))
    aws("s3").delete_bucket(Bucket="short-lived")

    result = scan.run([_Stale(buckets, listed)], workers=2)
    assert result.records == []
    assert [(f.kind, f.resource, f.blocks_completeness) for f in result.faults] == [
        ("deleted", bucket_arn("short-lived"), False)
    ]


@pytest.mark.parametrize(
    "given",
    [
        SAGEMAKER_TRUST,
        json.dumps(SAGEMAKER_TRUST),
        urllib.parse.quote(json.dumps(SAGEMAKER_TRUST)),
    ],
    ids=["decoded", "json", "url-encoded"],
)
def test_trust_policies_are_read_decoded_or_as_iam_encodes_them(given):
    assert iam.document(given) == SAGEMAKER_TRUST
    assert iam.trusts_sagemaker(iam.document(given))
    assert not iam.trusts_sagemaker(LAMBDA_TRUST)
