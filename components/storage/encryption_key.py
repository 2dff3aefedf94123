"""EncryptionKey: a customer-managed symmetric KMS key with rotation, an alias and a scoped policy."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from mlrails_components.support.aws import AwsContext, aws_context, policy_json
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems, check_types, each, plain

# KMS CreateAlias: AliasName is 1-256 characters of letters, digits, '/', '_' and '-', including
# the `alias/` prefix, and "must be unique in the account and Region" (botocore kms
# 2014-11-01 CreateAliasRequest.AliasName, AliasNameType).
ALIAS_MAX_LENGTH = 256 - len("alias/")
_ALIAS = re.compile(r"^[a-zA-Z0-9/_-]{1,250}$")
_SERVICE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$")

# What a service needs to encrypt and decrypt its own data with the key.
_USE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
]
# What administrators need to manage the key, and nothing that touches data.
_ADMIN_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
]


@dataclass(frozen=True)
class ServiceUse:
    """A service principal's use of a key, as one key policy statement."""

    service: str
    """The service principal, e.g. `s3.amazonaws.com`."""
    actions: tuple[str, ...] = tuple(_USE_ACTIONS)
    """What it may do with the key."""
    this_account_only: bool = True
    """Require `aws:SourceAccount` = this account (confused deputy). Off only where the service
    does not send that key to KMS, and then another policy (e.g. a topic policy) must scope it."""


class EncryptionKeyArgs(TypedDict):
    """Arguments of EncryptionKey."""

    description: NotRequired[str]
    """What the key protects, shown in the KMS console. Default: "<name> data key (mlrails)"."""
    alias: NotRequired[str]
    """Alias name without the `alias/` prefix, used exactly as given (an alias is unique per
    account and Region). Default: the component name and a suffix stable per project and stack,
    so the same program deploys to several stacks of one account and Region."""
    service_principals: NotRequired[list[str]]
    """Services that may use the key for their own data, e.g. `sagemaker.amazonaws.com`. Each is
    allowed encrypt/decrypt only for requests from this account (`aws:SourceAccount`). Default: none."""
    administrator_arns: NotRequired[list[pulumi.Input[str]]]
    """IAM roles that manage the key (no data access). Default: none beyond the account, whose
    IAM policies (such as the grants components write) decide who uses the key."""
    deletion_window_days: NotRequired[int]
    """Days between scheduling deletion and deletion, 7 to 30. Default: 30, the longest window
    to notice a mistaken deletion."""
    rotation_period_days: NotRequired[int]
    """Days between automatic rotations, 90 to 2560. Default: 365."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the key and its alias."""


class EncryptionKey(pulumi.ComponentResource):
    """A symmetric KMS key with rotation on, an alias and a key policy scoped to this account."""

    key_arn: pulumi.Output[str]
    """ARN of the key."""
    key_id: pulumi.Output[str]
    """Id of the key."""
    alias_name: pulumi.Output[str]
    """The alias, `alias/<name>`."""

    def __init__(
        self,
        name: str,
        args: EncryptionKeyArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            token("EncryptionKey"), name, None, renamed_from("mlrails:storage:EncryptionKey", opts)
        )
        args = _validated(name, args)
        self.key, self.alias = create_key(
            self,
            f"{name}-key",
            f"{name}-alias",
            args.get("alias", name),
            args.get("description", f"{name} data key (mlrails)"),
            args.get("service_principals", []),
            administrators=args.get("administrator_arns", []),
            deletion_window_days=args.get("deletion_window_days", 30),
            rotation_period_days=args.get("rotation_period_days", 365),
            tags=args.get("tags"),
            exact_alias="alias" in args,
        )
        self.key_arn = self.key.arn
        self.key_id = self.key.key_id
        self.alias_name = self.alias.name
        self.register_outputs(
            {"key_arn": self.key_arn, "key_id": self.key_id, "alias_name": self.alias_name}
        )


def unique_alias(base: str) -> str:
    """`base` and a suffix stable per project and stack: an alias no other stack or project in
    the account and Region has (the suffix is what `stable_name` gives endpoint names)."""
    return stable_name(base, max_length=ALIAS_MAX_LENGTH)


