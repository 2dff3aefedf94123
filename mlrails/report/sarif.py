"""The report as SARIF 2.1.0, for GitHub code scanning: one result per finding.

What code scanning reads, from GitHub's "SARIF support for code scanning"
(https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
- `partialFingerprints` match an alert across commits; ours hash the rule id and the resource URN,
  so an alert survives edits elsewhere in the file and changes only with its rule or resource;
- a rule's `shortDescription`, `fullDescription`, `help` (text and markdown) and `helpUri` make
  the alert's page; `properties.security-severity` (a number as a string: over 9.0 critical, 7.0
  to 8.9 high, 4.0 to 6.9 medium, 3.9 or less low) ranks rules tagged `security`;
- `automationDetails.id` is `<category>/<run id>`; its category (up to the last `/`) keeps the
  analyses of different stacks apart. github/codeql-action's upload-sarif uses its `category:`
  input only when the file has no id (src/upload-lib.ts, populateRunAutomationDetails, v4.36.2),
  so the workflow passes the same value.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mlrails import __version__
from mlrails.catalogue import catalogue_entries
from mlrails.policy.pack import LoadedPack
from mlrails.report.locations import ROOT_ID, Located, Locator
from mlrails.report.model import AUDIT, Report

# The $id of the OASIS schema (sarif-2.1/schema/sarif-schema-2.1.0.json in oasis-tcs/sarif-spec).
_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {"mandatory": "error", "advisory": "warning", "disabled": "none"}
# Within GitHub's bands (see above), one score per catalogue severity.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
FINGERPRINT = "mlrailsFinding/v1"
BUNDLED_PACK = "mlrails"
DOCS = "https://github.com/mlrails/mlrails/blob/main/docs/policies.md"


def category(report: Report) -> str:
    """One code scanning category per project and stack (the id ends in `/`: no run id)."""
    return f"{report.plan.project}/{report.plan.stack}/"


def fingerprint(policy: str, urn: str | None, message: str) -> str:
    """Stable across runs; a stack-wide finding (no URN) is told apart by its message."""
    identity = f"{policy}\0{urn}" if urn else f"{policy}\0(stack)\0{message}"
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def render_sarif(report: Report) -> str:
    rules = _rules(report)
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    locator = Locator(report.plan) if report.plan.mode != AUDIT else None
    results = []
    for finding in report.findings:
        located = _locate(report, locator, finding.urn)
        message = f"{finding.message} ({located.note})" if located.note else finding.message
        result: dict[str, Any] = {
            "ruleId": finding.policy,
            "ruleIndex": rule_index[finding.policy],
            "level": _LEVEL.get(finding.enforcement, "note") if finding.is_violation else "note",
            "message": {"text": message},
            "locations": [_location(located, finding.urn, locator is not None)],
            "partialFingerprints": {
                FINGERPRINT: fingerprint(finding.policy, finding.urn, finding.message)
            },
            "properties": {"enforcement": finding.enforcement, "status": finding.status},
        }
        if finding.waived:
            result["suppressions"] = [
                {"kind": "external", "justification": finding.waiver_reason or ""}
            ]
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "mlrails",
                "version": __version__,
                "informationUri": "https://github.com/mlrails/mlrails",
                "rules": rules,
            }
        },
        "automationDetails": {"id": category(report)},
    }
    if locator is not None:
        run["originalUriBaseIds"] = {
            ROOT_ID: {
                "uri": locator.root.path.as_uri() + "/",
                "description": {"text": locator.root.description},
            }
        }
    run["invocations"] = [_invocation(report)]
    run["results"] = results
    document = {"$schema": _SCHEMA, "version": "2.1.0", "runs": [run]}
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
    rules = [rule for pack in report.packs for rule in _pack_rules(pack)]
    known = {r["id"] for r in rules}
    for finding in report.findings:
        if finding.policy not in known:
            known.add(finding.policy)
            rules.append({"id": finding.policy, "shortDescription": {"text": finding.policy}})
    return rules


def _pack_rules(pack: LoadedPack) -> list[dict[str, Any]]:
    display = {p.name: p.display_name for p in pack.policies}
    rules = []
    for entry in catalogue_entries(pack):
        rule_id = entry["id"]
        help_uri = f"{DOCS}#{rule_id}" if pack.name == BUNDLED_PACK else None
        rule: dict[str, Any] = {
            "id": rule_id,
            "name": display.get(rule_id) or rule_id,
            "shortDescription": {"text": entry["description"]},
            "fullDescription": {"text": _full_description(entry)},
            "help": _help(entry, help_uri),
            "defaultConfiguration": {
                "enabled": entry["enforcement"] != "disabled",
                "level": _LEVEL.get(entry["enforcement"], "note"),
            },
            "properties": {"pack": pack.name, "tags": ["security", pack.name]},
        }
        if help_uri:
            rule["helpUri"] = help_uri
        if entry["severity"]:
            rule["properties"]["severity"] = entry["severity"]
            rule["properties"]["security-severity"] = SECURITY_SEVERITY[entry["severity"]]
        rules.append(rule)
    return rules


def _full_description(entry: dict[str, Any]) -> str:
    text = entry["description"]
    if entry["judges"]:
        text += " Judges: " + ", ".join(entry["judges"]) + "."
    controls = "; ".join(f"{f} {', '.join(c)}" for f, c in entry["controls"].items())
    return f"{text} Evidences: {controls}." if controls else text


def _help(entry: dict[str, Any], help_uri: str | None) -> dict[str, str]:
    remediation = entry["remediation"] or "See the rule's description."
    text = f"{entry['description']}\n\nRemediation: {remediation}"
    markdown = f"{entry['description']}\n\n**Remediation:** {remediation}"
    if entry["controls"]:
        markdown += "\n\n| framework | controls |\n|---|---|\n" + "\n".join(
            f"| {f} | {', '.join(c)} |" for f, c in entry["controls"].items()
        )
    if help_uri:
        text += f"\n\nRule documentation: {help_uri}"
        markdown += f"\n\n[Rule documentation]({help_uri})"
    return {"text": text, "markdown": markdown}


def _locate(report: Report, locator: Locator | None, urn: str | None) -> Located:
    if locator is None:  # an account has no source file
        return Located(f"{report.plan.project}/{report.plan.stack}", 1)
    return locator.locate(urn)


def _location(located: Located, urn: str | None, from_root: bool) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": located.path}
    if from_root:
        artifact["uriBaseId"] = ROOT_ID
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact, "region": {"startLine": located.line}}
    }
    if urn:
        location["logicalLocations"] = [{"fullyQualifiedName": urn, "kind": "resource"}]
    return location
