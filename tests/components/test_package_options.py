"""What the package promises every component in a Python program too: options reach every
child, integers sent as floats are integers, and values another resource produced are read."""

# No `from __future__ import annotations`: the probe TypedDict's annotations must be types.

import asyncio
from typing import NotRequired, TypedDict

import pulumi
import pytest

from mlrails_components.storage import EncryptedBucket, EncryptionKey
from mlrails_components.support.validation import Problems, check_types, settle
from tests.components.conftest import TAGS, resource


def bucket_and_key(protect: bool = True) -> None:
    """The program: an EncryptedBucket and an EncryptionKey, with the same options."""
    provider = pulumi.ProviderResource("aws", "eu", {})
    options = pulumi.ResourceOptions(protect=protect, providers={"aws": provider})
    EncryptedBucket("store", {"tags": TAGS}, options)
    EncryptionKey("models", {}, options)


def descendants(plan, name: str) -> list:
    urns = {next(r.urn for r in plan.resources if r.name == name)}
    found = []
    for record in plan.resources:  # registered after their parents
        if record.parent in urns:
            urns.add(record.urn)
            found.append(record)
    return found


@pytest.mark.parametrize("component", ["store", "models"], ids=["EncryptedBucket", "EncryptionKey"])
def test_protect_and_providers_of_a_component_reach_its_key_alias_and_bucket(program, component):
    plan = program(bucket_and_key)
    children = descendants(plan, component)
    assert {"aws:kms/key:Key", "aws:kms/alias:Alias"} <= {c.type for c in children}
    assert [c.name for c in children if not c.protect] == []
    assert [c.name for c in children if "pulumi:providers:aws::eu" not in (c.provider or "")] == []


def test_a_component_without_protect_leaves_its_children_deletable(program):
    plan = program(lambda: bucket_and_key(protect=False))
    assert not resource(plan, "store-bucket").protect and not resource(plan, "models-key").protect


class CountsArgs(TypedDict):
    """A probe of the wire's numbers."""

    days: int
    """Days."""
    sizes: NotRequired[list[int]]
    """Sizes."""
    ratio: NotRequired[float]
    """A ratio."""


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"days": 14.0}, {"days": 14}),
        ({"days": 14, "sizes": [1.0, 2.0]}, {"days": 14, "sizes": [1, 2]}),
        ({"days": 7, "ratio": 3}, {"days": 7, "ratio": 3}),
    ],
    ids=["integral-float", "integral-floats-in-a-list", "int-where-float"],
)
def test_integral_floats_are_taken_as_the_ints_they_stand_for(given, expected):
    problems = Problems("Probe", "p")
    check_types(CountsArgs, given, problems)
    assert problems.found == [] and given == expected
    assert all(type(v) is int for v in [given["days"], *given.get("sizes", [])])


@pytest.mark.parametrize(
    ("days", "problem"),
    [(14.5, "`days` is 14.5: input should be a valid integer"), (True, "`days` is True")],
    ids=["fraction", "boolean"],
)
def test_a_number_that_is_no_integer_is_refused_naming_the_argument(days, problem):
    problems = Problems("Probe", "p")
    check_types(CountsArgs, {"days": days}, problems)
    assert len(problems.found) == 1 and problems.found[0].startswith(problem)


def settled_output(value, known=True, secret=False) -> pulumi.Output:
    """An Output as the provider receives one: its value already arrived."""
    from pulumi.output import _OutputData

    data = asyncio.get_event_loop().create_future()
    data.set_result(_OutputData(set(), value, known, secret))
    return pulumi.Output._from_data(data)


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    # An output the test left pending is a task never started: cancelled and run to its end
    # here, its coroutine is not reported "never awaited" by whichever test collects it.
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    asyncio.set_event_loop(None)
    loop.close()


def test_a_settled_output_is_replaced_by_its_value(loop):
    args, problems = {"names": settled_output(["main", "canary"])}, Problems("Probe", "p")
    settle(args, "names", problems, "one alarm per name")
    assert args == {"names": ["main", "canary"]} and problems.found == []


@pytest.mark.parametrize(
    "output",
    [
        lambda: settled_output(None, known=False),
        lambda: settled_output(["main"], secret=True),
        lambda: pulumi.Output.from_input(["main"]).apply(lambda v: v),
    ],
    ids=["unknown", "secret", "pending"],
)
def test_an_output_without_a_usable_value_is_a_problem_saying_why(loop, output):
    args, problems = {"names": output()}, Problems("Probe", "p")
    settle(args, "names", problems, "there is one alarm per name")
    assert len(problems.found) == 1
    assert problems.found[0].startswith("`names` is <pulumi.output.Output")
    assert "there is one alarm per name" in problems.found[0]


def test_plain_values_are_left_to_the_type_check(loop):
    args, problems = {"names": ["main"]}, Problems("Probe", "p")
    settle(args, "names", problems, "one alarm per name")
    assert args == {"names": ["main"]} and problems.found == []
