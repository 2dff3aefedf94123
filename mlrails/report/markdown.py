"""The report as Markdown, for a pull-request comment."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from operator import attrgetter

from mlrails.report.model import AUDIT, Report


def cell(text: object) -> str:
    """Make a value safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    plan = report.plan
    summary = report.summary()
    command = "audit" if plan.mode == AUDIT else "preview"
    lines = [f"## mlrails {command}: `{plan.project}` / `{plan.stack}`", ""]
    if report.incomplete:
        lines += [
            f"**INCOMPLETE**: {len(report.faults)} read(s) failed; the rules that needed them "
            "are reported as not evaluated.",
            "",
        ]
    if not report.policies_evaluated:
        lines.append("Policies were not evaluated (`--no-policy`, or no policy pack found).")
    elif report.exit_code:
        lines.append(f"**FAIL**: {summary['mandatory']} mandatory policy violation(s).")
    else:
        lines.append("**PASS**: no mandatory policy violations.")
    if plan.remote_components:
        lines.append(
            f"{len(plan.remote_components)} remote (multi-language) component(s) could not be "
            "built offline: their resources were not judged."
        )
    lines += [
        "",
        "| Resources | Mandatory | Advisory | Waived | Not evaluated |",
        "|---:|---:|---:|---:|---:|",
        f"| {summary['resources']} | {summary['mandatory']} | {summary['advisory']} "
        f"| {summary['waived']} | {summary['not_evaluated']} |",
        "",
    ]
    if report.findings:
        lines += [
            "### Policy findings",
            "",
            "| Policy | Enforcement | Severity | Resource | Message |",
            "|---|---|---|---|---|",
        ]
        for finding in report.findings:
            if not finding.is_violation:
                level = "not evaluated"
            elif finding.waived:
                level = f"waived ({finding.enforcement}): {finding.waiver_reason or ''}"
            else:
                level = finding.enforcement
            lines.append(
                f"| `{cell(finding.policy)}` | {cell(level)} | {cell(finding.severity or '')} "
                f"| `{cell(report.resource_name(finding.urn))}` | {cell(finding.message)} |"
            )
        lines.append("")
    lines += _faults(report)
    if plan.synthesized_lookups:
        lines += ["### Invented lookup answers", ""]
        lines += [f"- {cell(lookup.describe())}" for lookup in plan.synthesized_lookups]
        lines.append("")
    lines += _compliance(report)
    counts = Counter(r.type for r in plan.resources)
    lines += [
        f"<details><summary>Resources ({len(plan.resources)}, {plan.mode} mode)</summary>",
        "",
        "| Type | Count |",
        "|---|---:|",
        *(f"| `{cell(t)}` | {n} |" for t, n in sorted(counts.items())),
        "",
        "</details>",
        "",
    ]
    return "\n".join(lines)


def _compliance(report: Report) -> list[str]:
    """Per framework, each control with its rules, check counts and failing resources."""
    from mlrails.report.compliance import control_results

    controls = control_results(report) if report.policies_evaluated else []
    if not controls:
        return []
    lines = ["### Compliance view", ""]
    # control_results lists each framework's controls together.
    for framework, framework_controls in groupby(controls, key=attrgetter("framework")):
        lines += [
            f"#### {framework}",
            "",
            "| Control | Rules | Passed | Failed | Waived | Not evaluated | Failing resources |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for control in framework_controls:
            failing = ", ".join(
                f"`{cell(report.resource_name(u))}`" for u in control.failing_resources
            )
            rules = ", ".join(f"`{r.rule}`" for r in control.rules)
            lines.append(
                f"| {control.control}: {cell(control.title)} | {rules} | {control.count('passed')} "
                f"| {control.count('failed')} | {control.count('waived')} "
                f"| {control.count('not_evaluated')} | {failing or '-'} |"
            )
        lines.append("")
    return lines


def _faults(report: Report) -> list[str]:
    if not report.faults:
        return []
    lines = [
        "### Could not read",
        "",
        "| Operation | Problem | Resource | Detail |",
        "|---|---|---|---|",
    ]
    for fault in report.faults:
        lines.append(
            f"| `{cell(fault.operation)}` | {fault.kind} | `{cell(fault.resource or '(all)')}` "
            f"| {cell(fault.code)}: {cell(fault.message)} |"
        )
    return [*lines, ""]
