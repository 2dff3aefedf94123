"""Transforms run offline as the engine runs them: what policies see is what they return."""

from __future__ import annotations

from mlrails.engine.run import run_program
from mlrails.project import load_project
from tests.conftest import REPO

PROGRAM = REPO / "tests" / "corpus" / "engine_transforms"


def test_the_registered_inputs_and_options_are_the_transformed_ones():
    plan = run_program(load_project(PROGRAM, "dev"))
    records = {r.name: r for r in plan.resources}
    # Declared with one tag each; the stack transform runs only for what follows it.
    assert records["early"].inputs["tags"] == {"team": "ml"}
    assert records["jobs"].inputs["tags"]["owner"] == "ml"
    # A resource's own transform returns options too; the engine registers those.
    assert records["alerts"].ignore_changes == ["tags"]
    assert records["jobs"].ignore_changes == []
    # The component's transform reaches its child, before the stack's.
    assert records["ml-work"].inputs["tags"]["transforms"] == "ml-work,stack"
    assert not [w for w in plan.warnings if "transform" in w]