def create_key(
    parent: pulumi.Resource,
    key_name: str,
    alias_resource_name: str,
    alias: str,
    description: str,
    services: Sequence[str | ServiceUse],
    administrators: list | None = None,
    deletion_window_days: int = 30,
    rotation_period_days: int = 365,
    tags=None,
    protect: bool = False,
    extra_statements: Sequence[pulumi.Input[dict]] | None = None,
    exact_alias: bool = False,
) -> tuple[aws.kms.Key, aws.kms.Alias]:
    """A rotating symmetric key and its alias, as children of `parent`.

    What EncryptionKey is made of; components that need a key of their own create it here, so
    their resource tree stays flat. The alias is `alias` with a suffix stable per project and
    stack (see `unique_alias`), unless `exact_alias`. `extra_statements` are appended to the key
    policy (e.g. another account's use through S3).
    """
    alias_name = alias if exact_alias else unique_alias(alias)
    admins, extra = list(administrators or []), list(extra_statements or [])
    context = aws_context(parent)
    key = aws.kms.Key(
        key_name,
        description=description,
        key_usage="ENCRYPT_DECRYPT",
        customer_master_key_spec="SYMMETRIC_DEFAULT",
        enable_key_rotation=True,
        rotation_period_in_days=rotation_period_days,
        deletion_window_in_days=deletion_window_days,
        policy=pulumi.Output.all(*admins, *extra).apply(
            lambda values: key_policy(
                context, values[: len(admins)], services, values[len(admins) :]
            )
        ),
        tags=tags,
        opts=_child_options(parent, protect),
    )
    key_alias = aws.kms.Alias(
        alias_resource_name,
        name=f"alias/{alias_name}",
        target_key_id=key.key_id,
        opts=_child_options(parent, protect),
    )
    return key, key_alias


def _child_options(parent: pulumi.Resource, protect: bool) -> pulumi.ResourceOptions:
    # protect=None inherits the parent's (pulumi/resource.py `Resource.__init__`); False would
    # drop a `protect=True` given to the component, leaving its key deletable.
    return pulumi.ResourceOptions(parent=parent, protect=protect or None)


def key_policy(
    context: AwsContext,
    administrators: list[str],
    services: Sequence[str | ServiceUse],
    extra_statements: list[dict] | None = None,
) -> str:
    """The key policy: the account delegates use to IAM; admins manage; services use it here only."""
    statements = [
        {
            # Without it the key is unmanageable, and no IAM policy (such as a grant) could
            # give a role access: KMS only honours IAM when the key policy delegates to the account.
            "Sid": "AccountDelegatesToIam",
            "Effect": "Allow",
            "Principal": {"AWS": context.account_root},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if administrators:
        statements.append(
            {
                "Sid": "AdministratorsManageTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(administrators)},
                "Action": _ADMIN_ACTIONS,
                "Resource": "*",
            }
        )
    uses = {u.service: u for u in (ServiceUse(s) if isinstance(s, str) else s for s in services)}
    for service, use in sorted(uses.items()):
        statement = {
            "Sid": "ServiceUse" + "".join(p.title() for p in service.split(".")[0].split("-")),
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": list(use.actions),
            "Resource": "*",
        }
        if use.this_account_only:
            statement["Condition"] = {"StringEquals": {"aws:SourceAccount": context.account_id}}
        statements.append(statement)
    return policy_json(statements + list(extra_statements or []))


def _validated(name: str, args: EncryptionKeyArgs) -> EncryptionKeyArgs:
    problems = Problems("EncryptionKey", name)
    check_types(EncryptionKeyArgs, args, problems)
    window = args.get("deletion_window_days", 30)
    if isinstance(window, int):
        problems.require(
            7 <= window <= 30,
            "deletion_window_days",
            window,
            "KMS waits 7 to 30 days before deleting a key",
            "choose a value from 7 to 30",
        )
    period = args.get("rotation_period_days", 365)
    if isinstance(period, int):
        problems.require(
            90 <= period <= 2560,
            "rotation_period_days",
            period,
            "KMS rotates every 90 to 2560 days",
            "choose a value from 90 to 2560",
        )
    alias = args.get("alias", name)
    if plain(alias) and isinstance(alias, str):
        problems.require(
            bool(_ALIAS.match(alias)) and not alias.startswith(("aws/", "alias/")),
            "alias",
            alias,
            "an alias is letters, digits, '/', '_' and '-', not starting with aws/",
            "pass the alias without the alias/ prefix, e.g. 'ml-artifacts'",
        )
    for service in each(args.get("service_principals", [])):
        if isinstance(service, str):
            problems.require(
                bool(_SERVICE.match(service)),
                "service_principals",
                service,
                "a service principal is a service's DNS name",
                "use e.g. 'sagemaker.amazonaws.com'",
            )
    problems.raise_if_any()
    return args
