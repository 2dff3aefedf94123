"""docs/components.md: generated from the typed Args, complete, documented, and kept fresh."""

# No `from __future__ import annotations`: Pulumi's analyzer reads the probe's annotations as
# types, and TypedDict needs them evaluated to tell required keys from NotRequired ones.

import inspect
import re
from typing import NotRequired, TypedDict

import pulumi
import pytest

from mlrails_components import reference
from mlrails_components.provider import COMPONENTS
from mlrails_components.reference import (
    REGENERATE,
    UndocumentedArgumentsError,
    render_reference,
    undocumented_arguments,
)
from tests.conftest import REPO

DOCS = REPO / "docs" / "components.md"


class ProbeArgs(TypedDict):
    """Arguments of a component that exists only to be checked."""

    documented: str
    """Has a docstring."""
    undocumented: NotRequired[int]


class Probe(pulumi.ComponentResource):
    """A throwaway component with one undocumented argument."""

    def __init__(
        self, name: str, args: ProbeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlrails:test:Probe", name, None, opts)


@pytest.fixture(scope="module")
def page() -> str:
    return render_reference()


def section(page: str, component: str) -> str:
    start = page.index(f"\n## {component}\n")
    end = page.find("\n## ", start + 1)
    return page[start:end]


def test_the_committed_reference_is_the_generated_one(page):
    assert DOCS.read_text(encoding="utf-8") == page, (
        f"docs/components.md is stale: run `{REGENERATE}`"
    )


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_argument_of_every_component_is_listed_as_required_or_optional(page, component):
    args = inspect.get_annotations(component.__init__)["args"]
    listed = dict(
        re.findall(
            r"^\| `(\w+)` \| [^|]+ \| (required|optional) \|",
            section(page, component.__name__),
            re.M,
        )
    )
    assert listed == {
        key: "required" if key in args.__required_keys__ else "optional"
        for key in args.__annotations__
    }


def test_every_link_in_the_reference_leads_to_a_heading(page):
    anchors = {h.lower().replace(" ", "-") for h in re.findall(r"^#+ (.+)$", page, re.M)}
    assert set(re.findall(r"\]\(#([^)]+)\)", page)) <= anchors


def test_an_undocumented_argument_is_named_as_component_dot_argument():
    assert undocumented_arguments([Probe]) == ["Probe.undocumented"]


def test_the_reference_is_refused_while_an_argument_is_undocumented():
    with pytest.raises(
        UndocumentedArgumentsError, match=r"`Probe\.undocumented` \(.*\.ProbeArgs\)"
    ) as refused:
        render_reference([Probe])
    assert refused.value.exit_code == 2 and "Probe.documented" not in str(refused.value)


def test_the_command_writes_nothing_and_exits_2_on_an_undocumented_argument(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(reference, "COMPONENTS", [Probe])
    output = tmp_path / "components.md"
    assert reference.main(["--output", str(output)]) == 2
    assert "`Probe.undocumented`" in capsys.readouterr().err
    assert not output.exists()


def test_the_command_writes_the_reference_to_the_output_file(tmp_path, page):
    output = tmp_path / "components.md"
    assert reference.main(["--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == page
