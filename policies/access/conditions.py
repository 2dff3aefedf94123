"""IAM condition operators, evaluated against the context a service sends with its request.

Semantics from the IAM User Guide, "IAM JSON policy elements: Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "Condition element" (.../reference_policies_elements_condition.html):

- several values for one key match if any value matches; several keys, and several operators,
  must all match;
- "If the key that you specify in a policy condition is not present in the request context,
  the values do not match and the condition is false. If the policy condition requires that
  the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not
  present, the condition is true. This logic applies to all condition operators except
  ...IfExists and Null check";
- `...IfExists`: "If the key is not present, evaluate the condition element as true";
- `Null`: true when the key is absent if the value is "true";
- `ForAllValues:` holds when every value in the request matches (and for an absent key);
  `ForAnyValue:` when at least one does (false for an absent key).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

from mlrails_policies.access.logic import Truth, all_of, any_of, negate
from mlrails_policies.access.wildcards import matches
from mlrails_policies.framework.wire import UNKNOWN

Context = Mapping[str, tuple[Any, ...]]
"""Lower-cased condition key -> the request's values (UNKNOWN where not known yet)."""


def _like(pattern: str, value: str) -> bool:
    return matches(pattern, value)


def _arn_like(pattern: str, value: str) -> bool:
    # ARN operators compare the six colon-separated parts one by one (IAM User Guide, ARN
    # condition operators); the resource part keeps its own colons.
    pattern_parts = pattern.split(":", 5)
    value_parts = value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return False
    return all(_like(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def match(expected: str, actual: str) -> bool:
        a, b = _number(actual), _number(expected)
        return a is not None and b is not None and compare(a, b)

    return match


def _ip(expected: str, actual: str) -> bool:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
    except ValueError:
        return False


def _bool(expected: str, actual: str) -> bool:
    return str(expected).lower() == str(actual).lower()


# operator (without IfExists / set prefix) -> (match one expected value, negated)
_OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "stringequals": (lambda e, a: e == a, False),
    "stringnotequals": (lambda e, a: e == a, True),
    "stringequalsignorecase": (lambda e, a: e.lower() == a.lower(), False),
    "stringnotequalsignorecase": (lambda e, a: e.lower() == a.lower(), True),
    "stringlike": (_like, False),
    "stringnotlike": (_like, True),
    "numericequals": (_numeric(lambda a, b: a == b), False),
    "numericnotequals": (_numeric(lambda a, b: a == b), True),
    "numericlessthan": (_numeric(lambda a, b: a < b), False),
    "numericlessthanequals": (_numeric(lambda a, b: a <= b), False),
    "numericgreaterthan": (_numeric(lambda a, b: a > b), False),
    "numericgreaterthanequals": (_numeric(lambda a, b: a >= b), False),
    "bool": (_bool, False),
    "arnequals": (_arn_like, False),
    "arnlike": (_arn_like, False),
    "arnnotequals": (_arn_like, True),
    "arnnotlike": (_arn_like, True),
    "ipaddress": (_ip, False),
    "notipaddress": (_ip, True),
}
# Operators this evaluator cannot decide from a plan; a statement using them matches UNKNOWN.
_UNDECIDABLE = {
    "dateequals",
    "datenotequals",
    "datelessthan",
    "datelessthanequals",
    "dategreaterthan",
    "dategreaterthanequals",
    "binaryequals",
}

_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def is_known_operator(operator: str) -> bool:
    base, _, _ = _split(operator)
    return base in _OPERATORS or base in _UNDECIDABLE or base == "null"


def _split(operator: str) -> tuple[str, str | None, bool]:
    """`ForAnyValue:StringLikeIfExists` -> ("stringlike", "foranyvalue", True)."""
    lowered = operator.lower()
    prefix = None
    if ":" in lowered:
        prefix, _, lowered = lowered.partition(":")
    if_exists = lowered.endswith("ifexists")
    if if_exists:
        lowered = lowered[: -len("ifexists")]
    return lowered, prefix, if_exists


def substitute_variables(value: Any, context: Context) -> Any:
    """Policy variables (`${aws:SourceAccount}`) take the request's value, in the Resource
    element and in a condition's values (IAM User Guide, reference_policies_variables.html,
    "Where you can use policy variables"); `${key, 'default'}` takes the default when the
    request has no value ("Specifying default values"). A variable the context cannot fill
    (a key this analysis does not model, or one unknown in a preview) makes the value UNKNOWN:
    AWS would find the statement not matching only if the key is truly absent."""
    if not isinstance(value, str) or "${" not in value:
        return value
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        key, default = _variable(match.group(1))
        values = context.get(key)
        if values and values[0] is not UNKNOWN:
            return str(values[0])
        if default is not None and not values:
            return default
        missing = True
        return ""

    substituted = _VARIABLE.sub(replace, value)
    return UNKNOWN if missing else substituted


def _variable(text: str) -> tuple[str, str | None]:
    """`aws:PrincipalTag/team, 'platform'` -> ("aws:principaltag/team", "platform")."""
    key, comma, default = text.partition(",")
    default = default.strip()
    if comma and len(default) >= 2 and default[0] == default[-1] == "'":
        return key.strip().lower(), default[1:-1].replace("''", "'")
    return key.strip().lower(), None


def variables_in(values: Any) -> set[str]:
    """The context keys the policy variables in `values` name, lower-cased as the context is."""
    found: set[str] = set()
    for value in values if values is not UNKNOWN and values is not None else ():
        if isinstance(value, str) and "${" in value:
            found.update(_variable(v)[0] for v in _VARIABLE.findall(value))
    return found


def evaluate_condition(operator: str, key: str, expected: Any, context: Context) -> Truth:
    base, prefix, if_exists = _split(operator)
    actual = context.get(key.lower())
    if base == "null":
        if expected is UNKNOWN:
            return UNKNOWN
        absent = actual is None or len(actual) == 0
        return any(_bool(str(e), "true" if absent else "false") for e in expected)
    if base in _UNDECIDABLE or base not in _OPERATORS:
        return UNKNOWN
    match, negated = _OPERATORS[base]
    if actual is None or len(actual) == 0:
        if if_exists or prefix == "forallvalues":
            return True
        return negated and prefix != "foranyvalue"
    if expected is UNKNOWN:
        return UNKNOWN
    expected = tuple(substitute_variables(e, context) for e in expected)

    def one(value: Any) -> Truth:
        if value is UNKNOWN:
            return UNKNOWN
        hits = any_of(UNKNOWN if e is UNKNOWN else match(str(e), str(value)) for e in expected)
        return negate(hits) if negated else hits

    results = [one(v) for v in actual]
    if prefix == "forallvalues":
        return all_of(results)
    return any_of(results)


def evaluate_conditions(conditions: Any, context: Context) -> Truth:
    if conditions is UNKNOWN:
        return UNKNOWN
    return all_of(evaluate_condition(op, key, values, context) for op, key, values in conditions)


def keys_read(conditions: Any) -> frozenset[str]:
    """The context keys evaluating `conditions` reads: each condition's key and the policy
    variables in its values (`${aws:PrincipalTag/team}`); lower-cased, as the context is."""
    if conditions is UNKNOWN:
        return frozenset()  # decided UNKNOWN without reading the context
    found = set()
    for _operator, key, values in conditions:
        found.add(key.lower())
        found |= variables_in(values)
    return frozenset(found)
