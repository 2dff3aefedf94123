"""The report for people at a terminal: a resource tree, counts and the findings table."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from mlrails.plan import ResourceRecord
from mlrails.report.model import AUDIT, Report

_LEVEL_STYLE = {"mandatory": "bold red", "advisory": "yellow"}


def render_text(report: Report, color: bool = False, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width)
    write_text(report, console)
    return buffer.getvalue()


def write_text(report: Report, console: Console) -> None:
    plan = report.plan
    if plan.mode == AUDIT:
        console.print(
            f"[bold]mlrails audit[/bold]  {escape(plan.project)} / {escape(plan.stack)}  "
            f"[dim]({report.api_calls} read requests)[/dim]"
        )
        console.print(_type_counts(plan.resources))
    else:
        console.print(
            f"[bold]mlrails preview[/bold]  {escape(plan.project)} / {escape(plan.stack)}  "
            f"[dim]({plan.mode} mode, offline)[/dim]"
        )
        console.print(_tree(plan.resources))
    custom = sum(1 for r in plan.resources if r.custom)
    console.print(
        f"Resources: {len(plan.resources)} ({custom} custom, "
        f"{len(plan.resources) - custom} components)"
    )
    for warning in plan.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    for lookup in plan.synthesized_lookups:
        console.print(f"[magenta]invented:[/magenta] {escape(lookup.describe())}")
    if not report.policies_evaluated:
        console.print("Policies: not evaluated (--no-policy, or no policy pack found)")
        return
    if report.faults:
        console.print(_faults_table(report))
    packs = ", ".join(f"{p.name}@{p.version}" for p in report.packs)
    console.print(f"Policies: {packs}")
    if report.findings:
        console.print(_findings_table(report))
    console.print(_compliance_table(report))
    summary = report.summary()
    verdict = "[bold red]FAIL[/bold red]" if report.exit_code else "[bold green]PASS[/bold green]"
    if report.incomplete:
        verdict = "[bold magenta]INCOMPLETE[/bold magenta]" + (
            f" ({verdict})" if report.allow_incomplete else ""
        )
    remote = len(plan.remote_components)
    console.print(
        f"{verdict}  {summary['mandatory']} mandatory, {summary['advisory']} advisory, "
        f"{summary['waived']} waived, {summary['not_evaluated']} not evaluated"
        + (f"; {remote} remote component(s) whose resources were not judged" if remote else "")
    )


def _tree(resources: list[ResourceRecord]) -> Tree:
    children: dict[str | None, list[ResourceRecord]] = {}
    for record in resources:
        children.setdefault(record.parent, []).append(record)
    known = {r.urn for r in resources}
    roots = [r for r in resources if r.parent is None or r.parent not in known]
    tree = Tree("[bold]resources[/bold]", guide_style="dim")

    def add(node: Tree, record: ResourceRecord) -> None:
        label = f"{escape(record.type)}  [bold]{escape(record.name)}[/bold]"
        branch = node.add(label if record.custom else f"[cyan]{label}[/cyan]")
        for child in children.get(record.urn, []):
            add(branch, child)

    for root in roots:
        add(tree, root)
    return tree


def _findings_table(report: Report) -> Table:
    table = Table(title="Policy findings", show_lines=False, expand=False)
    # Rule ids and levels stay whole so they can be searched for; the message wraps.
    table.add_column("Policy", no_wrap=True)
    table.add_column("Enforcement", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Resource", overflow="fold", ratio=1)
    table.add_column("Message", overflow="fold", ratio=2)
    for finding in report.findings:
        if not finding.is_violation:
            level = "[magenta]not evaluated[/magenta]"
        elif finding.waived:
            level = f"[dim]waived ({finding.enforcement})[/dim]"
        else:
            style = _LEVEL_STYLE.get(finding.enforcement, "")
            level = f"[{style}]{finding.enforcement}[/{style}]" if style else finding.enforcement
        table.add_row(
            escape(finding.policy),
            level,
            finding.severity or "",
            escape(report.resource_name(finding.urn)),
            escape(finding.message),
        )
    return table


def _compliance_table(report: Report) -> Table:
    """Per control of each framework: how many checks passed, failed, were waived or not evaluated."""
    from mlrails.report.compliance import control_results

    table = Table(title="Compliance by control", show_lines=False, expand=False)
    table.add_column("Framework", no_wrap=True)
    # One line per control: the full titles are in the Markdown report.
    table.add_column("Control", no_wrap=True, overflow="ellipsis", max_width=48)
    for heading in ("Passed", "Failed", "Waived", "Not eval."):
        table.add_column(heading, justify="right", no_wrap=True)
    framework = None
    for control in control_results(report):
        failed = control.count("failed")
        table.add_row(
            escape(control.framework) if control.framework != framework else "",
            escape(f"{control.control} {control.title}"),
            str(control.count("passed")),
            f"[bold red]{failed}[/bold red]" if failed else "0",
            str(control.count("waived")),
            str(control.count("not_evaluated")),
        )
        framework = control.framework
    return table


def _type_counts(resources: list[ResourceRecord]) -> Table:
    table = Table(title="Resources read", show_lines=False, expand=False)
    table.add_column("Type", no_wrap=True)
    table.add_column("Count", justify="right")
    counts: dict[str, int] = {}
    for record in resources:
        counts[record.type] = counts.get(record.type, 0) + 1
    for type_, count in sorted(counts.items()):
        table.add_row(escape(type_), str(count))
    return table


def _faults_table(report: Report) -> Table:
    """What the audit could not read, and the rules it could not evaluate because of it."""
    table = Table(title="Could not read", show_lines=False, expand=False)
    table.add_column("Operation", no_wrap=True)
    table.add_column("Problem", no_wrap=True)
    table.add_column("Resource", overflow="fold")
    table.add_column("Detail", overflow="fold", ratio=1)
    for fault in report.faults:
        table.add_row(
            escape(fault.operation),
            fault.kind,
            escape(fault.resource or "(all)"),
            escape(f"{fault.code}: {fault.message}"),
        )
    return table
