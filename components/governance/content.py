"""A model card's content: rendered from typed arguments, validated before it is registered.

Content is validated against the published model card JSON schema (`model_card_schema.json`,
with its source), every problem with its JSON path. The SageMaker SDK's own model card shapes
agree with it where they cover it (tests/components/governance checks that on the cards it
renders); they are not imported here, because importing the SDK costs about two seconds
of every program run.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

SCHEMA = Path(__file__).with_name("model_card_schema.json")


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    # Imported when a card is built: a program without cards does not pay its 40 ms.
    import jsonschema

    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, message) for every way `content` breaks the model card schema."""
    return [
        (_path(error.absolute_path), error.message)
        for error in sorted(
            _validator().iter_errors(content), key=lambda e: list(map(str, e.absolute_path))
        )
    ]


def without_empty(value: Any) -> Any:
    """Drop unset sections and fields: the card holds what was given, nothing else."""
    if isinstance(value, dict):
        cleaned = {k: without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value
