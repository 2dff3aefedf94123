"""SecretMask: what a secret looks like once a rule has turned it into text."""

from __future__ import annotations

import pytest

from mlrails.plan import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, ResourceRecord
from mlrails.policy.masking import SecretMask

IMAGE = "registry.example.com/TopSecret/m:1"


@pytest.mark.parametrize(
    ("secret", "message", "masked"),
    [
        pytest.param(IMAGE, f"image {IMAGE} is bad", "image [secret] is bad", id="whole-value"),
        pytest.param(
            IMAGE,
            "registry registry.example.com is not allowed",
            "registry [secret] is not allowed",
            id="a-part-between-separators",
        ),
        pytest.param(
            "Prod-Name",
            "arn:aws:sagemaker:::model/prod-name",
            "arn:aws:sagemaker:::model/[secret]",
            id="another-letter-case",
        ),
        pytest.param(
            'a"b\\cdef', 'doc {"k": "a\\"b\\\\cdef"}', 'doc {"k": "[secret]"}', id="json-escaped"
        ),
        pytest.param("ab", "ab cab ab.", "[secret] cab [secret].", id="short-value-only-alone"),
    ],
)
def test_a_secret_is_masked_in_the_forms_a_rule_prints_it(secret, message, masked):
    assert SecretMask([secret])(message) == masked


def test_the_mask_of_a_plan_takes_secrets_at_any_depth_and_numbers_as_printed():
    record = ResourceRecord(
        urn="urn",
        type="t",
        name="n",
        parent=None,
        custom=True,
        dependencies=[],
        property_dependencies={},
        inputs={
            "plain": "visible-value",
            "nested": [
                {"x": {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": {"deep": "hidden-one"}}}
            ],
            "count": {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": 4096.0},
        },
    )
    mask = SecretMask.of_plan([record])
    assert (
        mask("visible-value hidden-one 4096 4096.0") == "visible-value [secret] [secret] [secret]"
    )


def test_no_secret_leaves_messages_alone():
    assert SecretMask([])("anything [at] all") == "anything [at] all"
