"""EncryptionKey: children, key policy, validation."""

from __future__ import annotations

import pytest

from mlrails_components.storage import EncryptionKey
from tests.components.conftest import (
    TAGS,
    children,
    document,
    judge,
    resource,
    statement,
    unsettled,
)


def encryption_key(args=None):
    """The program: one EncryptionKey named `models` with `args`."""
    return lambda: EncryptionKey("models", args or {})


def test_children_are_a_rotating_symmetric_key_and_its_alias(program):
    plan = program(encryption_key())
    assert children(plan, "models") == [
        ("aws:kms/key:Key", "models-key"),
        ("aws:kms/alias:Alias", "models-alias"),
    ]
    key = resource(plan, "models-key").inputs
    assert key["enableKeyRotation"] is True and key["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert key["deletionWindowInDays"] == 30 and key["rotationPeriodInDays"] == 365
    alias = resource(plan, "models-alias").inputs
    assert alias["name"].startswith("alias/models-") and alias["targetKeyId"] == key.get(
        "keyId", alias["targetKeyId"]
    )


def test_default_alias_is_unique_per_stack_and_a_given_alias_is_kept(program):
    """An alias is unique per account and Region (botocore kms CreateAlias.AliasName): the
    default carries a suffix stable per project and stack; an alias the user names is theirs."""
    dev = resource(program(encryption_key()), "models-alias").inputs["name"]
    prod = resource(program(encryption_key(), stack="prod"), "models-alias").inputs
    assert dev != prod["name"] and len(dev) == len("alias/models-") + 7
    named = program(encryption_key({"alias": "ml/models"}), stack="prod")
    assert resource(named, "models-alias").inputs["name"] == "alias/ml/models"


def test_a_long_default_alias_fits_the_kms_limit():
    from mlrails_components.storage.encryption_key import ALIAS_MAX_LENGTH, unique_alias

    assert ALIAS_MAX_LENGTH == 250  # 256 characters with `alias/` (botocore AliasNameType max)
    assert len("alias/" + unique_alias("x" * 400)) == 256


def test_key_policy_delegates_to_the_account_and_scopes_services_to_it(program):
    plan = program(
        encryption_key(
            {
                "service_principals": ["sagemaker.amazonaws.com"],
                "administrator_arns": ["arn:aws:iam::123456789012:role/kms-admin"],
            }
        )
    )
    policy = document(plan, "models-key")
    assert statement(policy, "AccountDelegatesToIam")["Principal"] == {
        "AWS": "arn:aws:iam::123456789012:root"
    }
    admins = statement(policy, "AdministratorsManageTheKey")
    assert admins["Principal"] == {"AWS": ["arn:aws:iam::123456789012:role/kms-admin"]}
    assert "kms:Decrypt" not in admins["Action"] and "kms:ScheduleKeyDeletion" in admins["Action"]
    service = statement(policy, "ServiceUseSagemaker")
    assert service["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    assert service["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert "kms:*" not in service["Action"]


def test_key_policy_is_known_in_a_preview(program):
    plan = program(encryption_key(), mode="preview")
    assert statement(document(plan, "models-key"), "AccountDelegatesToIam")


def test_the_key_passes_the_whole_pack(program):
    assert unsettled(judge(program(encryption_key({"tags": TAGS})))) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ({"deletion_window_days": 3}, "`deletion_window_days` is 3: KMS waits 7 to 30 days"),
        (
            {"rotation_period_days": 30},
            "`rotation_period_days` is 30: KMS rotates every 90 to 2560 days",
        ),
        ({"alias": "alias/models"}, "`alias` is 'alias/models'"),
        ({"service_principals": ["sagemaker"]}, "`service_principals` is 'sagemaker'"),
        (
            {"deletion_window_days": "30"},
            "`deletion_window_days` is '30': input should be a valid integer",
        ),
        ({"colour": "blue"}, "`colour` is 'blue': extra inputs are not permitted"),
    ],
    ids=[
        "deletion-window-3-days",
        "rotation-every-30-days",
        "alias-with-prefix",
        "service-principal-not-a-domain",
        "window-as-a-string",
        "unknown-argument",
    ],
)
def test_each_invalid_argument_is_reported(program, args, fragment):
    from mlrails.errors import UserError

    with pytest.raises(UserError) as err:
        program(encryption_key(args))
    assert "EncryptionKey 'models'" in str(err.value) and fragment in str(err.value)


def test_all_problems_are_reported_at_once(program):
    from mlrails.errors import UserError

    with pytest.raises(UserError, match=r"3 problem\(s\)"):
        program(
            encryption_key({"deletion_window_days": 1, "rotation_period_days": 1, "alias": "aws/x"})
        )


def test_stable_names_of_long_bases_fit_and_stay_distinct():
    """SageMaker names are at most 63 characters (botocore EntityName); the suffix hashes the
    whole base, so cutting two long bases to the same start does not make them equal."""
    from mlrails_components.support.naming import stable_name

    first, second = stable_name("m" * 70 + "-a"), stable_name("m" * 70 + "-b")
    assert len(first) == len(second) == 63 and first != second
