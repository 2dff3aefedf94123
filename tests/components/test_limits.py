"""The limits table helper: ranges with steps, their expected form, Outputs left to the provider."""

from __future__ import annotations

import pytest

from mlrails_components.support.limits import Limit, check_limits
from mlrails_components.support.validation import Problems

MEMORY = Limit(1024, 6144, "memory comes in 1 GB steps", source="test", step=1024)
CONCURRENCY = Limit(1, 200, "SageMaker allows 1 to 200", source="test")


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        pytest.param(1024, True, id="lowest"),
        pytest.param(6144, True, id="highest"),
        pytest.param(2048.0, True, id="integral-float"),
        pytest.param(1536, False, id="between-steps"),
        pytest.param(0, False, id="below"),
        pytest.param(7168, False, id="above"),
    ],
)
def test_a_stepped_limit_allows_only_its_steps(value, allowed):
    assert MEMORY.allows(value) is allowed


def test_the_expected_form_names_the_range_and_its_step():
    assert MEMORY.expected() == "1024 to 6144 in steps of 1024"
    assert CONCURRENCY.expected() == "1 to 200"


def test_check_limits_reports_every_value_outside_its_range_with_the_default_fix():
    problems = Problems("Thing", "t")
    check_limits(
        {"memory": MEMORY, "concurrency": CONCURRENCY},
        {"memory": 100, "concurrency": 201},
        problems,
        prefix="serverless.",
    )
    assert problems.found == [
        "`serverless.memory` is 100: memory comes in 1 GB steps; choose 1024 to 6144",
        "`serverless.concurrency` is 201: SageMaker allows 1 to 200; choose 1 to 200",
    ]


class _NotYetKnown:
    """An Input whose value arrives later (an Awaitable, as `pulumi.Input` allows)."""

    def __await__(self):
        yield
        return 500


def test_absent_keys_and_values_not_yet_known_are_not_judged():
    problems = Problems("Thing", "t")
    check_limits(
        {"memory": MEMORY, "concurrency": CONCURRENCY},
        {"concurrency": _NotYetKnown()},
        problems,
    )
    assert problems.found == []
