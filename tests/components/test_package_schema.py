"""The components as a Pulumi package: the schema Pulumi's analyzer builds from the typed Args."""

from __future__ import annotations

from mlrails_components.provider import COMPONENTS, PACKAGE, package_schema


def schema() -> dict:
    # Reads this module's COMPONENTS, so a test can narrow it (tests/components/kubernetes).
    return package_schema(COMPONENTS)


def test_every_component_is_a_package_resource():
    resources = schema()["resources"]
    assert set(resources) == {f"{PACKAGE}:index:{c.__name__}" for c in COMPONENTS}
    endpoint = resources["mlrails:index:ModelEndpoint"]
    assert endpoint["isComponent"] is True
    assert endpoint["requiredInputs"] == ["variants"]
    assert {"endpointName", "endpointArn", "rollbackAlarmNames"} <= set(endpoint["properties"])


def test_nested_args_become_package_types():
    types = schema()["types"]
    variant = types["mlrails:index:Variant"]["properties"]
    assert variant["serverless"]["$ref"] == "#/types/mlrails:index:Serverless"
    assert variant["initialInstanceCount"]["type"] == "integer"


def test_every_input_and_type_property_is_documented():
    document = schema()
    undocumented = [
        f"{name}.{prop}"
        for name, resource in document["resources"].items()
        for prop, spec in resource["inputProperties"].items()
        if not spec.get("description")
    ] + [
        f"{name}.{prop}"
        for name, type_ in document["types"].items()
        for prop, spec in type_.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []
