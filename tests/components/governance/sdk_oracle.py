"""The SageMaker SDK's model card shapes, as a second oracle for the rendered content.

The components validate against the published JSON schema only (importing the SDK costs about
two seconds of every program run); the tests check that the SDK's shapes agree.
"""

from __future__ import annotations

import functools
from typing import Any


def sdk_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, message) for what the SDK's shapes reject, on the parts they cover."""
    import pydantic
    from sagemaker.core.shapes.model_card_shapes import ModelCardContent

    covered = {k: v for k, v in content.items() if k in ModelCardContent.model_fields}
    overview = covered.get("model_overview")
    if isinstance(overview, dict):
        # The SDK's overview lacks a few schema fields (name, version, environment).
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


def _path(parts) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
