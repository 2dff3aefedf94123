"""Typed stack configuration: a project's config keys read into one pydantic model.

A stack file is user input, so a wrong or missing key must come back as one message naming the
stack file and the key, the value and the expected form, never a traceback. `StackConfigError`
is a `pulumi.RunError`, which the Pulumi CLI (and `mlrails preview`) print without a traceback.
Values of secret keys are never shown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TypeVar

import pulumi
import pydantic
from pulumi.runtime import config as runtime_config
from pydantic.alias_generators import to_camel

SECRET_SHOWN_AS = "[secret]"
# Keys whose value is hidden even when not marked secret: a misspelled or unmarked secret
# (`dbPasword`, `apiTokn`) is still a secret, and its value would reach a CI log.
_SECRET_LOOKING = re.compile(r"pass|pwd|secr|tok|key|cred|auth|priv|cert", re.I)
Model = TypeVar("Model", bound=pydantic.BaseModel)


class StackConfigError(pulumi.RunError):
    """The stack's configuration does not fit the program's model."""


class ConfigModel(pydantic.BaseModel):
    """Base of config models: camelCase keys as Pulumi stack files write them, no unknown keys
    (a typo must not silently fall back to a default), immutable once read."""

    model_config = pydantic.ConfigDict(
        alias_generator=to_camel, extra="forbid", frozen=True, populate_by_name=False
    )


def load_stack_config(model: type[Model], namespace: str | None = None) -> Model:
    """Every key of `namespace` (default: the project's) validated into `model`, all problems
    reported together."""
    namespace = namespace or pulumi.get_project()
    raw, secret = _namespace_values(namespace)
    try:
        return model.model_validate(raw)
    except pydantic.ValidationError as err:
        problems = [_describe(namespace, model, raw, secret, e) for e in err.errors()]
        raise StackConfigError(_message(problems)) from None


def stack_file() -> str:
    """The stack's settings file, as the user knows it (relative to the project directory)."""
    stack = pulumi.get_stack()
    for suffix in ("yaml", "yml"):
        if Path(f"Pulumi.{stack}.{suffix}").exists():
            return f"Pulumi.{stack}.{suffix}"
    return f"Pulumi.{stack}.yaml"


def _namespace_values(namespace: str) -> tuple[dict[str, Any], set[str]]:
    # The language host hands the program its configuration through these two sources.
    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    prefix = f"{namespace}:"
    raw: dict[str, Any] = {}
    secret: set[str] = set()
    for key, value in merged.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        raw[name] = _parsed(value)
        if runtime_config.is_config_secret(key):
            secret.add(name)
    return raw, secret


def _parsed(value: Any) -> Any:
    """Structured values arrive as JSON text; scalars stay text for pydantic's lax coercion
    (so a string key holding `123` stays a string)."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _describe(
    namespace: str, model: type[pydantic.BaseModel], raw: Any, secret: set[str], error: Any
) -> str:
    location = tuple(error["loc"])
    key = f"{namespace}:{_path(location)}" if location else f"the {namespace} settings"
    expected = _expected(model, location)
    if error["type"] == "missing":
        found = "is missing"
    elif error["type"] == "extra_forbidden":
        shown = SECRET_SHOWN_AS if _hidden(location, secret) else _shown(error.get("input"))
        found = f"is not a setting this program reads (value {shown})"
        expected = f"one of {', '.join(_keys_at(model, location[:-1]))}"
    elif error["type"] == "value_error" and _holds_model(model, location):
        # A check across several keys: its message names them and the fix.
        return f"{stack_file()} : {key}: {_reason(error)}"
    else:
        value = SECRET_SHOWN_AS if _hidden(location, secret) else error.get("input")
        found = f"is {_shown(value)}: {_reason(error)}"
    return f"{stack_file()} : {key} {found}; expected {expected}"


def _hidden(location: tuple, secret: set[str]) -> bool:
    """Whether the value at `location` is (or may be) a secret, so only its kind is shown."""
    return bool(location[:1]) and (
        location[0] in secret
        or any(isinstance(p, str) and _SECRET_LOOKING.search(p) for p in location)
    )


def _holds_model(model: type[pydantic.BaseModel], location: tuple) -> bool:
    if not location:
        return True
    field = _field_at(model, location)
    return field is not None and _model_inside(field.annotation) is not None


def _reason(error: Any) -> str:
    return error["msg"].removeprefix("Value error, ").rstrip(".")


def _message(problems: list[str]) -> str:
    listed = "\n".join(f"  - {p}" for p in problems)
    return (
        f"{len(problems)} problem(s) with the stack configuration:\n{listed}\n"
        f"Fix them in {stack_file()} (or with `pulumi config set`)."
    )


def _path(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _field_at(model: type[pydantic.BaseModel], location: tuple) -> Any:
    """The FieldInfo a location points at, following nested models, lists and dicts."""
    current: Any = model
    field = None
    for part in location:
        if isinstance(part, int) or current is None:
            continue
        if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
            field = next(
                (f for name, f in current.model_fields.items() if (f.alias or name) == part),
                None,
            )
            current = _model_inside(field.annotation) if field else None
    return field


def _model_inside(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_inside(argument)
        if found is not None:
            return found
    return None


def _expected(model: type[pydantic.BaseModel], location: tuple) -> str:
    field = _field_at(model, location)
    if field is not None and field.description:
        return field.description.rstrip(".")
    return "the form documented in the stack's README"


def _keys_at(model: type[pydantic.BaseModel], location: tuple) -> list[str]:
    parent: Any = model
    if location:
        field = _field_at(model, location)
        parent = _model_inside(field.annotation) if field else None
    if parent is None:
        return []
    return [f.alias or name for name, f in parent.model_fields.items()]


def key_reference(model: type[pydantic.BaseModel], namespace: str) -> str:
    """A Markdown table of every key the model reads: path, required or default, expected form."""
    rows = ["| key | required | expected |", "|---|---|---|"]
    for path, field in _walk(model, f"{namespace}:"):
        if field.is_required():
            needed = "yes"
        elif field.default_factory is not None or field.default is None:
            needed = "no"
        else:
            needed = f"no (default `{json.dumps(field.default)}`)"
        expected = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{path}` | {needed} | {expected} |")
    return "\n".join(rows) + "\n"


def _walk(model: type[pydantic.BaseModel], prefix: str):
    for name, field in model.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        yield path, field
        inner = _model_inside(field.annotation)
        if inner is not None:
            is_list = getattr(field.annotation, "__origin__", None) is list
            yield from _walk(inner, f"{path}[]." if is_list else f"{path}.")
