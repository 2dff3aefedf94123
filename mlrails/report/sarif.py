"""The report as SARIF 2.1.0, for code scanning: one result per finding."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from mlrails import __version__
from mlrails.report.model import AUDIT, Report

_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"mandatory": "error", "advisory": "warning"}


def render_sarif(report: Report) -> str:
    rules = _rules(report)
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    records = {r.urn: r for r in report.plan.resources}
    results = []
    for finding in report.findings:
        record = records.get(finding.urn) if finding.urn else None
        result: dict[str, Any] = {
            "ruleId": finding.policy,
            "ruleIndex": rule_index[finding.policy],
            "level": _LEVEL.get(finding.enforcement, "note")
            if finding.status == "violation"
            else "note",
            "message": {"text": finding.message},
            "locations": [_location(report, record, finding.urn)],
            "properties": {"enforcement": finding.enforcement, "status": finding.status},
        }
        if finding.waived:
            result["suppressions"] = [
                {"kind": "external", "justification": finding.waiver_reason or ""}
            ]
        results.append(result)
    document = {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlrails",
                        "version": __version__,
                        "informationUri": "https://github.com/mlrails/mlrails",
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"{report.plan.project}/{report.plan.stack}"},
                "invocations": [_invocation(report)],
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _invocation(report: Report) -> dict[str, Any]:
    """Whether the run read everything it needed; an audit lists the reads that failed."""
    notifications = [
        {
            "level": "error" if fault.blocks_completeness else "note",
            "message": {"text": f"{fault.resource or '(all)'}: {fault.describe()}"},
            "descriptor": {"id": fault.kind},
        }
        for fault in report.faults
    ] + [
        {
            "level": "note",
            "message": {"text": lookup.describe()},
            "descriptor": {"id": "synthesized-lookup"},
        }
        for lookup in report.plan.synthesized_lookups
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not report.incomplete}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _rules(report: Report) -> list[dict[str, Any]]:
    rules = []
    for pack in report.packs:
        for policy in pack.policies:
            rule: dict[str, Any] = {
                "id": policy.name,
                "name": policy.display_name or policy.name,
                "shortDescription": {"text": policy.description},
                "properties": {"pack": pack.name, "tags": list(policy.tags or [])},
            }
            if policy.remediation_steps:
                rule["help"] = {"text": policy.remediation_steps}
            if policy.severity is not None:
                rule["properties"]["severity"] = policy.severity.value
            rules.append(rule)
    known = {r["id"] for r in rules}
    for finding in report.findings:
        if finding.policy not in known:
            known.add(finding.policy)
            rules.append({"id": finding.policy, "shortDescription": {"text": finding.policy}})
    return rules


def _location(report: Report, record, urn: str | None) -> dict[str, Any]:
    path, line = None, 1
    if record is not None and record.source_uri:
        path, line = _relative(Path(unquote(urlparse(record.source_uri).path))), record.source_line
    if path is None and report.plan.mode == AUDIT:
        path = f"{report.plan.project}/{report.plan.stack}"  # an account has no source file
    elif path is None:
        path = _relative(Path(report.plan.program)) if report.plan.program else "Pulumi.yaml"
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": path},
            "region": {"startLine": max(line, 1)},
        }
    }
    if urn:
        location["logicalLocations"] = [{"fullyQualifiedName": urn, "kind": "resource"}]
    return location


def _relative(path: Path) -> str:
    """A path relative to the working directory (the repository root in CI) when possible."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()
