"""InferenceService as a package resource: what Pulumi's analyzer infers from its typed Args."""

from __future__ import annotations

import pytest

from mlrails_components.kubernetes import InferenceService
from tests.components import test_package_schema as package


@pytest.fixture
def schema(monkeypatch):
    """The package schema of InferenceService alone, built as for every listed component."""
    monkeypatch.setattr(package, "COMPONENTS", [InferenceService])
    return package.schema


def test_inference_service_is_a_component_with_typed_inputs_and_outputs(schema):
    document = schema()
    service = document["resources"]["mlrails:index:InferenceService"]
    assert service["isComponent"] is True
    assert sorted(service["requiredInputs"]) == ["modelFormat", "resources", "storageUri"]
    assert set(service["properties"]) == {
        "serviceName",
        "namespaceName",
        "clusterUrl",
        "alertNames",
    }
    assert service["inputProperties"]["shadow"]["$ref"] == "#/types/mlrails:index:ShadowModel"
    assert service["inputProperties"]["canaryTrafficPercent"]["type"] == "integer"
    resources = document["types"]["mlrails:index:ModelResources"]
    assert sorted(resources["required"]) == [
        "cpuLimit",
        "cpuRequest",
        "memoryLimit",
        "memoryRequest",
    ]


def test_every_input_and_type_property_documents_its_default(schema):
    document = schema()
    service = document["resources"]["mlrails:index:InferenceService"]
    properties = [
        (name, spec)
        for name, spec in service["inputProperties"].items()
        if name not in service["requiredInputs"]
    ] + [
        (f"{type_name}.{name}", spec)
        for type_name, type_ in document["types"].items()
        for name, spec in type_.get("properties", {}).items()
        if name not in type_.get("required", [])
    ]
    undocumented = [
        name for name, spec in service["inputProperties"].items() if not spec.get("description")
    ]
    undocumented += [
        f"{type_name}.{name}"
        for type_name, type_ in document["types"].items()
        for name, spec in type_.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []
    without_default = [name for name, spec in properties if "Default" not in spec["description"]]
    assert without_default == []
