"""The component reference, `docs/components.md`, generated from the schema the package serves.

Pulumi's component-provider analyzer reads each component's Args TypedDict and the docstring
under each key; that analysis, finished by `components.provider`, is the package schema YAML,
TypeScript and Go users get from `pulumi package add`. The reference renders that same schema
for Python users, so the two cannot disagree, and refuses to render an argument nobody
documented.

    python -m mlrails_components.reference [--output docs/components.md]

A test regenerates the page and fails when the committed file is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pulumi.provider.experimental.analyzer import Analyzer, AnalyzeResult

from mlrails_components.provider import COMPONENTS, PACKAGE, package_schema, schema_type_name
from mlrails_components.reference_text import (
    args_typeddict,
    introduction,
    literal_angle_brackets,
    paragraphs,
    public_module,
    referenced_types,
    summary,
)

REGENERATE = "python -m mlrails_components.reference --output docs/components.md"
_CODE_SPAN = re.compile(r"(`[^`]*`)")
_TOKEN_PREFIX = f"{PACKAGE}:index:"
_LOCAL_TYPE = f"#/types/{_TOKEN_PREFIX}"
_SCALARS = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "object": "dict",
}


class UndocumentedArgumentsError(ValueError):
    """Arguments without a docstring: the reference would leave users guessing what they do."""

    exit_code = 2


def analyze(components: Sequence[type] | None = None) -> AnalyzeResult:
    """Pulumi's analysis of the components (default: every component of the package)."""
    return Analyzer(PACKAGE).analyze(_chosen(components))


def undocumented_arguments(components: Sequence[type] | None = None) -> list[str]:
    """`Component.argument` or `ArgsType.argument` for every argument without a description."""
    chosen = _chosen(components)
    return [f"{owner}.{key}" for owner, key, _ in _undocumented(chosen, analyze(chosen))]


def render_reference(components: Sequence[type] | None = None) -> str:
    """The Markdown reference; UndocumentedArgumentsError if an argument has no docstring."""
    chosen = _chosen(components)
    analyzed = analyze(chosen)
    missing = list(_undocumented(chosen, analyzed))
    if missing:
        listed = ", ".join(f"`{owner}.{key}` ({where})" for owner, key, where in missing)
        raise UndocumentedArgumentsError(
            f"{len(missing)} argument(s) have no description: {listed}. Add a docstring under "
            "each key of its Args TypedDict saying what it does and what its default does, then "
            f"run `{REGENERATE}`."
        )
    return "\n".join(_Page(chosen, analyzed, package_schema(chosen)).lines()) + "\n"


def _chosen(components: Sequence[type] | None) -> list[type]:
    # COMPONENTS is read at call time, so a test can narrow the package to what it checks.
    return list(COMPONENTS if components is None else components)


def _undocumented(
    components: list[type], analyzed: AnalyzeResult
) -> Iterator[tuple[str, str, str]]:
    """(owner, Python key, the TypedDict to fix) of every argument without a description."""
    for component in components:
        definition = analyzed["component_definitions"][component.__name__]
        args_type = args_typeddict(component)
        for schema_name, prop in definition.inputs.items():
            if not (prop.description or "").strip():
                key = definition.inputs_mapping[schema_name]
                yield component.__name__, key, f"{args_type.__module__}.{args_type.__name__}"
    for name, type_definition in sorted(analyzed["type_definitions"].items()):
        for schema_name, prop in type_definition.properties.items():
            if not (prop.description or "").strip():
                key = type_definition.properties_mapping[schema_name]
                yield name, key, f"{type_definition.module}.{name}"


