"""AWS's policy evaluation logic, case by case, as the IAM and KMS guides state it."""

from __future__ import annotations

import pytest

from mlrails_policies.access.conditions import evaluate_condition
from mlrails_policies.access.documents import Document
from mlrails_policies.access.evaluate import Principal, Request, decide
from mlrails_policies.framework.wire import UNKNOWN

ACCOUNT = "111122223333"
ROLE = Principal("AWS", f"arn:aws:iam::{ACCOUNT}:role/model", ACCOUNT)
OBJECT = "arn:aws:s3:::models/churn/model.tar.gz"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def doc(*statements) -> Document:
    return Document.parse({"Version": "2012-10-17", "Statement": list(statements)}, "test")


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def request(action="s3:GetObject", resource=OBJECT, principal=ROLE, **context):
    return Request(principal, action, resource, {k.lower(): (v,) for k, v in context.items()})


def test_an_identity_allow_is_enough_within_the_account():
    assert decide(request(), [doc(allow("s3:GetObject", "arn:aws:s3:::models/*"))], None).allowed


def test_nothing_is_allowed_by_default():
    decision = decide(request(), [doc(allow("s3:PutObject", "arn:aws:s3:::models/*"))], None)
    assert decision.allowed is False and "no statement" in decision.reason


def test_an_explicit_deny_in_the_resource_policy_wins_over_an_allow():
    bucket = doc({"Sid": "NoTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                  "Resource": "arn:aws:s3:::models/*",
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}})  # fmt: skip
    identity = [doc(allow("s3:*", "*"))]
    assert decide(request(**{"aws:SecureTransport": "true"}), identity, bucket).allowed is True
    denied = decide(request(**{"aws:SecureTransport": "false"}), identity, bucket)
    assert denied.allowed is False and denied.denied_by[0].sid == "NoTls"


def test_a_resource_policy_naming_the_role_allows_without_an_identity_policy():
    bucket = doc({"Effect": "Allow", "Principal": {"AWS": ROLE.id}, "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::models/*"})  # fmt: skip
    assert decide(request(), [], bucket).allowed is True


def test_a_resource_policy_naming_the_account_only_delegates_to_iam():
    bucket = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::models/*"})  # fmt: skip
    assert decide(request(), [], bucket).allowed is False


def test_kms_needs_the_key_policy_even_when_iam_allows():
    """KMS DG key-policies.html: no principal may use a key unless the key policy allows it."""
    identity = [doc(allow("kms:Decrypt", KEY))]
    services_only = doc({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                         "Action": "kms:*", "Resource": "*"})  # fmt: skip
    decision = decide(request("kms:Decrypt", KEY), identity, services_only, key_policy=True)
    assert decision.allowed is False and "key policy" in decision.reason


def test_kms_delegation_to_the_account_lets_iam_decide():
    delegating = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                      "Action": "kms:*", "Resource": "*"})  # fmt: skip
    identity = [doc(allow("kms:Decrypt", KEY))]
    assert decide(request("kms:Decrypt", KEY), identity, delegating, key_policy=True).allowed
    assert not decide(request("kms:Decrypt", KEY), [], delegating, key_policy=True).allowed


def test_a_service_principal_is_judged_by_the_resource_policy_only():
    service = Principal("Service", "events.amazonaws.com", ACCOUNT)
    topic = "arn:aws:sns:us-east-1:111122223333:alerts"
    policy = doc({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                  "Action": "sns:Publish", "Resource": topic})  # fmt: skip
    assert decide(request("sns:Publish", topic, service), [], policy).allowed is True
    assert decide(request("sns:Publish", topic, service), [doc(allow("*"))], None).allowed is False


def test_an_unknown_resource_matches_a_wildcard_and_is_undecided_otherwise():
    assert decide(request(resource=UNKNOWN), [doc(allow("s3:GetObject", "*"))], None).allowed
    named = [doc(allow("s3:GetObject", "arn:aws:s3:::models/*"))]
    assert decide(request(resource=UNKNOWN), named, None).allowed is UNKNOWN
    # ...but a statement for another action denies nothing whatever the resource is.
    other = [doc(allow("s3:PutObject", "arn:aws:s3:::models/*"))]
    assert decide(request(resource=UNKNOWN), other, None).allowed is False


def test_an_unknown_document_is_undecided():
    assert decide(request(), [Document((), unknown=True)], None).allowed is UNKNOWN


def test_not_action_and_not_resource_invert_the_match():
    everything_but_delete = [doc({"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "*"})]
    assert decide(request(), everything_but_delete, None).allowed is True
    assert decide(request("s3:DeleteObject"), everything_but_delete, None).allowed is False
    not_models = [
        doc({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::models/*"})
    ]
    assert decide(request(), not_models, None).allowed is False


# Condition operators: IAM User Guide, reference_policies_elements_condition_operators.html.
CONDITION_CASES = [
    ("StringEquals", "kms:ViaService", ["s3.us-east-1.amazonaws.com"], {"kms:viaservice": ("s3.us-east-1.amazonaws.com",)}, True),
    ("StringEquals", "kms:ViaService", ["s3.us-east-1.amazonaws.com"], {}, False),
    ("StringNotEquals", "aws:SourceAccount", [ACCOUNT], {}, True),
    ("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", ["aws:kms"], {}, True),
    ("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", ["aws:kms"], {"s3:x-amz-server-side-encryption": ("AES256",)}, True),
    ("StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", ["aws:kms"], {"s3:x-amz-server-side-encryption": ("aws:kms",)}, False),
    ("StringLike", "s3:prefix", ["churn/*"], {"s3:prefix": ("churn/ground-truth/",)}, True),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/team", ["ML"], {"aws:principaltag/team": ("ml",)}, True),
    ("ArnLike", "aws:SourceArn", ["arn:aws:cloudwatch:*:111122223333:alarm:*"], {"aws:sourcearn": ("arn:aws:cloudwatch:us-east-1:111122223333:alarm:errors",)}, True),
    ("ArnNotLike", "aws:SourceArn", ["arn:aws:events:*:*:rule/*"], {}, True),
    ("Bool", "aws:SecureTransport", ["false"], {"aws:securetransport": ("true",)}, False),
    ("NumericLessThan", "s3:TlsVersion", ["1.2"], {"s3:tlsversion": ("1.2",)}, False),
    ("Null", "s3:x-amz-server-side-encryption", ["true"], {}, True),
    ("Null", "s3:x-amz-server-side-encryption", ["true"], {"s3:x-amz-server-side-encryption": ("aws:kms",)}, False),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["owner", "team"], {}, True),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["owner"], {"aws:tagkeys": ("owner", "team")}, False),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["owner"], {"aws:tagkeys": ("owner", "team")}, True),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["owner"], {}, False),
    ("StringEquals", "kms:CallerAccount", ["${aws:PrincipalAccount}"], {"kms:calleraccount": (ACCOUNT,), "aws:principalaccount": (ACCOUNT,)}, True),
    ("StringEquals", "kms:ViaService", ["s3.us-east-1.amazonaws.com"], {"kms:viaservice": (UNKNOWN,)}, UNKNOWN),
]  # fmt: skip


@pytest.mark.parametrize(
    ("operator", "key", "values", "context", "expected"),
    CONDITION_CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CONDITION_CASES)],
)
def test_condition_operators_follow_the_iam_user_guide(operator, key, values, context, expected):
    assert evaluate_condition(operator, key, tuple(values), context) is expected


def test_a_policy_variable_in_a_resource_takes_the_requests_value():
    # IAM User Guide, reference_policies_variables.html: variables in the Resource element.
    own_folder = doc(allow("s3:GetObject", "arn:aws:s3:::logs/${aws:PrincipalAccount}/*"))
    mine = f"arn:aws:s3:::logs/{ACCOUNT}/run.json"
    theirs = "arn:aws:s3:::logs/444455556666/run.json"
    assert (
        decide(
            request(resource=mine, **{"aws:PrincipalAccount": ACCOUNT}), [own_folder], None
        ).allowed
        is True
    )
    assert (
        decide(
            request(resource=theirs, **{"aws:PrincipalAccount": ACCOUNT}), [own_folder], None
        ).allowed
        is False
    )
    # A key the request does not carry (here: not modelled) leaves it undecided, not allowed.
    assert decide(request(resource=mine), [own_folder], None).allowed is UNKNOWN


def test_a_policy_variable_takes_its_default_when_the_request_has_no_value():
    # Same page, "Specifying default values": ${key, 'default'}.
    team = doc(allow("s3:GetObject", "arn:aws:s3:::logs/${aws:PrincipalTag/team, 'shared'}/*"))
    assert decide(request(resource="arn:aws:s3:::logs/shared/a"), [team], None).allowed is True
    tagged = request(resource="arn:aws:s3:::logs/shared/a", **{"aws:PrincipalTag/team": "ml"})
    assert decide(tagged, [team], None).allowed is False
