"""AWS's policy evaluation logic for a request made within one account.

From the IAM User Guide, "Policy evaluation logic" (https://docs.aws.amazon.com/IAM/latest/
UserGuide/reference_policies_evaluation-logic.html) and "Cross-service / same-account"
sections:

- an explicit Deny in any applicable policy wins;
- within one account, an Allow in the principal's identity policies OR in the resource's
  policy (naming that principal) is enough;
- a resource policy that names the account (`arn:aws:iam::111122223333:root` or the bare id)
  delegates to IAM: it grants nothing by itself, the identity policies must allow;
- a service principal (`cloudwatch.amazonaws.com`) has no identity policies: only resource
  policies can allow it;
- KMS is the exception: "No AWS principal has any permissions to a KMS key unless that
  permission is explicitly allowed in the key policy" (KMS developer guide, key-policies.html).
  The key policy must allow the principal directly, or delegate to the account so that IAM
  policies can allow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlrails_policies.access.conditions import Context, evaluate_conditions, substitute_variables
from mlrails_policies.access.documents import Document, Statement
from mlrails_policies.access.logic import Truth, all_of, any_of
from mlrails_policies.access.wildcards import matches
from mlrails_policies.framework.wire import UNKNOWN


@dataclass(frozen=True)
class Principal:
    kind: str
    """"AWS" (a role) or "Service"."""
    id: Any
    """The role's ARN (UNKNOWN in a preview) or the service principal's name."""
    account: Any


@dataclass(frozen=True)
class Request:
    principal: Principal
    action: str
    resource: Any
    """The resource's ARN, or UNKNOWN."""
    context: Context = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allowed: Truth
    allowed_by: tuple[Statement, ...] = ()
    denied_by: tuple[Statement, ...] = ()
    reason: str = ""


def _like(pattern: Any, value: Any, *, case_sensitive: bool) -> Truth:
    if pattern == "*":
        return True  # whatever the value turns out to be
    if pattern is UNKNOWN or value is UNKNOWN:
        return UNKNOWN
    if not isinstance(pattern, str) or not isinstance(value, str):
        return False
    if not case_sensitive:
        pattern, value = pattern.lower(), value.lower()
    return matches(pattern, value)


def _in(patterns: tuple[Any, ...] | None, value: Any, *, case_sensitive: bool) -> Truth:
    return any_of(_like(p, value, case_sensitive=case_sensitive) for p in patterns or ())


def _action_matches(statement: Statement, action: str) -> Truth:
    if statement.not_actions is not None:
        inside = _in(statement.not_actions, action, case_sensitive=False)
        return UNKNOWN if inside is UNKNOWN else not inside
    return _in(statement.actions, action, case_sensitive=False)


def _resource_matches(statement: Statement, request: Request) -> Truth:
    if statement.not_resources is not None:
        inside = _in(
            _substituted(statement.not_resources, request), request.resource, case_sensitive=True
        )
        return UNKNOWN if inside is UNKNOWN else not inside
    if statement.resources is None:
        return True  # resource policies may leave Resource out: the resource itself
    return _in(_substituted(statement.resources, request), request.resource, case_sensitive=True)


def _substituted(patterns: tuple[Any, ...], request: Request) -> tuple[Any, ...]:
    """Resource ARNs with their policy variables filled from the request
    (`arn:aws:s3:::logs/${aws:PrincipalTag/team}/*`)."""
    return tuple(substitute_variables(p, request.context) for p in patterns)


def _account_of(arn: Any) -> Any:
    if not isinstance(arn, str):
        return UNKNOWN
    if arn.isdigit():
        return arn
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else None


def _is_account(value: Any) -> bool:
    return isinstance(value, str) and (value.isdigit() or value.endswith(":root"))


