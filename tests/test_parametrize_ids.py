"""The collection check of tests/conftest.py: a parametrized case pytest could only number is
refused, a named one passes."""

from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import _has_positional_id


def case(id_: str, *argnames: str) -> SimpleNamespace:
    """A collected item as the check sees it: its parameters and the id pytest made."""
    return SimpleNamespace(callspec=SimpleNamespace(params=dict.fromkeys(argnames), id=id_))


def test_a_value_pytest_could_only_number_is_found():
    assert _has_positional_id(case("args3-no kind of monitoring", "args", "fragment"))
    assert _has_positional_id(case("resolved-change0", "mode", "change"))


def test_named_cases_and_plain_tests_pass():
    assert not _has_positional_id(case("capture-off-`x` is 1", "args", "fragment"))
    # A name that merely starts like an argument is a name.
    assert not _has_positional_id(case("args-given", "args"))
    assert not _has_positional_id(SimpleNamespace())
