"""What a policy pack sees of the run, as the engine shows it to a pack process: the project,
the stack, its configuration (also at import time), a dry run, each resource's options and its
provider. The expectations follow pulumi-policy's integration tests (runtime_data,
resource_options, provider)."""

from __future__ import annotations

import json

import pytest
from pulumi_aws._utilities import get_version

from tests.conftest import PROJECTS, TESTS

PROBE = TESTS / "packs" / "probe"
DEFAULT_PROVIDER = f"default_{get_version().replace('.', '_')}"


def _seen(cli) -> dict[str, dict]:
    result = cli("preview", PROJECTS / "options_probe", "--policy-pack", PROBE, "--format", "json")
    assert result.code == 0, result.err
    return {
        f["urn"].rsplit("::", 1)[-1]: json.loads(f["message"]) for f in result.json()["violations"]
    }


def test_the_pack_sees_the_project_stack_config_and_a_dry_run_also_at_import(cli):
    for name, what in _seen(cli).items():
        assert what["loaded"] == {
            "project": "options-probe",
            "stack": "dev",
            "greeting": "hello",
            "region": "eu-west-2",
        }, name
        assert (what["project"], what["stack"], what["dry_run"]) == ("options-probe", "dev", True)


@pytest.mark.parametrize(
    ("resource", "option", "expected"),
    [
        ("plain", "protect", False),
        ("protected", "protect", True),
        ("plain", "ignore_changes", []),
        ("ignore", "ignore_changes", ["tags", "delaySeconds"]),
        ("plain", "delete_before_replace", None),
        ("dbr-true", "delete_before_replace", True),
        ("dbr-false", "delete_before_replace", False),
        # Only aliases of resources in the previous state reach a pack; offline there is none.
        ("aliased", "aliases", []),
        ("plain", "timeouts", [0, 0, 0]),
        ("timeouts", "timeouts", [60, 120, 180]),
        ("secrets", "secret_outputs", ["url"]),
    ],
    ids=lambda v: str(v),
)
def test_resource_options_reach_the_pack(cli, resource, option, expected):
    assert _seen(cli)[resource][option] == expected


def test_default_and_explicit_providers_reach_the_pack_as_the_engine_names_them(cli):
    seen = _seen(cli)
    assert seen["options-probe-dev"]["provider"] is None  # the stack has no provider
    assert seen[DEFAULT_PROVIDER]["provider"] is None  # nor has a provider
    assert seen["plain"]["provider"] == {
        "type": "pulumi:providers:aws",
        "name": DEFAULT_PROVIDER,
        "urn": f"urn:pulumi:dev::options-probe::pulumi:providers:aws::{DEFAULT_PROVIDER}",
        "version": get_version(),
        "region": "eu-west-2",  # from aws:region in the stack configuration
    }
    explicit = seen["explicit"]["provider"]
    assert (explicit["name"], explicit["region"], explicit["version"]) == (
        "west",
        "us-west-2",
        get_version(),
    )
