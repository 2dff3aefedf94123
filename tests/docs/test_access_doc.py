"""docs/access.md is what the access analysis says of every example and stack today."""

from __future__ import annotations

from mlrails.access_report import REGENERATE, accesses, projects, render
from tests.conftest import REPO, resolved_plan


def test_the_access_page_is_fresh():
    expected = render(
        (title, accesses(resolved_plan(directory, stack))) for title, directory, stack in projects()
    )
    assert (REPO / "docs" / "access.md").read_text() == expected, f"stale: run `{REGENERATE}`"


def test_every_access_of_every_example_and_stack_is_allowed():
    for title, directory, stack in projects():
        refused = [
            (a.rule, a.need.purpose if a.need else a.by, a.by)
            for a in accesses(resolved_plan(directory, stack))
            if a.verdict != "allowed"
        ]
        assert refused == [], title
