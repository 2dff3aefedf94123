"""The report as JUnit XML, for CI test reports.

One test suite per pack; one test case per (rule, resource URN), so every case has its own
identity (classname = rule, name = URN), and a rule that found nothing is one passing case.
Only an open mandatory violation is a <failure>, matching the CLI's exit code: an advisory
violation passes and is listed in the suite's <system-out> and <properties>; a finding that could
not be evaluated, or a waived one, is <skipped> with the reason. The document is valid against
both readers' schemas kept in tests/schemas: Apache Ant's (strict: fixed child order, required
timestamp/hostname/time, no children of a test case but the outcome) and Jenkins xUnit's.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from mlrails.policy.findings import REMOTE_COMPONENT, Finding
from mlrails.report.model import Report

# XML 1.0 §2.2 Char: tab, newline, carriage return and U+0020 upward, minus the surrogates and
# U+FFFE/U+FFFF. Anything else (NUL, ESC, ...) cannot appear even escaped, so it is replaced.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """`value` as text XML 1.0 can carry: each forbidden character as `\\xNN`/`\\uNNNN`."""
    return _NOT_XML.sub(lambda m: repr(m.group())[1:-1], str(value))


def render_junit(report: Report) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    host = xml_text(socket.gethostname() or "localhost")
    suites = ET.Element("testsuites")
    findings_by_policy = report.findings_by_policy()
    for index, pack in enumerate(report.packs):
        suite = _suite(suites, pack.name, index, stamp, host)
        properties = _properties(suite, report)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        notes: list[str] = []
        for policy in pack.policies:
            by_urn: dict[str | None, list[Finding]] = {}
            for finding in findings_by_policy.get((pack.name, policy.name), []):
                by_urn.setdefault(finding.urn, []).append(finding)
            if not by_urn:
                _case(suite, policy.name, "(no findings)")
                counts["tests"] += 1
            for urn, findings in by_urn.items():
                outcome = _case_with_outcome(suite, policy.name, urn, findings)
                counts["tests"] += 1
                if outcome in counts:
                    counts[outcome] += 1
                for finding in findings:
                    if not finding.blocking:
                        notes.append(_note(finding))
        # What no policy of the pack could judge (a remote component's resources).
        for finding in findings_by_policy.get((pack.name, REMOTE_COMPONENT), []):
            outcome = _case_with_outcome(suite, REMOTE_COMPONENT, finding.urn, [finding])
            counts["tests"] += 1
            if outcome in counts:
                counts[outcome] += 1
            notes.append(_note(finding))
        for number, note in enumerate(notes, 1):
            ET.SubElement(properties, "property", name=f"finding.{number}", value=xml_text(note))
        ET.SubElement(suite, "system-out").text = xml_text("\n".join(notes))
        ET.SubElement(suite, "system-err")
        _set_counts(suite, counts["tests"], counts["failures"], 0, counts["skipped"])
    if report.faults:
        _faults_suite(suites, report, len(report.packs), stamp, host)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _suite(suites: ET.Element, name: str, index: int, stamp: str, host: str) -> ET.Element:
    return ET.SubElement(
        suites,
        "testsuite",
        name=xml_text(name),
        package=xml_text(name),
        id=str(index),
        timestamp=stamp,
        hostname=host,
        time="0",
    )


def _properties(suite: ET.Element, report: Report) -> ET.Element:
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("project", report.plan.project),
        ("stack", report.plan.stack),
        ("mode", report.plan.mode),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    return properties


def _case(suite: ET.Element, policy: str, name: str) -> ET.Element:
    return ET.SubElement(
        suite, "testcase", classname=xml_text(policy), name=xml_text(name), time="0"
    )


def _case_with_outcome(
    suite: ET.Element, policy: str, urn: str | None, findings: list[Finding]
) -> str:
    """One case for the rule's findings on one resource; returns its outcome."""
    case = _case(suite, policy, urn or "(stack)")
    blocking = [f for f in findings if f.blocking]
    if blocking:
        failure = ET.SubElement(
            case,
            "failure",
            message=xml_text("; ".join(f.message for f in blocking)),
            type="mandatory",
        )
        failure.text = xml_text("\n".join([urn or "(stack)", *(f.message for f in blocking)]))
        return "failures"
    open_advisory = [f for f in findings if f.is_violation and not f.waived]
    if open_advisory:
        return "passed"  # advisory: reported in the suite's output, never a failure
    reasons = [f"waived: {f.waiver_reason or ''}" if f.waived else f.message for f in findings]
    ET.SubElement(case, "skipped", message=xml_text("; ".join(reasons)))
    return "skipped"


def _note(finding: Finding) -> str:
    if not finding.is_violation:
        kind = "not evaluated"
    elif finding.waived:
        kind = f"waived ({finding.waiver_reason or ''})"
    else:
        kind = finding.enforcement
    return f"[{kind}] {finding.policy} {finding.urn or '(stack)'}: {finding.message}"


def _set_counts(suite: ET.Element, tests: int, failures: int, errors: int, skipped: int) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))


def _faults_suite(suites: ET.Element, report: Report, index: int, stamp: str, host: str) -> None:
    """An audit's failed reads, one erroring test case each: the audit is not complete."""
    suite = _suite(suites, "audit completeness", index, stamp, host)
    _properties(suite, report)
    errors = 0
    for number, fault in enumerate(report.faults):
        # Two failed reads of one operation and resource stay two cases: the number tells apart.
        case = _case(suite, "audit", f"{fault.operation} {fault.resource or ''} #{number + 1}")
        if fault.blocks_completeness:
            ET.SubElement(
                case, "error", message=xml_text(fault.describe()), type=xml_text(fault.kind)
            )
            errors += 1
        else:
            ET.SubElement(case, "skipped", message=xml_text(fault.describe()))
    ET.SubElement(suite, "system-out")
    ET.SubElement(suite, "system-err")
    _set_counts(suite, len(report.faults), 0, errors, len(report.faults) - errors)
