"""`mlrails diff --format markdown`: a pull-request comment that fits GitHub's size limit.

GitHub refuses a comment body over 65,536 characters (the REST API's 422 "Body is too long
(maximum is 65536 characters)" on IssueComment, e.g. telia-oss/github-pr-resource#259), so the
comment is kept within a budget (60,000 by default: room for the workflow's own marker and
links). What a reviewer must see comes first and whole: the counts by change kind and type and
every violation introduced or fixed. Resource details follow in collapsible sections, cut where
the budget ends, with a count of what was left out and the command that prints everything.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from mlrails.report.markdown import cell

if TYPE_CHECKING:
    from mlrails.diff import Change, PlanDiff

DEFAULT_MAX_CHARS = 60_000
# Kept free for the closing note of a cut report.
_NOTE_RESERVE = 600
_KINDS = (("+", "create", "added"), ("~", "update", "changed"), ("-", "delete", "removed"))


def render_markdown_diff(
    result: PlanDiff, headline: str, max_chars: int = DEFAULT_MAX_CHARS, full: str = ""
) -> str:
    """The comment; `max_chars` 0 means no limit; `full` is the command that prints it all."""
    limit = max_chars or float("inf")
    head = result.head
    top = [f"## mlrails diff: `{head['project']}` / `{head['stack']}`", "", f"**{headline}**", ""]
    top += _counts_by_type(result)
    violations = _violations(result, "full")
    left_out: Counter[str] = Counter()
    if max_chars and _size(top + violations) > limit - _NOTE_RESERVE:
        violations = _violations(result, "compact")
    if max_chars and _size(top + violations) > limit - _NOTE_RESERVE:
        # Not even one name per violation fits: as many as fit, and the count of the others.
        violations, left_out["violations"] = _cut(violations, limit - _NOTE_RESERVE - _size(top))
    text = "\n".join(top + violations)
    sections: list[str] = []
    for _, kind, attribute in _KINDS:
        items = _items(result, attribute)
        if not items:
            continue
        opening = f"<details><summary>Resources to {kind} ({len(items)})</summary>\n"
        closing = "</details>\n"
        room = limit - len(text) - _size(sections) - _NOTE_RESERVE - len(opening) - len(closing)
        shown: list[str] = []
        for item in items:
            if len(item) + 1 > room:
                break
            shown.append(item)
            room -= len(item) + 1
        left_out[kind] = len(items) - len(shown)
        if shown:
            sections.append("\n".join([opening, *shown, closing]))
    if not any(getattr(result, a) for _, _, a in _KINDS):
        sections.append("No resource changes.\n")
    text = "\n".join([text, *sections])
    if sum(left_out.values()):
        counts = ", ".join(
            f"{n} policy violations" if kind == "violations" else f"{n} to {kind}"
            for kind, n in left_out.items()
            if n
        )
        text += (
            f"\n**Not shown** to stay within {max_chars:,} characters: the details of {counts}. "
            f"The full report: `{full or 'mlrails diff BASE.json HEAD.json --format text'}`.\n"
        )
    return text


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _counts_by_type(result: PlanDiff) -> list[str]:
    counts: dict[str, Counter[str]] = {}
    for symbol, _, attribute in _KINDS:
        for resource in _resources(result, attribute):
            counts.setdefault(str(resource.get("type")), Counter())[symbol] += 1
    if not counts:
        return []
    lines = ["| Type | + create | ~ update | - delete |", "|---|---:|---:|---:|"]
    lines += [
        f"| `{cell(type_)}` | {c['+']} | {c['~']} | {c['-']} |"
        for type_, c in sorted(counts.items())
    ]
    return [*lines, ""]


def _resources(result: PlanDiff, attribute: str) -> list[dict[str, Any]]:
    if attribute == "changed":
        return [r for r, _ in result.changed]
    return getattr(result, attribute)


def _violations(result: PlanDiff, form: str) -> list[str]:
    """Every introduced and fixed violation: a row each, or (compact) names grouped by rule."""
    lines: list[str] = []
    for title, violations in (("introduced", result.introduced), ("fixed", result.fixed)):
        if not violations:
            continue
        lines += [f"### Policy violations {title} ({len(violations)})", ""]
        if form == "full":
            lines += ["| Policy | Enforcement | Resource | Message |", "|---|---|---|---|"]
            lines += [
                f"| `{cell(v.get('policy'))}` | {cell(v.get('enforcement'))} "
                f"| `{cell(_name(v))}` | {cell(v.get('message'))} |"
                for v in violations
            ]
        else:
            grouped: dict[tuple[str, str], list[str]] = {}
            for v in violations:
                key = (str(v.get("policy")), str(v.get("enforcement")))
                grouped.setdefault(key, []).append(_name(v))
            lines += [
                f"- `{cell(policy)}` ({cell(level)}, {len(names)}): "
                + ", ".join(f"`{cell(n)}`" for n in names)
                for (policy, level), names in grouped.items()
            ]
        lines.append("")
    return lines


def _cut(lines: list[str], room: float) -> tuple[list[str], int]:
    """The compact listing cut to `room` characters, name by name; and how many names were cut."""
    kept: list[str] = []
    cut = 0
    for line in lines:
        if len(line) + 1 <= room and not cut:
            kept.append(line)
            room -= len(line) + 1
            continue
        if not line.startswith("- "):
            continue
        prefix, _, names = line.partition("): ")
        shown: list[str] = []
        for name in names.split(", "):
            if not cut and len(prefix) + 3 + sum(len(n) + 2 for n in [*shown, name]) < room:
                shown.append(name)
            else:
                cut += 1
        if shown:
            line = f"{prefix}): " + ", ".join(shown) + ", …"
            kept.append(line)
            room -= len(line) + 1
    return kept, cut


def _name(violation: dict[str, Any]) -> str:
    return (violation.get("urn") or "(stack)").rsplit("::", 1)[-1]


def _items(result: PlanDiff, attribute: str) -> list[str]:
    if attribute != "changed":
        return [
            f"- `{cell(r.get('type'))}` `{cell(r.get('name'))}`" for r in getattr(result, attribute)
        ]
    return [
        "\n".join([f"- `{cell(r.get('type'))}` `{cell(r.get('name'))}`", *map(_change, changes)])
        for r, changes in result.changed
    ]


def _change(change: Change) -> str:
    """One changed input; a JSON document held in a string (a policy, a model card's content)
    as a diff of its pretty-printed form."""
    old, new = _json_document(change.old), _json_document(change.new)
    if old is not None or new is not None:
        old_lines = [] if old is None else old.splitlines()
        new_lines = [] if new is None else new.splitlines()
        body = "\n".join(difflib.unified_diff(old_lines, new_lines, "base", "head", lineterm=""))
        fence = "`" * max(3, _longest_backtick_run(body) + 1)
        indented = "\n".join(f"    {line}" for line in [fence + "diff", *body.splitlines(), fence])
        return f"  - `{cell(change.path)}` (JSON document):\n\n{indented}\n"
    return f"  - `{cell(change.path)}`: `{cell(_show(change.old))}` → `{cell(_show(change.new))}`"


def _json_document(value: Any) -> str | None:
    """A string that holds a JSON object or array, pretty-printed; else None."""
    if not isinstance(value, str) or value[:1] not in ("{", "["):
        return None
    try:
        return json.dumps(json.loads(value), indent=2, sort_keys=True)
    except ValueError:
        return None


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest


def _show(value: Any) -> str:
    from mlrails.diff import show

    return show(value)
