"""`mlrails diff`: what changes between two preview JSON files, for a pull-request comment."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlrails.policy.findings import NOT_EVALUATED_PREFIX
from mlrails.preview_document import read_preview
from mlrails.report.diff_markdown import DEFAULT_MAX_CHARS, render_markdown_diff

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ABSENT = object()


@dataclass
class Change:
    path: str
    old: Any
    new: Any


@dataclass
class PlanDiff:
    base: dict[str, Any]
    head: dict[str, Any]
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[dict[str, Any], list[Change]]] = field(default_factory=list)
    introduced: list[dict[str, Any]] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when the head brings a mandatory violation the base did not have."""
        return 1 if any(v["enforcement"] == "mandatory" for v in self.introduced) else 0

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "introduced": len(self.introduced),
            "introduced_mandatory": sum(
                1 for v in self.introduced if v["enforcement"] == "mandatory"
            ),
            "fixed": len(self.fixed),
        }


def load_preview(path: Path) -> dict[str, Any]:
    """Read a `mlrails preview --format json` file, or explain what is wrong with it."""
    return read_preview(path)


def diff_previews(base: dict[str, Any], head: dict[str, Any]) -> PlanDiff:
    result = PlanDiff(base=base, head=head)
    base_resources = {r["urn"]: r for r in base["resources"]}
    head_resources = {r["urn"]: r for r in head["resources"]}
    result.added = [r for urn, r in head_resources.items() if urn not in base_resources]
    result.removed = [r for urn, r in base_resources.items() if urn not in head_resources]
    for urn, new in head_resources.items():
        old = base_resources.get(urn)
        if old is not None:
            changes = list(_changes("", old.get("inputs", {}), new.get("inputs", {})))
            if changes:
                result.changed.append((new, changes))
    base_open, head_open = _open_violations(base), _open_violations(head)
    result.introduced = [v for key, v in head_open.items() if key not in base_open]
    result.fixed = [v for key, v in base_open.items() if key not in head_open]
    return result


def _open_violations(preview: dict[str, Any]) -> dict[tuple, dict[str, Any]]:
    return {
        (v.get("policy"), v.get("urn"), v.get("message")): v
        for v in preview.get("violations", [])
        if isinstance(v, dict)
        and not v.get("waived")
        and not str(v.get("message", "")).startswith(NOT_EVALUATED_PREFIX)
    }


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if _IDENTIFIER.match(key):
        return f"{prefix}.{key}" if prefix else key
    return f"{prefix}[{json.dumps(key)}]"


def _changes(path: str, old: Any, new: Any):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            yield from _changes(_join(path, key), old.get(key, _ABSENT), new.get(key, _ABSENT))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (o, n) in enumerate(zip(old, new, strict=True)):
            yield from _changes(_join(path, index), o, n)
    elif old != new:
        yield Change(path or "(inputs)", old, new)


def show(value: Any) -> str:
    return "(absent)" if value is _ABSENT else json.dumps(value, sort_keys=True)


def render_diff(
    result: PlanDiff, fmt: str, max_chars: int = DEFAULT_MAX_CHARS, full: str = ""
) -> str:
    """The diff in `fmt`; Markdown (a pull-request comment) within `max_chars` (0: no limit),
    naming `full`, the command that prints everything, when it had to leave details out."""
    if fmt == "json":
        return json.dumps(_as_json(result), indent=2) + "\n"
    if fmt == "markdown":
        return render_markdown_diff(result, _headline(result), max_chars, full)
    return _text(result)


def _as_json(result: PlanDiff) -> dict[str, Any]:
    def brief(r: dict[str, Any]) -> dict[str, Any]:
        return {"urn": r["urn"], "type": r.get("type"), "name": r.get("name")}

    return {
        "base": {"project": result.base["project"], "stack": result.base["stack"]},
        "head": {"project": result.head["project"], "stack": result.head["stack"]},
        "resources": {
            "added": [brief(r) for r in result.added],
            "removed": [brief(r) for r in result.removed],
            "changed": [
                {
                    **brief(r),
                    "changes": [
                        {
                            "path": c.path,
                            "old": None if c.old is _ABSENT else c.old,
                            "new": None if c.new is _ABSENT else c.new,
                        }
                        for c in changes
                    ],
                }
                for r, changes in result.changed
            ],
        },
        "violations": {"introduced": result.introduced, "fixed": result.fixed},
        "summary": result.summary(),
    }


def _headline(result: PlanDiff) -> str:
    s = result.summary()
    return (
        f"+{s['added']} to create, ~{s['changed']} to update, -{s['removed']} to delete; "
        f"policy: {s['introduced']} introduced ({s['introduced_mandatory']} mandatory), "
        f"{s['fixed']} fixed"
    )


def _text(result: PlanDiff) -> str:
    lines = [_headline(result)]
    for r in result.added:
        lines.append(f"+ {r.get('type')} {r.get('name')}")
    for r in result.removed:
        lines.append(f"- {r.get('type')} {r.get('name')}")
    for r, changes in result.changed:
        lines.append(f"~ {r.get('type')} {r.get('name')}")
        lines += [f"    {c.path}: {show(c.old)} -> {show(c.new)}" for c in changes]
    for title, violations in (("introduced", result.introduced), ("fixed", result.fixed)):
        for v in violations:
            lines.append(
                f"{title}: [{v.get('enforcement')}] {v.get('policy')} "
                f"{v.get('urn') or '(stack)'}: {v.get('message')}"
            )
    return "\n".join(lines) + "\n"