def principal_grant(statement: Statement, principal: Principal) -> Truth | str:
    """How a resource-policy statement names the principal: True (directly), "account"
    (the principal's account, a delegation to IAM), False, or UNKNOWN."""
    principals = statement.principals
    if principals is UNKNOWN:
        return UNKNOWN
    if principals == "*":
        return True
    if not isinstance(principals, dict):
        return False
    if principal.kind == "Service":
        return _in(principals.get("Service"), principal.id, case_sensitive=False)
    named = principals.get("AWS", ())
    if "*" in named:
        return True
    direct = any_of(
        UNKNOWN if n is UNKNOWN or principal.id is UNKNOWN else n == principal.id
        for n in named
        if not _is_account(n)
    )
    if direct is True:
        return True
    delegated = any_of(
        UNKNOWN if principal.account is UNKNOWN else _account_of(n) == principal.account
        for n in named
        if n is UNKNOWN or _is_account(n)
    )
    if delegated is True:
        return "account"
    return UNKNOWN if UNKNOWN in (direct, delegated) else False


def _applies(statement: Statement, request: Request) -> Truth:
    # Kleene's AND is False as soon as one part is, whatever the others: most statements name
    # other actions, so their resources and conditions are not looked at.
    action = _action_matches(statement, request.action)
    if action is False:
        return False
    resource = _resource_matches(statement, request)
    if resource is False:
        return False
    return all_of((action, resource, evaluate_conditions(statement.conditions, request.context)))


def _resource_statement_applies(statement: Statement, request: Request) -> tuple[Truth, Any]:
    grant = principal_grant(statement, request.principal)
    if statement.not_principals is not None:
        # NotPrincipal (used with Deny): everyone except those named.
        excluded = principal_grant(
            Statement(**{**statement.__dict__, "principals": statement.not_principals}),
            request.principal,
        )
        grant = UNKNOWN if excluded is UNKNOWN else (excluded is False)
    if grant is False:
        return False, False
    return all_of((True if grant == "account" else grant, _applies(statement, request))), grant


def decide(
    request: Request,
    identity: list[Document],
    resource_policy: Document | None,
    *,
    key_policy: bool = False,
) -> Decision:
    """Whether AWS allows the request, given the principal's identity policies and the
    resource's policy (the key policy when `key_policy`)."""
    documents = [*identity, *([resource_policy] if resource_policy else [])]
    if any(d.unknown for d in documents):
        return Decision(UNKNOWN, reason="a policy document can't be known during preview")

    denies: list[tuple[Statement, Truth]] = []
    identity_allows: list[tuple[Statement, Truth]] = []
    for document in identity:
        for statement in document.statements:
            applies = _applies(statement, request)
            (denies if statement.effect == "Deny" else identity_allows).append((statement, applies))
    direct, delegated = [], []
    for statement in resource_policy.statements if resource_policy else ():
        applies, grant = _resource_statement_applies(statement, request)
        if statement.effect == "Deny":
            denies.append((statement, applies))
        elif grant == "account":
            delegated.append((statement, _applies(statement, request)))
        else:
            direct.append((statement, applies))

    denied = any_of(a for _, a in denies)
    if denied is True:
        return Decision(False, denied_by=tuple(s for s, a in denies if a is True), reason="denied")
    by_identity = (
        any_of(a for _, a in identity_allows) if request.principal.kind == "AWS" else False
    )
    by_resource = any_of(a for _, a in direct)
    if key_policy:
        delegates = any_of(a for _, a in delegated)
        allowed = any_of((by_resource, all_of((delegates, by_identity))))
    else:
        allowed = any_of((by_identity, by_resource))
    allowed = all_of((allowed, True if denied is False else UNKNOWN))
    allowed_by = tuple(
        s for s, a in [*identity_allows, *direct, *(delegated if key_policy else [])] if a is True
    )
    return Decision(
        allowed,
        allowed_by=allowed_by if allowed is True else (),
        reason=_why(allowed, key_policy, by_identity, by_resource, delegated, request),
    )


def _why(allowed, key_policy, by_identity, by_resource, delegated, request) -> str:
    if allowed is not False:
        return ""
    if request.principal.kind == "Service":
        return "no statement of the resource's policy allows the service"
    if key_policy and by_identity is True and by_resource is False:
        return "the key policy neither allows the role nor delegates to IAM policies"
    if key_policy and not delegated and by_resource is False:
        return "no identity policy and no key-policy statement allows it"
    return "no statement of its policies allows it"
