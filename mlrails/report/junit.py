"""The report as JUnit XML, for CI test reports.

Each policy is a test case that passes when it found nothing; each finding is a test case of
its own: a failure for a violation, skipped when waived or not evaluated.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mlrails.policy.evaluate import REMOTE_COMPONENT
from mlrails.report.model import Report


def render_junit(report: Report) -> str:
    plan = report.plan
    suites = ET.Element("testsuites", name=f"mlrails {plan.project}/{plan.stack}")
    findings_by_policy = report.findings_by_policy()
    for pack in report.packs:
        suite = ET.SubElement(suites, "testsuite", name=pack.name)
        tests = failures = skipped = 0
        for policy in pack.policies:
            findings = findings_by_policy.get((pack.name, policy.name), [])
            if not findings:
                ET.SubElement(suite, "testcase", classname=policy.name, name=policy.name)
                tests += 1
            for finding in findings:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=policy.name,
                    name=f"{policy.name} {report.resource_name(finding.urn)}",
                )
                tests += 1
                if finding.status != "violation":
                    ET.SubElement(case, "skipped", message=finding.message)
                    skipped += 1
                elif finding.waived:
                    ET.SubElement(case, "skipped", message=f"waived: {finding.waiver_reason or ''}")
                    skipped += 1
                else:
                    failure = ET.SubElement(
                        case, "failure", message=finding.message, type=finding.enforcement
                    )
                    failure.text = f"{finding.urn or '(stack)'}\n{finding.message}"
                    failures += 1
        # What no policy of the pack could judge (a remote component's resources).
        for finding in findings_by_policy.get((pack.name, REMOTE_COMPONENT), []):
            name = f"{REMOTE_COMPONENT} {report.resource_name(finding.urn)}"
            case = ET.SubElement(suite, "testcase", classname=REMOTE_COMPONENT, name=name)
            ET.SubElement(case, "skipped", message=finding.message)
            tests, skipped = tests + 1, skipped + 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("skipped", str(skipped))
        suite.set("errors", "0")
    if report.faults:
        _faults_suite(suites, report)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _faults_suite(suites: ET.Element, report: Report) -> None:
    """An audit's failed reads, one erroring test case each: the audit is not complete."""
    suite = ET.SubElement(suites, "testsuite", name="audit completeness")
    errors = 0
    for fault in report.faults:
        case = ET.SubElement(
            suite, "testcase", classname="audit", name=f"{fault.operation} {fault.resource or ''}"
        )
        if fault.blocks_completeness:
            ET.SubElement(case, "error", message=fault.describe(), type=fault.kind)
            errors += 1
        else:
            ET.SubElement(case, "skipped", message=fault.describe())
    suite.set("tests", str(len(report.faults)))
    suite.set("failures", "0")
    suite.set("errors", str(errors))
    suite.set("skipped", str(len(report.faults) - errors))
