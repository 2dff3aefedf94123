"""IAM's wildcards: "*" any run of characters, "?" exactly one, nothing else special (IAM User
Guide, reference_policies_elements_resource.html, "Including wildcard characters in the
resource ARN"; StringLike in reference_policies_elements_condition_operators.html)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlrails_policies.access.documents import Document
from mlrails_policies.access.evaluate import Principal, Request, decide
from mlrails_policies.access.wildcards import matches


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("arn:aws:s3:::models/*", "arn:aws:s3:::models/churn/model.tar.gz", True),
        ("arn:aws:s3:::models/*", "arn:aws:s3:::models", False),
        ("arn:aws:s3:::models*", "arn:aws:s3:::models", True),
        ("arn:aws:s3:::*/model.tar.gz", "arn:aws:s3:::b/x/model.tar.gz", True),
        ("arn:aws:s3:::b/*/v?/*", "arn:aws:s3:::b/churn/v2/model.tar.gz", True),
        ("arn:aws:s3:::b/*/v?/*", "arn:aws:s3:::b/churn/v12/model.tar.gz", False),
        ("a*b*a", "aba", True),
        ("a*b*a", "ab", False),
        ("a*a", "a", False),
        # A shell glob's character class is not IAM's: the brackets are the object's name.
        ("arn:aws:s3:::logs/[x]", "arn:aws:s3:::logs/x", False),
        ("arn:aws:s3:::logs/[x]", "arn:aws:s3:::logs/[x]", True),
        ("arn:aws:s3:::logs/[!a]*", "arn:aws:s3:::logs/b.txt", False),
        ("sagemaker:Describe*", "sagemaker:DescribeEndpoint", True),
        ("*", "", True),
        ("?", "", False),
    ],
)
def test_documented_wildcards(pattern, value, expected):
    assert matches(pattern, value) is expected


def _reference(pattern: str, value: str) -> bool:
    """The definition, as a regular expression: no shortcut."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(body, value, re.DOTALL) is not None


@given(
    st.text(alphabet="ab*?[]/:", max_size=10),
    st.text(alphabet="ab[]/:", max_size=12),
)
def test_every_pattern_matches_as_its_definition_says(pattern, value):
    assert matches(pattern, value) is _reference(pattern, value)


def test_a_bracket_in_a_granted_arn_grants_that_object_only():
    grant = Document.parse(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/[ab]"}
            ],
        },
        "the role policy p",
    )
    principal = Principal("AWS", "arn:aws:iam::111122223333:role/r", "111122223333")

    def allowed(resource: str):
        return decide(Request(principal, "s3:GetObject", resource), [grant], None).allowed

    assert allowed("arn:aws:s3:::b/[ab]") is True
    assert allowed("arn:aws:s3:::b/a") is False
