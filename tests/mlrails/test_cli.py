"""The `mlrails` command line: formats, exit codes, atomic output and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import PROJECTS, REPO, TINY_PACK

PREVIEW_KEYS = [
    "project",
    "stack",
    "mode",
    "resources",
    "violations",
    "summary",
    "synthesized_lookups",
]
RESOURCE_KEYS = ["urn", "type", "name", "parent", "custom", "dependencies", "inputs"]


def preview(cli, project, *extra):
    return cli("preview", PROJECTS / project, "--stack", "dev", "--policy-pack", TINY_PACK, *extra)


def test_json_is_the_design_object_and_exit_code_1_on_a_mandatory_violation(cli):
    result = preview(cli, "preview_unknowns", "--format", "json")
    assert result.code == 1
    document = result.json()
    assert list(document) == PREVIEW_KEYS
    assert all(list(r) == RESOURCE_KEYS for r in document["resources"])
    assert document["summary"] == {
        "resources": 4,  # the stack, the default aws provider, a key, an endpoint config
        "mandatory": 1,
        "advisory": 0,
        "waived": 0,
        "not_evaluated": 0,
    }
    assert document["violations"][0]["policy"] == "tiny-key-rotation"
    assert document["violations"][0]["status"] == "violation"


def test_exit_code_0_without_mandatory_violations(cli):
    result = preview(cli, "component", "--format", "json")
    assert result.code == 0
    assert result.json()["summary"]["advisory"] == 1


def test_not_evaluated_rules_are_counted_and_shown_in_every_format(cli):
    for fmt, needle in (
        ("json", "not evaluated: string value at .kmsKeyArn"),
        ("text", "not evaluated"),
        ("markdown", "not evaluated"),
        ("sarif", "not evaluated: string value at .kmsKeyArn"),
        ("junit", "not evaluated: string value at .kmsKeyArn"),
    ):
        result = preview(cli, "preview_unknowns", "--mode", "preview", "--format", fmt)
        assert needle in result.out, fmt
    document = preview(cli, "preview_unknowns", "--mode", "preview", "--format", "json").json()
    assert document["summary"]["not_evaluated"] == 1


def test_text_shows_the_tree_counts_and_findings(cli):
    result = preview(cli, "component")
    assert "tests:index:Store  store" in result.out
    assert "aws:kms/key:Key  store-key" in result.out
    assert "Resources: 5 (3 custom, 2 components)" in result.out
    assert "tiny-buckets-encrypted" in result.out
    assert "PASS  0 mandatory, 1 advisory" in result.out


def test_markdown_sarif_and_junit_carry_one_result_per_violation(cli):
    markdown = preview(cli, "preview_unknowns", "--format", "markdown").out
    assert "**FAIL**: 1 mandatory policy violation(s)." in markdown
    assert (
        "| `tiny-key-rotation` | mandatory | high | `endpoint-key` | KMS key rotation is off. |"
        in markdown
    )

    sarif = json.loads(preview(cli, "preview_unknowns", "--format", "sarif").out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in run["results"]] == ["tiny-key-rotation"]
    result = run["results"][0]
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith(
        "tests/projects/preview_unknowns/__main__.py"
    )
    assert location["region"]["startLine"] == 5  # the line that declares the key
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {
        "tiny-key-rotation",
        "tiny-endpoint-key",
    }

    junit = ET.fromstring(preview(cli, "preview_unknowns", "--format", "junit").out)
    failures = junit.findall(".//failure")
    assert [f.get("message") for f in failures] == ["KMS key rotation is off."]
    assert junit.find("testsuite").get("tests") == "3"


def test_output_is_written_atomically_and_not_at_all_on_error(cli, tmp_path):
    target = tmp_path / "plan.json"
    assert preview(cli, "component", "--format", "json", "--output", target).code == 0
    assert list(json.loads(target.read_text())) == PREVIEW_KEYS
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]

    broken = tmp_path / "broken.json"
    result = preview(cli, "bad_program", "--format", "json", "--output", broken)
    assert result.code == 2 and not broken.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["preview", PROJECTS / "nowhere", "--stack", "dev"], "no such project directory"),
        (["preview", PROJECTS / "component", "--stack", "prod"], "unknown stack 'prod'"),
        (
            ["preview", PROJECTS / "bad_program", "--stack", "dev", "--no-policy"],
            "at __main__.py:4",
        ),
        (
            ["preview", PROJECTS / "unknown_invoke", "--stack", "dev", "--no-policy"],
            "acme:index/getWidget:getWidget",
        ),
        (["preview", PROJECTS / "missing_config", "--stack", "dev", "--no-policy"], "instanceType"),
        (
            ["preview", PROJECTS / "component", "--stack", "dev", "--policy-pack", PROJECTS],
            "not a policy pack",
        ),
        (
            ["preview", PROJECTS / "component", "--no-policy", "--policy-config", "x.json"],
            "--no-policy skips",
        ),
        (
            ["diff", PROJECTS / "absent.json", PROJECTS / "absent.json"],
            "absent.json: cannot be read",
        ),
    ],
    ids=[
        "no-project-directory",
        "unknown-stack",
        "program-raises",
        "unknown-invoke",
        "missing-config",
        "not-a-policy-pack",
        "policy-config-without-policies",
        "unreadable-diff-input",
    ],
)
def test_bad_input_exits_2_with_one_paragraph_and_no_traceback(cli, args, fragment):
    result = cli(*args)
    assert result.code == 2
    assert fragment in result.err
    assert "Traceback" not in result.err
    assert result.err.startswith("error: ") and result.err.count("\n") == 1


def test_malformed_policy_config_file_exits_2(cli, tmp_path):
    bad = tmp_path / "policy.json"
    bad.write_text('{"all": "mandatory",}')
    result = preview(cli, "component", "--policy-config", bad)
    assert result.code == 2 and f"{bad}: is not valid JSON (line 1, column 21" in result.err
    missing = preview(cli, "component", "--policy-config", tmp_path / "missing.json")
    assert missing.code == 2 and "cannot be read" in missing.err


def test_debug_shows_the_traceback(cli):
    result = cli("preview", PROJECTS / "bad_program", "--stack", "dev", "--no-policy", "--debug")
    assert result.code == 2 and "Traceback" in result.err and "ValueError" in result.err


def test_unknown_flag_is_a_command_line_error(cli):
    result = cli("preview", PROJECTS / "component", "--frobnicate")
    assert result.code == 2 and "unrecognized arguments: --frobnicate" in result.err


def test_stack_defaults_to_the_only_stack_file(cli, monkeypatch):
    monkeypatch.delenv("PULUMI_STACK", raising=False)
    assert (
        cli("preview", PROJECTS / "component", "--no-policy", "--format", "json").json()["stack"]
        == "dev"
    )


def test_stack_defaults_to_the_only_stack_file_in_stack_config_dir(cli, monkeypatch, tmp_path):
    monkeypatch.delenv("PULUMI_STACK", raising=False)
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nstackConfigDir: config\n")
    (tmp_path / "__main__.py").write_text("")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "Pulumi.staging.yaml").write_text("config:\n  aws:region: eu-west-1\n")
    result = cli("preview", tmp_path, "--no-policy", "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["stack"] == "staging"


def test_stack_must_be_named_when_the_project_has_several(cli, monkeypatch):
    monkeypatch.delenv("PULUMI_STACK", raising=False)
    result = cli("preview", REPO / "stacks", "--no-policy")
    assert result.code == 2
    assert "which stack? Pass --stack NAME (stack files: dev, prod, staging)" in result.err


def test_help_imports_none_of_the_engine_the_sdks_or_the_renderers():
    """`mlrails --help` answers in ~40 ms: the commands import their machinery when they run."""
    script = (
        "import json, sys\n"
        "from mlrails.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pulumi', 'pulumi_aws', 'pulumi_policy', 'boto3', 'botocore', 'rich', 'pydantic')\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == []
