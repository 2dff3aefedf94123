"""Reading a Pulumi project and one stack's configuration, as the Pulumi CLI does.

`Pulumi.yaml` gives the project name, the runtime and the program (`main`); the stack file
`Pulumi.<stack>.yaml` gives the configuration. The configuration is handed to the program in
the shape the Pulumi language host uses: a flat map of `namespace:key` to strings (objects as
JSON), plus the list of keys that hold secrets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlrails.errors import UserError
from mlrails.yaml_input import read_yaml_mapping

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")

# Pulumi's project name rule (pulumi/pulumi sdk/go/common/tokens/project.go ValidateProjectName,
# with IsName from tokens/names.go): 1 to 100 characters, a letter, `_` or `.` first, then
# letters, digits, `_`, `.` or `-`. A name outside it (`a::b`) would corrupt every URN.
_PROJECT_NAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.-]{0,99}")

# What a `secure:` value becomes offline: the ciphertext can only be opened by the stack's
# secrets provider, and the value must never reach a report anyway.
SECRET_PLACEHOLDER = "[secret]"


@dataclass(frozen=True)
class Project:
    """A Pulumi Python project and the configuration of the stack being previewed."""

    name: str
    directory: Path
    program: Path
    stack: str
    stack_file: Path | None
    config: dict[str, str] = field(default_factory=dict)
    secret_keys: tuple[str, ...] = ()

    @property
    def region(self) -> str:
        return self.config.get("aws:region", "us-east-1")


def load_project(directory: str | Path, stack: str) -> Project:
    """Read the project in `directory` and the configuration of `stack`.

    Raises UserError naming the file and key for anything a user has to fix.
    """
    root = Path(directory)
    project_file = _project_file(root)
    spec = read_yaml_mapping(project_file, "the Pulumi project file")
    name = spec.get("name")
    if not isinstance(name, str) or not _PROJECT_NAME.fullmatch(name):
        raise UserError(
            f"{project_file}: key `name` is {name!r}; Pulumi refuses it: project names are 1 to "
            "100 characters, may only contain alphanumerics, hyphens, underscores, and periods, "
            "and do not start with a digit or hyphen. Use a name such as `name: ml-platform`."
        )
    require_python_runtime(project_file, spec.get("runtime"), "runs Python programs")
    program = _resolve_program(root, project_file, spec.get("main"))

    config: dict[str, str] = {}
    secret_keys: list[str] = []
    _merge_config(
        config, secret_keys, name, project_file, _project_config_defaults(project_file, spec)
    )
    stack_file = _stack_file(root, project_file, spec, stack)
    stack_spec = read_yaml_mapping(stack_file, "the stack configuration")
    stack_config = stack_spec.get("config") or {}
    if not isinstance(stack_config, dict):
        raise UserError(
            f"{stack_file}: key `config` is a {type(stack_config).__name__}; it must be a "
            "mapping of configuration keys to values, e.g. `config: {aws:region: us-east-1}`."
        )
    _merge_config(config, secret_keys, name, stack_file, stack_config)
    return Project(
        name=name,
        directory=root.resolve(),
        program=program,
        stack=stack,
        stack_file=stack_file,
        config=config,
        secret_keys=tuple(sorted(set(secret_keys))),
    )


def stack_names(directory: str | Path) -> list[str]:
    """The stacks of the project in `directory` that have a configuration file, sorted.

    Stack files live in the project directory, or in Pulumi.yaml's `stackConfigDir`.
    """
    root = Path(directory)
    project_file = _project_file(root)
    spec = read_yaml_mapping(project_file, "the Pulumi project file")
    return _stack_names(_stack_config_dir(root, project_file, spec))


def _project_file(root: Path) -> Path:
    if not root.is_dir():
        raise UserError(
            f"{root}: no such project directory. Pass the directory that holds Pulumi.yaml, "
            "for example `mlrails preview stacks --stack prod`."
        )
    project_file = next((root / n for n in PROJECT_FILES if (root / n).is_file()), None)
    if project_file is None:
        raise UserError(
            f"{root}: no Pulumi.yaml here. A Pulumi project directory holds a Pulumi.yaml with at "
            "least `name:` and `runtime: python`; create one or pass the right directory."
        )
    return project_file


def require_python_runtime(path: Path, runtime: Any, what: str) -> None:
    """Reject a `runtime:` (a name or `{name: ...}`) other than python.

    `what` completes "the offline engine ... only", e.g. "runs Python programs".
    """
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise UserError(
            f"{path}: key `runtime` is {runtime_name!r}; the offline engine {what} only, so it "
            "must be `runtime: python` (or `runtime: {name: python}`)."
        )


def _resolve_program(root: Path, project_file: Path, main: Any) -> Path:
    if main is None:
        target = root
    elif isinstance(main, str) and main.strip():
        target = root / main
    else:
        raise UserError(
            f"{project_file}: key `main` is {main!r}; it must be a path relative to the project, "
            "to a directory with __main__.py or to a .py file."
        )
    if target.is_dir():
        if not (target / "__main__.py").is_file():
            raise UserError(
                f"{project_file}: the program directory {target} has no __main__.py. Add the "
                "program there or point `main:` at the program file."
            )
        entry = target / "__main__.py"
    elif target.is_file():
        entry = target
    else:
        raise UserError(
            f"{project_file}: key `main` points at {target}, which does not exist. Fix the path "
            "or remove `main:` to run the project directory's __main__.py."
        )
    inside = root.resolve()
    for path in (target, entry):
        # The program is the project's own code; one outside it (`../x.py`, an absolute path,
        # a symlink out) is code the project's reviewers never saw.
        if not path.resolve().is_relative_to(inside):
            raise UserError(
                f"{project_file}: the program {path} resolves to {path.resolve()}, outside the "
                f"project directory {inside}. Keep the program (and `main:`) inside the project."
            )
    return target.resolve()


def _project_config_defaults(project_file: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """Project-level config: plain values, or `{type, default, value}` declarations."""
    block = spec.get("config") or {}
    if not isinstance(block, dict):
        raise UserError(f"{project_file}: key `config` must be a mapping of keys to values.")
    defaults: dict[str, Any] = {}
    for key, value in block.items():
        if isinstance(value, dict) and ({"type", "default", "value", "description"} & set(value)):
            if "value" in value:
                defaults[key] = value["value"]
            elif "default" in value:
                defaults[key] = value["default"]
        else:
            defaults[key] = value
    return defaults


def _stack_config_dir(root: Path, project_file: Path, spec: dict[str, Any]) -> Path:
    config_dir = spec.get("stackConfigDir", ".")
    if not isinstance(config_dir, str) or not config_dir.strip():
        raise UserError(
            f"{project_file}: key `stackConfigDir` is {config_dir!r}; it must be the directory "
            "of the stack files, relative to the project, e.g. `stackConfigDir: config`."
        )
    return root / config_dir


def _stack_names(config_dir: Path) -> list[str]:
    # Pulumi.<stack>.yaml: the glob needs two dots, so Pulumi.yaml itself never matches.
    return sorted(
        p.name.split(".", 1)[1].rsplit(".", 1)[0] for p in config_dir.glob("Pulumi.*.y*ml")
    )


def _stack_file(root: Path, project_file: Path, spec: dict[str, Any], stack: str) -> Path:
    config_dir = _stack_config_dir(root, project_file, spec)
    candidates = [config_dir / f"Pulumi.{stack}.yaml", config_dir / f"Pulumi.{stack}.yml"]
    found = next((c for c in candidates if c.is_file()), None)
    if found is not None:
        return found
    known = _stack_names(config_dir)
    listing = ", ".join(known) if known else "none"
    raise UserError(
        f"{project_file.parent}: unknown stack {stack!r}: there is no {candidates[0].name}. "
        f"Stacks with a configuration file here: {listing}. Pass one of them with --stack, or "
        f"create {candidates[0].name}."
    )


def _merge_config(
    config: dict[str, str],
    secret_keys: list[str],
    project: str,
    source: Path,
    block: dict[str, Any],
) -> None:
    for raw_key, value in block.items():
        key = _full_key(project, source, raw_key)
        rendered, secret = _render_value(source, key, value)
        config[key] = rendered
        if secret:
            secret_keys.append(key)
        elif key in secret_keys:
            secret_keys.remove(key)


def _full_key(project: str, source: Path, raw_key: Any) -> str:
    if not isinstance(raw_key, str) or not raw_key or raw_key.count(":") > 1:
        raise UserError(
            f"{source}: config key {raw_key!r} is not a valid key; use `name` for this project "
            "or `namespace:name` for a provider or library, e.g. `aws:region`."
        )
    return raw_key if ":" in raw_key else f"{project}:{raw_key}"


def _render_value(source: Path, key: str, value: Any) -> tuple[str, bool]:
    """Render a config value as the language host passes it: a string, objects as JSON."""
    plain, secret = _strip_secure(source, key, value)
    if isinstance(plain, str):
        return plain, secret
    if isinstance(plain, bool):
        return ("true" if plain else "false"), secret
    if isinstance(plain, int | float):
        return str(plain), secret
    if plain is None:
        return "", secret
    return json.dumps(plain, separators=(",", ":")), secret


def _strip_secure(source: Path, key: str, value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            if not isinstance(value["secure"], str):
                raise UserError(
                    f"{source}: config key `{key}` has a `secure:` value that is not a string; "
                    "set it again with `pulumi config set --secret`."
                )
            return SECRET_PLACEHOLDER, True
        out, secret = {}, False
        for k, v in value.items():
            out[k], inner = _strip_secure(source, key, v)
            secret = secret or inner
        return out, secret
    if isinstance(value, list):
        items = [_strip_secure(source, key, v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False
