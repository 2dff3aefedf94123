"""iam-no-admin-policies: no role or policy grants administrator-level access."""

import re

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import (
    UNKNOWN,
    get,
    items,
    json_document,
    require_known,
    strings,
)

DOCUMENT_TYPES = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
}
ATTACHMENT_TYPES = (
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
)
ROLE = "aws:iam/role:Role"
_SERVICE_WILDCARD = re.compile(r"^[a-z0-9-]+:\*$")
_ADMIN_MANAGED = re.compile(
    r"^arn:aws[a-z-]*:iam::aws:policy/(.*/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess)$"
)


def document_problems(document, where: str):
    document = require_known(document, where)
    statements = strings(document.get("Statement")) if isinstance(document, dict) else []
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = strings(statement.get("Action"))
        resources = strings(statement.get("Resource"))
        if "*" in actions:
            yield f"{where} allows every action (`*`)"
        wide = [a for a in actions if isinstance(a, str) and _SERVICE_WILDCARD.match(a)]
        if wide and "*" in resources:
            yield f"{where} allows {', '.join(wide)} on every resource (`*`)"


def managed_problems(arns, where: str):
    for arn in arns:
        if arn is UNKNOWN:
            continue  # a customer-managed policy created in this stack; its document is judged there
        if isinstance(arn, str) and _ADMIN_MANAGED.match(arn):
            yield f"{where} attaches {arn.rsplit('/', 1)[-1]}, an administrator or full-access policy"


def check(args, options):
    kind = args.resource_type
    if kind in DOCUMENT_TYPES:
        yield from document_problems(json_document(get(args.props, "policy")), "the policy")
    elif kind in ATTACHMENT_TYPES:
        yield from managed_problems([get(args.props, "policyArn")], "the attachment")
    elif kind == ROLE:
        for inline in items(get(args.props, "inlinePolicies")):
            if isinstance(inline, dict):
                name = inline.get("name")
                if name is UNKNOWN or not name:
                    name = "an inline policy"
                yield from document_problems(
                    json_document(inline.get("policy")), f"inline policy {name}"
                )
        yield from managed_problems(items(get(args.props, "managedPolicyArns")), "the role")


RULE = Rule(
    id="iam-no-admin-policies",
    description="No IAM policy allows `*` actions or `service:*` on `*`, and no Administrator/"
    "FullAccess managed policy is attached.",
    severity=Severity.CRITICAL,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Grant the specific actions on the specific resources the workload uses (the "
    "components' grant_* methods write such policies); never attach AmazonSageMakerFullAccess.",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("GOVERN 1.4",),
        hipaa=("164.312(a)(1)",),
        soc2=("CC6.1", "CC6.3"),
        fsbp=("IAM.1",),
    ),
    judges=(*DOCUMENT_TYPES, *ATTACHMENT_TYPES, ROLE),
    check=check,
)
