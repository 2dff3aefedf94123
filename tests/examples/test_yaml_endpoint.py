"""examples/yaml-endpoint: a Pulumi YAML program that the mlrails package schema accepts.

The Pulumi CLI is not available here, so the program is checked against the schema the provider
serves: every mlrails resource is declared, every property is an input of it, required inputs
are given, and every value taken from another resource lands on an input that takes Outputs.
The provider itself constructs these components from such values in
tests/components/test_provider_host.py.
"""

from __future__ import annotations

import re

import pytest
import yaml

from mlrails_components.provider import package_schema
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "yaml-endpoint"
# `${resource.output}`, maybe followed by an index or key: `${credit.metricDimensions["main"]}`.
REFERENCE = re.compile(r"\$\{([\w-]+)\.(\w+)(?:\[[^\]]+\])*\}")


@pytest.fixture(scope="module")
def program() -> dict:
    return yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return package_schema()


def package_resources(program: dict, schema: dict) -> dict[str, tuple[dict, dict]]:
    """Resource name -> (its declaration, its schema resource), for the package's resources."""
    return {
        name: (declared, schema["resources"][declared["type"]])
        for name, declared in program["resources"].items()
        if declared["type"].startswith("mlrails:")
    }


def test_the_program_uses_the_package_from_this_repository(program):
    assert program["runtime"] == "yaml"
    plugin = (EXAMPLE / program["packages"]["mlrails"]).resolve()
    assert plugin == REPO / "components" / "plugin"
    assert (plugin / "PulumiPlugin.yaml").exists() and (plugin / "__main__.py").exists()


def test_every_package_resource_is_declared_by_the_schema(program, schema):
    types = {d["type"] for d in program["resources"].values() if d["type"].startswith("mlrails:")}
    assert types and types <= set(schema["resources"])


def test_every_property_is_an_input_and_every_required_input_is_given(program, schema):
    for name, (declared, resource) in package_resources(program, schema).items():
        given = set(declared.get("properties", {}))
        assert given <= set(resource["inputProperties"]), name
        assert set(resource.get("requiredInputs", [])) <= given, name


def test_every_reference_names_an_output_of_a_declared_resource(program, schema):
    resources = package_resources(program, schema)
    text = yaml.safe_dump(program["resources"])
    references = REFERENCE.findall(text)
    assert references
    for source, output in references:
        assert source in program["resources"], source
        if source in resources:
            assert output in resources[source][1]["properties"], f"{source}.{output}"


def test_values_from_other_resources_go_to_inputs_that_take_outputs(program, schema):
    wired = []
    for name, (declared, resource) in package_resources(program, schema).items():
        for key, value in declared.get("properties", {}).items():
            spec = resource["inputProperties"][key]
            if isinstance(value, str) and REFERENCE.fullmatch(value):
                wired.append(f"{name}.{key}")
                assert not spec.get("plain"), f"{name}.{key} takes no Output"
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, str) and REFERENCE.fullmatch(item):
                        wired.append(f"{name}.{key}[]")
                        assert not spec["items"].get("plain"), f"{name}.{key}[] takes no Output"
    assert "credit-alarms.variantNames" in wired and "credit-alarms.endpointName" in wired
