"""IAM condition evaluation, for the operators our bucket policy uses, to test what it decides.

Semantics from the IAM User Guide, "IAM JSON policy elements: Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "Creating a condition with multiple keys or values"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html):

- operators of a block, and keys of an operator, are ANDed; the values of one key are ORed;
- a key absent from the request: the condition is false, except for negated operators (such as
  StringNotEquals), which are then true; `...IfExists` is true for an absent key;
- `Null: "true"` holds when the key is absent, `Null: "false"` when it is present.
"""

from __future__ import annotations

import fnmatch

_MATCH = {
    "StringEquals": lambda actual, wanted: actual == wanted,
    "StringNotEquals": lambda actual, wanted: actual == wanted,
    "StringLike": lambda actual, wanted: fnmatch.fnmatchcase(actual, wanted),
    "Bool": lambda actual, wanted: actual.lower() == wanted.lower(),
    "NumericLessThan": lambda actual, wanted: float(actual) < float(wanted),
}
_NEGATED = {"StringNotEquals"}


def _values(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def condition_holds(condition: dict, context: dict[str, str]) -> bool:
    """Whether a statement's Condition block holds for a request context (key -> value)."""
    for operator, keys in condition.items():
        for key, wanted in keys.items():
            if not _operator_holds(operator, key, _values(wanted), context):
                return False
    return True


def _operator_holds(operator: str, key: str, wanted: list[str], context: dict[str, str]) -> bool:
    present = key in context
    if operator == "Null":
        return (not present) == (wanted[0].lower() == "true")
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists")
    if base not in _MATCH:
        raise ValueError(f"operator {operator} is not modelled here")
    if not present:
        return if_exists or base in _NEGATED
    matched = any(_MATCH[base](context[key], w) for w in wanted)
    return not matched if base in _NEGATED else matched


def denied(policy: dict, action: str, resource: str, context: dict[str, str]) -> list[str]:
    """Sids of the Deny statements that apply to everyone for this request."""
    sids = []
    for statement in policy["Statement"]:
        actions = _values(statement["Action"])
        resources = _values(statement["Resource"])
        if (
            statement["Effect"] == "Deny"
            and statement.get("Principal") == "*"
            and any(fnmatch.fnmatchcase(action, a) for a in actions)
            and any(fnmatch.fnmatchcase(resource, r) for r in resources)
            and condition_holds(statement.get("Condition", {}), context)
        ):
            sids.append(statement["Sid"])
    return sids
