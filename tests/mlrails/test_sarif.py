"""SARIF for GitHub code scanning: valid against the OASIS 2.1.0 schema, paths relative to the
repository root at the user's own line, stable fingerprints, one category per stack, and the
rule metadata code scanning shows (GitHub, "SARIF support for code scanning":
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest

from mlrails.report.sarif import SECURITY_SEVERITY
from tests.conftest import PROJECTS, REPO, TINY_PACK

SCHEMA = json.loads((REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())

# A repository whose component library lives outside the project (lib/shapes.py): the
# resources it makes must point at the project's line that declared the component.
REPOSITORY = PROJECTS / "sarif_repository"
PROGRAM = (REPOSITORY / "infra" / "app" / "__main__.py").read_text()


def make_repository(root: Path, git: bool = True) -> Path:
    """A copy of REPOSITORY at root (with root/.git if `git`); returns its project infra/app."""
    shutil.copytree(REPOSITORY, root, ignore=shutil.ignore_patterns("__pycache__"))
    if git:
        (root / ".git").mkdir()
    return root / "infra" / "app"


@pytest.fixture
def repository(tmp_path, monkeypatch):
    return library_on_path(make_repository(tmp_path / "repo"), monkeypatch)


def library_on_path(project: Path, monkeypatch) -> Path:
    """Import `shapes` from this test's library, not one an earlier test left imported."""
    monkeypatch.syspath_prepend(str(project.parent.parent / "lib"))
    monkeypatch.delitem(sys.modules, "shapes", raising=False)
    return project


def sarif(cli, project: Path, *extra) -> dict:
    result = cli("preview", project, "--policy-pack", TINY_PACK, "--format", "sarif", *extra)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def results_by_name(document: dict) -> dict[str, dict]:
    return {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].rsplit("::", 1)[-1]: r
        for r in document["runs"][0]["results"]
    }


def test_the_document_is_valid_against_the_oasis_sarif_2_1_0_schema(cli, repository):
    document = sarif(cli, repository, "--stack", "dev")
    validator = jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(document)] == []
    assert len(document["runs"][0]["results"]) == 3


def test_uris_are_relative_to_the_repository_root_at_the_users_line(cli, repository):
    run = sarif(cli, repository, "--stack", "dev")["runs"][0]
    root = run["originalUriBaseIds"]["REPO_ROOT"]
    assert root["uri"] == repository.parent.parent.resolve().as_uri() + "/"
    assert "git repository" in root["description"]["text"]
    made_by_component = results_by_name({"runs": [run]})["payments-key"]
    location = made_by_component["locations"][0]["physicalLocation"]
    # The line of infra/app/__main__.py that declares Keys("payments"), not lib/shapes.py.
    assert location["artifactLocation"] == {
        "uri": "infra/app/__main__.py",
        "uriBaseId": "REPO_ROOT",
    }
    assert location["region"] == {"startLine": 3}
    assert made_by_component["message"]["text"] == "KMS key rotation is off."


def test_a_resource_made_in_a_callback_points_at_its_components_declaration(cli, repository):
    result = results_by_name(sarif(cli, repository, "--stack", "dev"))["payments-later"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "infra/app/__main__.py"
    assert location["region"]["startLine"] == 3
    assert "declaration of its component `payments`" in result["message"]["text"]


def test_without_a_project_line_the_library_line_is_used_and_the_message_says_so(cli, repository):
    result = results_by_name(sarif(cli, repository, "--stack", "dev"))["orphan"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "lib/shapes.py"
    assert location["region"]["startLine"] == 17  # the lambda of key_later
    assert "component code that made the resource" in result["message"]["text"]


def test_without_a_git_repository_paths_are_relative_to_the_project_and_it_says_so(
    cli, tmp_path, monkeypatch
):
    project = library_on_path(make_repository(tmp_path / "plain", git=False), monkeypatch)
    run = sarif(cli, project, "--stack", "dev")["runs"][0]
    assert run["originalUriBaseIds"]["REPO_ROOT"]["uri"] == project.resolve().as_uri() + "/"
    assert "No git repository" in run["originalUriBaseIds"]["REPO_ROOT"]["description"]["text"]
    location = results_by_name({"runs": [run]})["payments-key"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "__main__.py"


def test_an_example_of_this_repository_points_at_its_own_lines(cli, tmp_path):
    """This repository's components live outside the example: the example's lines are shown."""
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"required-tags": {"required_tags": ["an-absent-tag"]}}))
    example = REPO / "examples" / "monitored-endpoint"
    result = cli("preview", example, "--format", "sarif", "--policy-config", config)
    run = json.loads(result.out)["runs"][0]
    assert run["originalUriBaseIds"]["REPO_ROOT"]["uri"] == REPO.resolve().as_uri() + "/"
    tagged = [r for r in run["results"] if r["ruleId"] == "required-tags"]
    assert len(tagged) > 5
    locations = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in tagged
    }
    program_lines = (example / "__main__.py").read_text().splitlines()
    for uri, line in locations:
        assert uri == "examples/monitored-endpoint/__main__.py"
        assert "(" in program_lines[line - 1]  # a line that declares something


