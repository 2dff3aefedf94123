"""JUnit for CI test reports: valid against the Ant and Jenkins schemas, one case per (rule,
resource), only open mandatory violations fail, any text survives as XML."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from lxml import etree

from mlrails.plan import Plan
from mlrails.policy.findings import NOT_EVALUATED, Finding
from mlrails.policy.pack import load_pack
from mlrails.report.junit import render_junit
from mlrails.report.model import Report
from tests.conftest import PROJECTS, REPO, TINY_PACK

SCHEMAS = {
    name: etree.XMLSchema(etree.parse(str(REPO / "tests" / "schemas" / file)))
    for name, file in (("ant", "junit-ant.xsd"), ("jenkins", "junit-jenkins-10.xsd"))
}
URN = "urn:pulumi:dev::p::"


def assert_valid(text: str) -> etree._Element:
    document = etree.fromstring(text.encode())
    for name, schema in SCHEMAS.items():
        assert schema.validate(document), (name, [str(e) for e in schema.error_log][:5])
    return document


def identities(document) -> Counter:
    return Counter((c.get("classname"), c.get("name")) for c in document.iter("testcase"))


def finding(policy="tiny-key-rotation", urn=f"{URN}aws:kms/key:Key::k", **fields) -> Finding:
    defaults = {"pack": "tiny", "enforcement": "mandatory", "severity": "high", "message": "off"}
    return Finding(policy=policy, urn=urn, **{**defaults, **fields})


def report(*findings: Finding) -> Report:
    plan = Plan(project="p", stack="dev", mode="resolved")
    return Report(plan=plan, findings=list(findings), packs=[load_pack(TINY_PACK)])


def junit(cli, *extra) -> tuple[int, etree._Element]:
    result = cli(
        "preview", PROJECTS / "governance_mix", "--stack", "dev", "--format", "junit", *extra
    )
    assert result.code in (0, 1), result.err
    return result.code, assert_valid(result.out)


def test_the_bundled_pack_on_a_mixed_project_is_valid_with_unique_case_identities(cli):
    code, document = junit(cli)
    assert code == 1
    counts = identities(document)
    assert counts and max(counts.values()) == 1
    failures = document.findall(".//failure")
    assert failures and all(f.get("type") == "mandatory" for f in failures)
    suite = document.find("testsuite")
    assert int(suite.get("failures")) == len(failures)
    assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_advisory_findings_pass_and_are_listed_in_the_suite_output(cli):
    _, document = junit(cli)
    output = document.find("testsuite/system-out").text
    assert "[advisory] required-tags" in output
    properties = {p.get("name"): p.get("value") for p in document.iter("property")}
    assert properties["project"] == "governance-mix" and properties["stack"] == "dev"
    assert any(v.startswith("[advisory] required-tags") for v in properties.values())
    tagged = [c for c in document.iter("testcase") if c.get("classname") == "required-tags"]
    assert tagged and all(len(c) == 0 for c in tagged)  # passing cases


def test_an_advisory_only_project_gives_a_green_report(cli, tmp_path):
    config = tmp_path / "advisory.json"
    config.write_text(json.dumps({"all": "advisory"}))
    code, document = junit(cli, "--policy-config", config)
    assert code == 0
    assert document.findall(".//failure") == [] and document.findall(".//error") == []
    assert all(s.get("failures") == "0" and s.get("errors") == "0" for s in document)
    assert "[advisory]" in document.find("testsuite/system-out").text


def test_resources_with_the_same_name_are_separate_cases():
    same_name = [
        finding(urn=f"{URN}aws:kms/key:Key::data"),
        finding(urn=f"{URN}tests:index:Store$aws:kms/key:Key::data"),
    ]
    document = assert_valid(render_junit(report(*same_name)))
    names = [
        c.get("name")
        for c in document.iter("testcase")
        if c.get("classname") == "tiny-key-rotation"
    ]
    assert names == [f.urn for f in same_name]


def test_several_findings_of_one_rule_on_one_resource_are_one_case():
    document = assert_valid(render_junit(report(finding(message="a"), finding(message="b"))))
    [case] = [c for c in document.iter("testcase") if c.get("classname") == "tiny-key-rotation"]
    assert case.find("failure").get("message") == "a; b"


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({"enforcement": "mandatory"}, "failure"),
        ({"enforcement": "advisory"}, None),
        ({"status": NOT_EVALUATED, "message": "not evaluated: unknown"}, "skipped"),
        ({"waived": True, "waiver_reason": "ML-1"}, "skipped"),
    ],
    ids=["mandatory-fails", "advisory-passes", "not-evaluated-skipped", "waived-skipped"],
)
def test_only_an_open_mandatory_violation_fails(fields, outcome):
    document = assert_valid(render_junit(report(finding(**fields))))
    [case] = [c for c in document.iter("testcase") if c.get("classname") == "tiny-key-rotation"]
    assert [child.tag for child in case] == ([outcome] if outcome else [])
    assert document.find("testsuite").get("failures") == ("1" if outcome == "failure" else "0")


@pytest.mark.parametrize(
    "character", ["\x00", "\x1b", "\x08", "\ufffe"], ids=["nul", "esc", "backspace", "fffe"]
)
def test_characters_xml_cannot_carry_are_replaced_visibly(character):
    urn = f"{URN}aws:kms/key:Key::bad{character}name"
    text = render_junit(report(finding(urn=urn, message=f"key {character} off")))
    document = assert_valid(text)
    shown = repr(character)[1:-1]
    assert any(
        c.get("name") == f"{URN}aws:kms/key:Key::bad{shown}name" for c in document.iter("testcase")
    )
    assert f"key {shown} off" in document.find(".//failure").get("message")


def test_a_program_naming_a_resource_with_nul_and_esc_gives_valid_junit(cli, tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: odd-names\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        'aws.kms.Key("nul\\x00key", enable_key_rotation=False)\n'
        'aws.kms.Key("esc\\x1bkey", enable_key_rotation=False)\n'
    )
    result = cli(
        "preview", tmp_path, "--stack", "dev", "--policy-pack", TINY_PACK, "--format", "junit"
    )
    assert result.code == 1, result.err
    document = assert_valid(result.out)
    names = {c.get("name") for c in document.iter("testcase")}
    assert {
        "urn:pulumi:dev::odd-names::aws:kms/key:Key::nul\\x00key",
        "urn:pulumi:dev::odd-names::aws:kms/key:Key::esc\\x1bkey",
    } <= names
