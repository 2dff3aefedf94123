"""Policy pack configuration, in the format of `pulumi preview --policy-pack-config FILE`.

The file is a JSON object keyed by policy name (or `all`). A value is an enforcement level
(`"advisory"`, `"mandatory"`, `"remediate"`, `"disabled"`) or an object with an optional
`enforcementLevel` and the policy's options. As the Pulumi CLI does, options are validated
against the policy's JSON schema and the schema's defaults are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from pulumi_policy import EnforcementLevel, Policy

from mlrails.errors import UserError, warn
from mlrails.files import parse_json_input, read_text_input
from mlrails.policy.pack import LoadedPack
from mlrails_policies.framework.waivers import WAIVERS_OPTION, Waiver, WaiverError, parse_waivers

ALL = "all"
_LEVELS = {level.value: level for level in EnforcementLevel}


@dataclass(frozen=True)
class PolicySettings:
    """The effective enforcement, options and waivers of one policy."""

    enforcement: EnforcementLevel
    options: dict[str, Any]
    waivers: tuple[Waiver, ...] = ()


def read_config_file(path: Path) -> dict[str, Any]:
    what = "the policy configuration, a JSON object keyed by policy name (--policy-config)"
    data = parse_json_input(path, read_text_input(path, what), what)
    if not isinstance(data, dict):
        raise UserError(
            f"{path}: holds a JSON {type(data).__name__}; the policy configuration must be an "
            'object keyed by policy name, e.g. {"all": "mandatory"}.'
        )
    return data


def resolve_settings(
    packs: list[LoadedPack], file_config: dict[str, Any], source: str = "--policy-config"
) -> dict[tuple[str, str], PolicySettings]:
    """Effective settings per (pack name, policy name): defaults, pack config, then the file."""
    known = {p.name for pack in packs for p in pack.policies}
    for key in file_config:
        if key != ALL and key not in known:
            raise UserError(
                f"{source}: key {key!r} names no policy of the loaded packs. Known policies: "
                f"{', '.join(sorted(known))}; use `all` to set every policy's enforcement."
            )
    settings: dict[tuple[str, str], PolicySettings] = {}
    for pack in packs:
        layers = [
            _normalize(f"{pack.directory}/__main__.py initial_config", pack.initial_config),
            _normalize(source, file_config),
        ]
        for policy in pack.policies:
            settings[(pack.name, policy.name)] = _settings_for(pack, policy, layers, source)
    return settings


def _normalize(
    source: str, config: dict[str, Any]
) -> dict[str, tuple[EnforcementLevel | None, dict]]:
    normalized: dict[str, tuple[EnforcementLevel | None, dict]] = {}
    for key, value in config.items():
        if isinstance(value, EnforcementLevel | str):
            normalized[key] = (_level(source, key, value), {})
        elif isinstance(value, dict):
            options = {k: v for k, v in value.items() if k != "enforcementLevel"}
            if key == ALL and options:
                # Options are taken from a policy's own key only (see _settings_for).
                warn(
                    f"{source}: options under `all` ({', '.join(sorted(options))}) apply to no "
                    "policy; only its enforcementLevel does. Move them under the policy's name."
                )
            level = value.get("enforcementLevel")
            normalized[key] = (None if level is None else _level(source, key, level), options)
        else:
            raise UserError(
                f"{source}: key {key!r} is {value!r}; it must be an enforcement level "
                f"({', '.join(_LEVELS)}) or an object of options with an optional enforcementLevel."
            )
    return normalized


def _level(source: str, key: str, value: Any) -> EnforcementLevel:
    if isinstance(value, EnforcementLevel):
        return value
    if isinstance(value, str) and value in _LEVELS:
        return _LEVELS[value]
    raise UserError(
        f"{source}: key {key!r} has enforcement level {value!r}; use one of: {', '.join(_LEVELS)}."
    )


def _settings_for(
    pack: LoadedPack,
    policy: Policy,
    layers: list[dict[str, tuple[EnforcementLevel | None, dict]]],
    source: str,
) -> PolicySettings:
    level = policy.enforcement_level or pack.enforcement_level
    options: dict[str, Any] = {}
    for layer in layers:
        for key in (ALL, policy.name):
            if key in layer:
                layer_level, layer_options = layer[key]
                level = layer_level or level
                if key == policy.name:
                    options.update(layer_options)
    options = _validated_options(pack, policy, options, source)
    try:
        waivers = parse_waivers(policy.name, options.pop(WAIVERS_OPTION, None))
    except WaiverError as err:
        raise UserError(f"{source}: {err}.") from err
    return PolicySettings(level, options, waivers)


def _validated_options(
    pack: LoadedPack, policy: Policy, options: dict[str, Any], source: str
) -> dict[str, Any]:
    schema = policy.config_schema
    if schema is None:
        if options:
            raise UserError(
                f"{source}: policy {policy.name!r} takes no options, but "
                f"{', '.join(sorted(options))} were given. Remove them."
            )
        return {}
    filled = {k: v["default"] for k, v in schema.properties.items() if "default" in v}
    filled.update(options)
    json_schema = {
        "type": "object",
        "properties": schema.properties,
        "required": schema.required or [],
        "additionalProperties": False,
    }
    try:
        jsonschema.Draft7Validator.check_schema(json_schema)
        errors = sorted(
            jsonschema.Draft7Validator(json_schema).iter_errors(filled), key=lambda e: list(e.path)
        )
    except jsonschema.SchemaError as err:
        raise UserError(_bad_schema(pack, policy, err.message)) from None
    except Exception as err:
        raise UserError(_bad_schema(pack, policy, f"{type(err).__name__}: {err}")) from None
    if errors:
        problems = "; ".join(_describe(policy.name, e) for e in errors)
        raise UserError(f"{source}: {problems}. Fix these options of {policy.name!r}.")
    return filled


def _bad_schema(pack: LoadedPack, policy: Policy, problem: str) -> str:
    return (
        f"{pack.directory}: policy {policy.name!r} declares an invalid config_schema "
        f"({problem.rstrip('.')}), so its options cannot be checked. This is a defect in the "
        "policy pack; fix the schema (JSON Schema draft 7)."
    )


def _describe(policy: str, error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    where = f"{policy}.{path}" if path else policy
    return f"`{where}`: {error.message}"