def fingerprints(document: dict) -> dict[tuple[str, str], str]:
    return {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r[
            "partialFingerprints"
        ]["mlrailsFinding/v1"]
        for r in document["runs"][0]["results"]
    }


def test_fingerprints_are_stable_and_change_only_with_the_rule_or_the_urn(cli, repository):
    first = fingerprints(sarif(cli, repository, "--stack", "dev"))
    assert first == fingerprints(sarif(cli, repository, "--stack", "dev"))
    assert len(set(first.values())) == len(first) == 3

    # Lines move: the same rule on the same URN keeps its fingerprint.
    (repository / "__main__.py").write_text('"""Moved down."""\n\n\n' + PROGRAM)
    moved = fingerprints(sarif(cli, repository, "--stack", "dev"))
    assert moved == first

    # A renamed resource is a new URN: a new fingerprint, the others unchanged.
    (repository / "__main__.py").write_text(
        PROGRAM.replace('key_later("orphan")', 'key_later("stray")')
    )
    renamed = fingerprints(sarif(cli, repository, "--stack", "dev"))
    assert set(renamed.values()) & set(first.values()) == {
        v for (rule, urn), v in first.items() if not urn.endswith("::orphan")
    }
    assert len(renamed) == 3


def test_fingerprints_of_one_resource_differ_by_rule():
    from mlrails.report.sarif import fingerprint

    urn = "urn:pulumi:dev::p::aws:kms/key:Key::k"
    assert fingerprint("rule-a", urn, "m") != fingerprint("rule-b", urn, "m")
    assert fingerprint("rule-a", urn, "m") == fingerprint("rule-a", urn, "another message")


def test_each_stack_is_its_own_code_scanning_category(cli, repository):
    dev = sarif(cli, repository, "--stack", "dev")["runs"][0]["automationDetails"]["id"]
    prod = sarif(cli, repository, "--stack", "prod")["runs"][0]["automationDetails"]["id"]
    # The category is what precedes the last "/" of the id (GitHub, runAutomationDetails).
    assert (dev, prod) == ("keys-app/dev/", "keys-app/prod/")
    assert dev.rsplit("/", 1)[0] != prod.rsplit("/", 1)[0]


def test_rules_carry_the_catalogue_metadata_code_scanning_shows(cli):
    document = json.loads(
        cli("preview", REPO / "examples" / "monitored-endpoint", "--format", "sarif").out
    )
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    catalogue = {e["id"]: e for e in cli("policies", "--format", "json").json()["rules"]}
    assert {r["id"] for r in rules} == set(catalogue)
    headings = set(re.findall(r"^## (\S+)$", (REPO / "docs" / "policies.md").read_text(), re.M))
    for rule in rules:
        entry = catalogue[rule["id"]]
        assert rule["fullDescription"]["text"].startswith(entry["description"])
        assert entry["remediation"] in rule["help"]["text"]
        assert f"**Remediation:** {entry['remediation']}" in rule["help"]["markdown"]
        assert rule["helpUri"].endswith(f"docs/policies.md#{rule['id']}")
        assert rule["helpUri"].rsplit("#", 1)[1] in headings
        assert (
            rule["defaultConfiguration"]["level"]
            == {
                "mandatory": "error",
                "advisory": "warning",
            }[entry["enforcement"]]
        )
        assert "security" in rule["properties"]["tags"]
        assert rule["properties"]["security-severity"] == SECURITY_SEVERITY[entry["severity"]]


@pytest.mark.parametrize(
    ("severity", "band"),
    [("critical", (9.0, 10.0)), ("high", (7.0, 8.9)), ("medium", (4.0, 6.9)), ("low", (0.1, 3.9))],
    ids=["critical", "high", "medium", "low"],
)
def test_security_severity_falls_in_githubs_band_for_the_severity(severity, band):
    # GitHub: over 9.0 is critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 3.9 or less low.
    score = float(SECURITY_SEVERITY[severity])
    assert band[0] < score <= band[1] if severity == "critical" else band[0] <= score <= band[1]


def test_a_library_installed_in_the_projects_own_virtualenv_is_not_the_users_code(
    cli, tmp_path, monkeypatch
):
    project = make_repository(tmp_path / "repo")
    installed = project / "venv" / "lib" / "python3.11" / "site-packages"
    installed.mkdir(parents=True)
    shutil.move(tmp_path / "repo" / "lib" / "shapes.py", installed / "shapes.py")
    monkeypatch.syspath_prepend(str(installed))
    monkeypatch.delitem(sys.modules, "shapes", raising=False)
    result = results_by_name(sarif(cli, project, "--stack", "dev"))["payments-key"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "infra/app/__main__.py"
    assert location["region"]["startLine"] == 3
