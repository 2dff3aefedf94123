"""The rule catalogue of a policy pack, as text, JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from mlrails.policy.pack import LoadedPack
from mlrails.report.markdown import cell


def catalogue_entries(pack: LoadedPack) -> list[dict[str, Any]]:
    entries = []
    for policy in pack.policies:
        level = policy.enforcement_level or pack.enforcement_level
        entries.append(
            {
                "id": policy.name,
                "description": policy.description,
                "enforcement": level.value,
                "severity": policy.severity.value if policy.severity else None,
                "kind": "stack" if type(policy).__name__.startswith("Stack") else "resource",
                "remediation": policy.remediation_steps,
                "tags": list(policy.tags or []),
            }
        )
    return entries


def render_catalogue(pack: LoadedPack, fmt: str) -> str:
    entries = catalogue_entries(pack)
    if fmt == "json":
        return (
            json.dumps({"pack": pack.name, "version": pack.version, "rules": entries}, indent=2)
            + "\n"
        )
    if fmt == "markdown":
        lines = [
            f"# Policy pack `{pack.name}` {pack.version}",
            "",
            "| id | enforcement | severity | kind | description |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| `{e['id']}` | {e['enforcement']} | {e['severity'] or ''} | {e['kind']} "
            f"| {cell(e['description'])} |"
            for e in entries
        ]
        return "\n".join(lines) + "\n"
    width = max(len(e["id"]) for e in entries)
    lines = [f"{pack.name} {pack.version}: {len(entries)} rules"]
    lines += [
        f"  {e['id']:<{width}}  {e['enforcement']:<9}  {e['severity'] or '':<8}  {e['description']}"
        for e in entries
    ]
    return "\n".join(lines) + "\n"
