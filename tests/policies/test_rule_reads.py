"""Every stack rule declares the resource types it consults besides those it judges.

An audit that could not list a type must know which rules it leaves unevaluated; a stack rule
that reads a type it did not declare would pass silently instead.
"""

from __future__ import annotations

import ast
import inspect

import pytest

from mlrails_policies import RULES

CONSULTING = ("of_type", "linked", "referrers", "judge_buckets")


def consulted_type_constants(rule) -> set[str]:
    """Upper-case names passed to the StackIndex lookups (or the bucket helper) in the rule's
    module."""
    source = inspect.getsource(inspect.getmodule(rule.check))
    names = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) in CONSULTING:
            for argument in node.args:
                for name in ast.walk(argument):
                    if isinstance(name, ast.Name) and name.id.isupper():
                        names.add(name.id)
    return names


@pytest.mark.parametrize("rule", [r for r in RULES if r.stack], ids=lambda r: r.id)
def test_a_stack_rule_declares_every_type_it_consults(rule):
    module = inspect.getmodule(rule.check)
    for name in consulted_type_constants(rule):
        value = getattr(module, name)
        types = (value,) if isinstance(value, str) else tuple(value)
        for type_ in types:
            assert rule.depends_on_type(type_.replace("*", "X")), f"{rule.id} reads {type_}"
