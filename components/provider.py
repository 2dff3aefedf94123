"""The components as a Pulumi component package, for YAML, TypeScript and Go users.

`pulumi package add <path to this repository>/components/plugin` starts `components/plugin`,
which calls `serve`: a component provider whose schema Pulumi's analyzer infers from the
components' typed Args, finished here (package metadata, type names), and served as it is
returned by `package_schema`, which also renders docs/components.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from pulumi.provider.experimental.analyzer import PropertyType
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.server import main

from mlrails_components.governance import ModelCard, ModelRegistry
from mlrails_components.kubernetes import InferenceService
from mlrails_components.monitoring import (
    AlertTopic,
    EndpointAlarms,
    EndpointDashboard,
    ModelMonitor,
    OpenSourceMonitor,
)
from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket, EncryptionKey
from mlrails_components.support.tokens import PACKAGE
from mlrails_components.support.validation import is_output

COMPONENTS = [
    EncryptionKey,
    EncryptedBucket,
    ModelEndpoint,
    ModelMonitor,
    OpenSourceMonitor,
    EndpointAlarms,
    AlertTopic,
    EndpointDashboard,
    ModelCard,
    ModelRegistry,
    InferenceService,
]

# What the registry and generated SDKs show about the package (pkg/codegen/schema/pulumi.json).
METADATA: dict[str, Any] = {
    "displayName": "mlrails",
    "namespace": PACKAGE,
    "publisher": "mlrails maintainers",
    "description": (
        "Safe ML serving on AWS and Kubernetes: SageMaker endpoints with traffic shifting and "
        "rollback, monitoring and alarms, KMS-encrypted stores, model cards and registry, "
        "and KServe serving."
    ),
    "keywords": ["sagemaker", "kserve", "mlops", "kind/component", "category/cloud"],
    "license": "Apache-2.0",
    "repository": "https://github.com/mlrails/mlrails",
}


class MlrailsProvider(ComponentProvider):
    """Pulumi's ComponentProvider over the components, with the finished schema."""

    def __init__(self, components: Sequence[type] | None = None) -> None:
        chosen = list(COMPONENTS if components is None else components)
        super().__init__(chosen, PACKAGE, METADATA["namespace"], version("mlrails"))
        self.schema = json.dumps(_finished(json.loads(self.schema or "{}"), chosen))

    def map_input_properties(self, inputs, properties, mapping, component_name, property_path):
        # ComponentProvider calls int() on every integer input (pulumi 3.272), which raises for
        # an Output; an Output is passed as it is, and the component's check reads it later.
        if not isinstance(inputs, dict):
            return super().map_input_properties(
                inputs, properties, mapping, component_name, property_path
            )
        deferred = {
            key
            for key, prop in properties.items()
            if prop.type is PropertyType.INTEGER and is_output(inputs.get(key))
        }
        mapped = super().map_input_properties(
            {k: v for k, v in inputs.items() if k not in deferred},
            {k: p for k, p in properties.items() if k not in deferred},
            mapping,
            component_name,
            property_path,
        )
        return mapped | {mapping[key]: inputs[key] for key in deferred}


def package_schema(components: Sequence[type] | None = None) -> dict[str, Any]:
    """The schema the provider serves (GetSchema), for every component or the ones given."""
    return json.loads(MlrailsProvider(components).schema or "{}")


def schema_type_name(python_name: str, components: Sequence[type]) -> str:
    """The schema's name for an Args TypedDict: without `Args`, which generated SDKs append.

    TypeScript and Go name a type's input form `<Name>Args`: `VariantArgs` would become
    `VariantArgsArgs`. A name that is also a component's (ModelCardArgs, nested in
    ModelEndpoint) becomes `<Name>Properties`, since Go puts types and resources side by side.
    """
    name = python_name.removesuffix("Args")
    return f"{name}Properties" if name in {c.__name__ for c in components} else name


def serve(argv: list[str]) -> None:
    """Serve the package over gRPC as a Pulumi plugin; prints the port, as the engine expects."""
    main(MlrailsProvider(), argv)


def _finished(schema: dict[str, Any], components: Sequence[type]) -> dict[str, Any]:
    prefix = f"{PACKAGE}:index:"
    renames = {
        f"{prefix}{name}": f"{prefix}{schema_type_name(name, components)}"
        for name in (token.removeprefix(prefix) for token in schema.get("types", {}))
    }
    text = json.dumps(schema)
    for old, new in renames.items():
        # Quoted tokens and `#/types/<token>"` references: nothing else contains the token.
        text = text.replace(f'"{old}"', f'"{new}"').replace(f'/{old}"', f'/{new}"')
    return json.loads(text) | METADATA
