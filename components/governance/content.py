"""A model card's content: rendered from typed arguments, validated before it is registered.

Validation runs twice, and reports every problem with its JSON path: against the published
model card JSON schema (`model_card_schema.json`, with its source), and against the SageMaker
SDK's own model card shapes (`sagemaker.core.shapes.model_card_shapes`) where they cover it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA = Path(__file__).with_name("model_card_schema.json")


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, message) for every way `content` breaks the model card schema."""
    problems = [
        (_path(error.absolute_path), error.message)
        for error in sorted(
            _validator().iter_errors(content), key=lambda e: list(map(str, e.absolute_path))
        )
    ]
    if problems:
        return problems
    return sdk_problems(content)


def sdk_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """What the SageMaker SDK's model card shapes reject (imported here: the SDK is heavy)."""
    import pydantic
    from sagemaker.core.shapes.model_card_shapes import ModelCardContent

    covered = {k: v for k, v in content.items() if k in ModelCardContent.model_fields}
    overview = covered.get("model_overview")
    if isinstance(overview, dict):
        # The SDK's overview lacks a few schema fields (name, version, environment): check the rest.
        covered["model_overview"] = {
            k: v for k, v in overview.items() if k in _sdk_fields("ModelOverview")
        }
    try:
        ModelCardContent.model_validate(covered)
    except pydantic.ValidationError as error:
        return [(_path(e["loc"]), e["msg"]) for e in error.errors()]
    return []


@functools.cache
def _sdk_fields(shape: str) -> frozenset[str]:
    from sagemaker.core.shapes import model_card_shapes

    return frozenset(getattr(model_card_shapes, shape).model_fields)


def without_empty(value: Any) -> Any:
    """Drop unset sections and fields: the card holds what was given, nothing else."""
    if isinstance(value, dict):
        cleaned = {k: without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value
