"""Reading a `mlrails preview --format json` document, checked against its contract.

`mlrails diff` takes two of these from CI artifacts, which may be truncated, hand-edited or
from another tool. Each is read with the input limits of `mlrails.files` and validated against
the JSON contract of DESIGN.md ("`--format json` of preview is this object"), so a wrong
document is one message naming the file and the key (`violations[3].enforcement`), never a
KeyError or TypeError halfway through the diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from mlrails.errors import UserError
from mlrails.files import MAX_REPORT_BYTES, parse_json_input, read_text_input

_WHAT = "the JSON written by `mlrails preview --format json`"
_STRING_OR_NULL = {"type": ["string", "null"]}
_COUNT = {"type": "integer", "minimum": 0}

PREVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["project", "stack", "mode", "resources", "violations", "summary"],
    "properties": {
        "project": {"type": "string"},
        "stack": {"type": "string"},
        "mode": {"enum": ["resolved", "preview"]},
        "resources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["urn", "type", "name", "parent", "custom", "dependencies", "inputs"],
                "properties": {
                    "urn": {"type": "string"},
                    "type": {"type": "string"},
                    "name": {"type": "string"},
                    "parent": _STRING_OR_NULL,
                    "custom": {"type": "boolean"},
                    "dependencies": {"type": "array", "items": {"type": "string"}},
                    "inputs": {"type": "object"},
                },
            },
        },
        "violations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["policy", "pack", "enforcement", "urn", "message", "waived"],
                "properties": {
                    "policy": {"type": "string"},
                    "pack": {"type": "string"},
                    "enforcement": {"enum": ["advisory", "mandatory", "remediate", "disabled"]},
                    "severity": _STRING_OR_NULL,
                    "urn": _STRING_OR_NULL,
                    "message": {"type": "string"},
                    "waived": {"type": "boolean"},
                    "status": {"enum": ["violation", "not_evaluated"]},
                },
            },
        },
        "summary": {
            "type": "object",
            "required": ["resources", "mandatory", "advisory", "waived", "not_evaluated"],
            "properties": {key: _COUNT for key in ("resources", "mandatory", "advisory", "waived")}
            | {"not_evaluated": _COUNT},
        },
    },
}

_VALIDATOR = jsonschema.Draft7Validator(PREVIEW_SCHEMA)


def read_preview(path: Path) -> dict[str, Any]:
    """The preview document in `path`; UserError naming the file and the wrong key."""
    data = parse_json_input(path, read_text_input(path, _WHAT, MAX_REPORT_BYTES), _WHAT)
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        raise UserError(f"{path}: is not an mlrails preview: {_describe(error)}. Pass {_WHAT}.")
    return data


def _describe(error: jsonschema.ValidationError) -> str:
    where = _key_path(error.absolute_path)
    if error.validator == "required":
        missing = next((k for k in error.validator_value if k not in error.instance), "?")
        return f"key `{_key_path([*error.absolute_path, missing])}` is missing"
    found = repr(error.instance)
    found = found if len(found) <= 60 else found[:57] + "..."
    expected = error.schema.get("type") or error.schema.get("enum") or error.validator_value
    if error.validator == "minimum":
        expected = "a count of at least 0"
    return f"key `{where or '(top level)'}` is {found}; expected {_expected(expected)}"


def _expected(expected: Any) -> str:
    if isinstance(expected, list):
        return " or ".join(str(e) for e in expected)
    return str(expected)


def _key_path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def projects_differ(base: dict[str, Any], head: dict[str, Any]) -> bool:
    """Whether two previews come from different projects (a diff of them compares nothing)."""
    return base["project"] != head["project"]
