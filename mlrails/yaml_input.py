"""Reading the YAML files of a project (Pulumi.yaml, stack files, PulumiPolicy.yaml) safely.

Three things PyYAML's safe loader lets through are refused here, each with one message naming
the file:

- duplicate keys in a mapping. YAML requires keys to be unique (YAML 1.2.2, section 3.2.1.1:
  "each of the keys is unique"), and Pulumi's Go loader (gopkg.in/yaml.v3, decode.go: "mapping
  key %#v already defined at line %d") refuses such a file, while PyYAML keeps the last value
  silently: an error, so the offline run reads the file as `pulumi` would;
- aliases that expand into a huge document ("billion laughs"): PyYAML shares aliased nodes,
  so loading is quick, but anything that walks the result (rendering config as JSON) expands
  them. The expanded size is measured with a budget, which also catches recursive aliases;
- nesting deep enough to exhaust Python's recursion limit.

Error messages never quote the document: PyYAML's own message shows the offending line, which
in a stack file may be a `secure:` ciphertext, and `--debug` prints chained errors too, so the
YAML error is not chained.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mlrails.errors import UserError
from mlrails.files import read_text_input

# Values a document may expand to: the largest real stack files hold a few thousand.
MAX_EXPANDED_VALUES = 1_000_000


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: int, again: int) -> None:
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a key that appears twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in seen:
                        raise _DuplicateKey(key, seen[key], line)
                    seen[key] = line
                except TypeError:  # an unhashable key: the base class explains it
                    break
        return super().construct_mapping(node, deep=deep)


def read_yaml_mapping(path: Path, what: str = "a YAML file") -> dict[str, Any]:
    """The YAML mapping in `path` ({} for an empty file); UserError naming the file otherwise."""
    text = read_text_input(path, what)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: safe
    except _DuplicateKey as dup:
        raise UserError(
            f"{path}: key {dup.key!r} appears twice (lines {dup.first} and {dup.again}); YAML "
            "keys must be unique and Pulumi refuses the file. Keep one of them."
        ) from None
    except yaml.YAMLError as err:
        raise UserError(_syntax_message(path, err)) from None
    except RecursionError:
        raise UserError(f"{path}: nests values too deeply to be {what}.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(
            f"{path}: holds a {type(data).__name__} at the top level; it must be a mapping of "
            "keys to values."
        )
    if _expanded_size(data, MAX_EXPANDED_VALUES) > MAX_EXPANDED_VALUES:
        raise UserError(
            f"{path}: its aliases (`*name`) expand to more than {MAX_EXPANDED_VALUES:,} values "
            "(or refer to themselves); write the values out instead of nesting aliases."
        )
    return data


def _syntax_message(path: Path, err: yaml.YAMLError) -> str:
    where = ""
    mark = getattr(err, "problem_mark", None)
    if mark is not None:
        where = f" at line {mark.line + 1}, column {mark.column + 1}"
    # `problem` names the kind of mistake; str(err) would quote the line itself.
    problem = getattr(err, "problem", None) or type(err).__name__
    return (
        f"{path}: is not valid YAML{where}: {problem}. Fix the syntax (indentation, quoting, a "
        "missing colon) and run again."
    )


def _expanded_size(data: Any, budget: int) -> int:
    """How many values `data` holds with every shared (aliased) part counted each time it
    appears; counting stops just past `budget`."""
    count, stack = 0, [data]
    while stack and count <= budget:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.values())
            stack.extend(value.keys())
        elif isinstance(value, list):
            stack.extend(value)
    return count
