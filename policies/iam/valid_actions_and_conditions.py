"""iam-valid-actions-and-conditions: every action exists and every condition can apply.

Checked against AWS's Service Authorization Reference (the catalogue in
`policies.access.catalogue`): an action that does not exist grants nothing, and a condition
key an action's request never carries makes the condition false for that action ("If the key
that you specify in a policy condition is not present in the request context, the values do
not match", IAM User Guide, reference_policies_elements_condition.html). The review found
`sagemaker:ModelApprovalStatus` on DescribeModelPackage: a grant that matches nothing.
"""

import functools
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.access.catalogue import action_supports_key, catalogue, is_global_key
from mlrails_policies.access.conditions import is_known_operator
from mlrails_policies.access.documents import Document, Statement
from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import UNKNOWN, get, items

# type -> the inputs holding policy documents
DOCUMENTS = {
    "aws:iam/policy:Policy": ("policy",),
    "aws:iam/rolePolicy:RolePolicy": ("policy",),
    "aws:iam/userPolicy:UserPolicy": ("policy",),
    "aws:iam/groupPolicy:GroupPolicy": ("policy",),
    "aws:iam/role:Role": ("assumeRolePolicy",),
    "aws:kms/key:Key": ("policy",),
    "aws:kms/keyPolicy:KeyPolicy": ("policy",),
    "aws:s3/bucketPolicy:BucketPolicy": ("policy",),
    "aws:sns/topic:Topic": ("policy",),
    "aws:sns/topicPolicy:TopicPolicy": ("policy",),
    "aws-native:kms:Key": ("keyPolicy",),
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": ("resourcePolicy",),
    "aws-native:sagemaker:ModelPackageGroup": ("modelPackageGroupPolicy",),
}


def _action_problems(statement: Statement):
    known = catalogue()
    for pattern in (*statement.actions, *(statement.not_actions or ())):
        if pattern is UNKNOWN or pattern == "*" or not isinstance(pattern, str):
            continue
        service, _, name = pattern.partition(":")
        if not name:
            yield f"{pattern!r} is not an action (expected service:Action)"
        elif not known.has_service(service):
            yield f"{pattern!r} names no AWS service ({service!r} is unknown)"
        elif not known.actions_matching(pattern):
            yield f"{pattern!r} is not an action of {service}"


def _condition_problems(statement: Statement):
    if statement.conditions is UNKNOWN:
        return
    known = catalogue()
    explicit = [a for a in statement.actions if isinstance(a, str) and a != "*"]
    for operator, key, _ in statement.conditions:
        if not is_known_operator(operator):
            yield f"{operator!r} is not an IAM condition operator"
            continue
        if not isinstance(key, str) or is_global_key(key):
            continue
        service = key.partition(":")[0]
        if statement.not_actions is not None or not explicit:
            if not known.key_known_to_service(service, key):
                yield f"condition key {key!r} is not a key of {service}"
            continue
        for pattern in explicit:
            actions = known.actions_matching(pattern)
            if actions and not any(action_supports_key(a, key) for a in actions):
                yield (
                    f"condition key {key!r} does not apply to {pattern} (its requests "
                    "never carry it, so the condition never holds for it)"
                )


def document_problems(value, where: str):
    document = Document.parse(value, where)
    for number, statement in enumerate(document.statements, 1):
        label = f"{where} statement {statement.sid or number}"
        parts = (statement.actions, statement.not_actions, statement.conditions)
        try:
            problems = _statement_problems(*parts)
        except TypeError:  # a malformed element (a map where a name belongs): not cacheable
            problems = _statement_problems.__wrapped__(*parts)
        for problem in problems:
            yield f"{label}: {problem}"


@functools.lru_cache(maxsize=4096)
def _statement_problems(
    actions: tuple, not_actions: tuple | None, conditions: Any
) -> tuple[str, ...]:
    """What is wrong with a statement's actions and conditions: a fleet's policies repeat the
    same few grants (on different resources) hundreds of times, so each is looked up once."""
    statement = Statement(
        "Allow", actions, not_actions, None, None, None, None, conditions, None, ""
    )
    return (*_action_problems(statement), *_condition_problems(statement))


def check(args, options):
    for prop in DOCUMENTS.get(args.resource_type, ()):
        value = get(args.props, prop)
        if value not in (None, UNKNOWN):
            yield from document_problems(value, f"{prop}")
    if args.resource_type == "aws:iam/role:Role":
        for inline in items(get(args.props, "inlinePolicies")):
            if isinstance(inline, dict) and inline.get("policy") not in (None, UNKNOWN):
                yield from document_problems(
                    inline["policy"], f"inline policy {inline.get('name')!r}"
                )


RULE = Rule(
    id="iam-valid-actions-and-conditions",
    description="Every action exists and every condition key is one that action supports (AWS's "
    "Service Authorization Reference).",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Use the action and condition-key names of the Service Authorization Reference "
    "(https://docs.aws.amazon.com/service-authorization/latest/reference/); a condition on a key "
    "the action does not carry never holds.",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("GOVERN 1.4",),
        iso_42001=("A.6.2.5",),
        soc2=("CC6.1",),
    ),
    judges=tuple(DOCUMENTS),
    check=check,
)