class _Page:
    """The Markdown of the reference: contents, one section per component, then nested types.

    Every fact comes from the schema the provider serves; Pulumi's analysis of the same classes
    only gives the Python names (`endpoint_name` for `endpointName`, `VariantArgs` for `Variant`).
    """

    def __init__(
        self, components: list[type], analyzed: AnalyzeResult, schema: dict[str, Any]
    ) -> None:
        self.components = components
        self.resources = {
            component.__name__: schema["resources"][f"{_TOKEN_PREFIX}{component.__name__}"]
            for component in components
        }
        self.definitions = analyzed["component_definitions"]
        args_types = {args_typeddict(c): c.__name__ for c in components}
        # Python name of each schema type, and its properties' Python names.
        python_names = {
            schema_type_name(name, components): name for name in analyzed["type_definitions"]
        }
        self.type_mappings = {
            name: definition.properties_mapping
            for name, definition in analyzed["type_definitions"].items()
        }
        self.python_names = python_names
        # A nested type that is also a component's Args (ModelCardArgs) links to that component.
        component_args = {
            definition.name
            for definition in analyzed["type_definitions"].values()
            if definition.python_type in args_types
        }
        self.types = {
            python_names[token.removeprefix(_TOKEN_PREFIX)]: (token, spec)
            for token, spec in sorted(schema["types"].items())
            if python_names[token.removeprefix(_TOKEN_PREFIX)] not in component_args
        }
        self.links = {name: f"#{name.lower()}" for name in self.types}
        self.links |= {
            definition.name: f"#{args_types[definition.python_type].lower()}"
            for definition in analyzed["type_definitions"].values()
            if definition.python_type in args_types
        }
        self.used_by = self._references()

    def lines(self) -> Iterator[str]:
        yield from introduction(REGENERATE)
        yield from self._contents()
        for component in self.components:
            yield from self._component(component)
        yield from ["", "## Argument types"]
        for name, (token, spec) in self.types.items():
            yield from ["", f"### {name}", "", paragraphs(spec.get("description")), ""]
            yield f"Package type `{token}`."
            yield from self._used_by(name, "Used by")
            mapping = self.type_mappings[name]
            required = set(spec.get("required", []))
            properties = [
                (mapping[key], prop, key in required)
                for key, prop in spec.get("properties", {}).items()
            ]
            yield from self._arguments_table(properties)

    def _contents(self) -> Iterator[str]:
        yield from ["", "## Contents", "", "Components:", ""]
        for component in self.components:
            name = component.__name__
            description = self.resources[name].get("description")
            yield f"- [{name}](#{name.lower()}): {summary(description)}"
        yield from ["", "[Argument types](#argument-types):", ""]
        yield from (f"- [{name}]({self.links[name]})" for name in self.types)

    def _component(self, component: type) -> Iterator[str]:
        name = component.__name__
        resource = self.resources[name]
        definition = self.definitions[name]
        yield from ["", f"## {name}", "", paragraphs(resource.get("description")), ""]
        yield from ["```python", f"from {public_module(component)} import {name}", "```", ""]
        args_type = args_typeddict(component).__name__
        yield f"Package resource `{PACKAGE}:index:{name}`; arguments `{args_type}`."
        yield from self._used_by(args_type, "Also the type of")
        required = set(resource.get("requiredInputs", []))
        inputs = [
            (definition.inputs_mapping[key], prop, key in required)
            for key, prop in resource.get("inputProperties", {}).items()
        ]
        yield from ["", "**Arguments**"]
        yield from self._arguments_table(inputs)
        yield from ["", "**Outputs**", "", "| output | type | description |", "|---|---|---|"]
        for key, prop in resource.get("properties", {}).items():
            yield (
                f"| `{definition.outputs_mapping[key]}` | {self._type(prop, inputs=False)} "
                f"| {_description(prop)} |"
            )

    def _arguments_table(self, arguments: list[tuple[str, dict[str, Any], bool]]) -> Iterator[str]:
        yield from ["", "| argument | type | required | description |", "|---|---|---|---|"]
        for key, prop, required in arguments:
            type_ = self._type(prop, inputs=True)
            yield (
                f"| `{key}` | {type_} | {'required' if required else 'optional'} "
                f"| {_description(prop)} |"
            )

    def _used_by(self, type_name: str, lead: str) -> Iterator[str]:
        users = self.used_by.get(type_name)
        if users:
            yield ""
            yield f"{lead} " + ", ".join(f"[`{where}`]({link})" for where, link in users) + "."

    def _type(self, spec: dict[str, Any], inputs: bool) -> str:
        """The Python type, linked; `Input[...]` where an input also takes a pulumi.Output."""
        if "$ref" in spec:
            text = self._ref(spec["$ref"])
        elif spec.get("type") == "array" and "items" in spec:
            text = f"list[{self._type(spec['items'], inputs)}]"
        elif spec.get("type") == "object" and "additionalProperties" in spec:
            text = f"dict[str, {self._type(spec['additionalProperties'], inputs)}]"
        else:
            text = _SCALARS.get(spec.get("type", ""), "Any")
        # Outputs are all pulumi.Outputs; only inputs distinguish plain values from Inputs.
        return text if not inputs or spec.get("plain") else f"Input[{text}]"

    def _ref(self, ref: str) -> str:
        if ref.startswith(_LOCAL_TYPE):
            name = self.python_names[ref.removeprefix(_LOCAL_TYPE)]
            return f"[{name}]({self.links[name]})" if name in self.links else name
        token = ref.rsplit("/", 1)[-1].replace("%2F", "/")  # pulumi.json#/Any, other packages
        return f"`{token}`"

    def _references(self) -> dict[str, list[tuple[str, str]]]:
        """Python type name -> the (`Owner.key`, link to the owner) of every argument holding it."""
        owners = [
            (
                name,
                f"#{name.lower()}",
                resource.get("inputProperties", {}),
                self.definitions[name].inputs_mapping,
            )
            for name, resource in self.resources.items()
        ] + [
            (name, self.links[name], spec.get("properties", {}), self.type_mappings[name])
            for name, (_, spec) in self.types.items()
        ]
        used_by: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for owner, link, properties, mapping in owners:
            for key, prop in properties.items():
                for type_name in referenced_types(prop):
                    used_by[self.python_names[type_name]].append((f"{owner}.{mapping[key]}", link))
        return used_by


def _description(spec: dict[str, Any]) -> str:
    """The docstring on one line: a table cell cannot hold the docstring's line breaks."""
    one_line = " ".join(spec.get("description", "").split())
    # A backslash or a pipe would end the cell early or escape its neighbour.
    return literal_angle_brackets(one_line.replace("\\", "\\\\").replace("|", "\\|"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mlrails_components.reference",
        description="Generate the component reference (Markdown) from the components' typed Args.",
    )
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write it to FILE (default: stdout)"
    )
    args = parser.parse_args(argv)
    try:
        text = render_reference()
        if args.output is None:
            sys.stdout.write(text)
        else:
            args.output.write_text(text, encoding="utf-8")
    except UndocumentedArgumentsError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as err:
        print(
            f"error: {args.output}: cannot write the reference ({err.strerror}).", file=sys.stderr
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
