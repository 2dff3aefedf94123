"""`mlrails diff --format markdown` as a pull-request comment: within its size budget, the
summary and every introduced or fixed violation first, details collapsible and cut with a count,
JSON documents held in strings shown as diffs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from mlrails.cli import main
from mlrails.diff import diff_previews, load_preview, render_diff
from mlrails.report.diff_markdown import DEFAULT_MAX_CHARS
from tests.conftest import REPO
from tests.mlrails.test_diff import write_previews

FLEET = REPO / "examples" / "fleet"
# GitHub refuses longer comment bodies (see mlrails/report/diff_markdown.py for the source).
GITHUB_COMMENT_LIMIT = 65_536
# Enough endpoints that a fleet-wide tag change crosses the budget by far (about 21 cross it).
REAL_ENDPOINTS = 25
SCALED_ENDPOINTS = 500
# The tests on real previews of the fleet (two runs of 25 endpoints): `make check` runs them.
FLEET_SIZED = pytest.mark.slow


def fleet_preview(workspace: Path, label: str, owner: str, policy: dict) -> Path:
    """`mlrails preview --format json` of examples/fleet at REAL_ENDPOINTS with `owner`."""
    project = workspace / label
    shutil.copytree(FLEET, project, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    stack_file = project / "Pulumi.dev.yaml"
    document = yaml.safe_load(stack_file.read_text())
    document["config"].update({"fleet:endpoints": REAL_ENDPOINTS, "fleet:owner": owner})
    stack_file.write_text(yaml.safe_dump(document))
    config = workspace / f"{label}-policy.json"
    config.write_text(json.dumps(policy))
    target = workspace / f"{label}.json"
    arguments = ["preview", project, "--stack", "dev", "--format", "json", "--output", target]
    assert main([str(a) for a in [*arguments, "--policy-config", config]]) in (0, 1)
    return target


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """Real previews of the fleet: the head changes the owner tag of every resource and raises
    the minimum instance count, so every endpoint configuration gets a new violation."""
    workspace = tmp_path_factory.mktemp("fleet")
    base = fleet_preview(workspace, "base", "ml-platform", {})
    head = fleet_preview(
        workspace, "head", "ml-platform-2", {"sagemaker-min-instances": {"min_instances": 3}}
    )
    return base, head


def scaled(path: Path, endpoints: int) -> dict:
    """The preview of the same fleet at `endpoints`: the resources and violations of endpoint
    model-000 repeated under each new endpoint's name, as the program's loop makes them."""
    document = load_preview(path)
    template = "model-000"

    def copies(items: list[dict]) -> list[dict]:
        own = json.dumps([item for item in items if template in json.dumps(item)])
        return [
            item
            for i in range(REAL_ENDPOINTS, endpoints)
            for item in json.loads(own.replace(template, f"model-{i:03d}"))
        ]

    document["resources"] += copies(document["resources"])
    document["violations"] += copies(document["violations"])
    return document


def introduced_names(diff) -> list[str]:
    return [v["urn"].rsplit("::", 1)[-1] for v in diff.introduced]


@FLEET_SIZED
def test_a_real_fleet_diff_stays_within_the_budget_listing_every_new_violation(cli, fleet):
    base, head = fleet
    result = cli("diff", base, head, "--format", "markdown")
    assert result.code == 0  # the new violations are advisory
    comment = result.out
    diff = diff_previews(load_preview(base), load_preview(head))
    assert len(diff.introduced) == REAL_ENDPOINTS
    assert len(comment) <= DEFAULT_MAX_CHARS < GITHUB_COMMENT_LIMIT
    assert all(f"`{name}`" in comment for name in introduced_names(diff))
    # Whole, the details would not fit: they are cut with a count and the full command.
    whole = cli("diff", base, head, "--format", "markdown", "--max-chars", "0").out
    assert len(whole) > DEFAULT_MAX_CHARS and "Not shown" not in whole
    note = re.search(r"\*\*Not shown\*\* .*the details of (\d+) to update", comment)
    assert note and 0 < int(note.group(1)) < len(diff.changed)
    assert f"`mlrails diff {base} {head} --format text`" in comment


@FLEET_SIZED
def test_the_summary_and_violations_come_before_the_collapsible_details(cli, fleet):
    comment = cli("diff", *fleet).out
    summary = comment.index("| Type | + create | ~ update | - delete |")
    violations = comment.index("### Policy violations introduced (25)")
    details = comment.index("<details><summary>Resources to update (")
    assert summary < violations < details
    assert "| `aws:sagemaker/endpointConfiguration:EndpointConfiguration` | 0 | 25 | 0 |" in comment


@FLEET_SIZED
@pytest.mark.parametrize("budget", [20_000, DEFAULT_MAX_CHARS], ids=["20k", "60k"])
def test_a_500_endpoint_fleet_diff_fits_any_budget_with_every_new_violation(fleet, budget):
    base, head = (scaled(path, SCALED_ENDPOINTS) for path in fleet)
    diff = diff_previews(base, head)
    assert len(diff.introduced) == SCALED_ENDPOINTS and len(diff.changed) > 10 * SCALED_ENDPOINTS
    comment = render_diff(diff, "markdown", budget, "mlrails diff base.json head.json")
    assert len(comment) <= budget
    assert all(f"`{name}`" in comment for name in introduced_names(diff))
    assert f"policy: {SCALED_ENDPOINTS} introduced" in comment
    assert "**Not shown**" in comment


@FLEET_SIZED
def test_a_budget_too_small_for_every_name_lists_what_fits_and_counts_the_rest(fleet):
    base, head = (scaled(path, SCALED_ENDPOINTS) for path in fleet)
    diff = diff_previews(base, head)
    comment = render_diff(diff, "markdown", 5_000, "mlrails diff base.json head.json")
    assert len(comment) <= 5_000
    listed = sum(f"`{name}`" in comment for name in introduced_names(diff))
    note = re.search(r"the details of (\d+) policy violations", comment)
    assert note and listed > 0 and listed + int(note.group(1)) == SCALED_ENDPOINTS


@FLEET_SIZED
def test_the_scaled_fleet_has_the_shape_of_a_real_preview(fleet, tmp_path):
    document = scaled(fleet[1], SCALED_ENDPOINTS)
    path = tmp_path / "head.json"
    path.write_text(json.dumps(document))
    assert load_preview(path)["resources"] == document["resources"]
    urns = [r["urn"] for r in document["resources"]]
    assert len(urns) == len(set(urns))
    assert any(r["name"] == "model-499-config" for r in document["resources"]) or any(
        "model-499" in r["name"] for r in document["resources"]
    )


def test_json_documents_in_strings_are_shown_as_readable_diffs(cli, tmp_path):
    base, head = write_previews(cli, tmp_path, "component", "component")
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    for path, effect in ((base, "Allow"), (head, "Deny")):
        document = json.loads(path.read_text())
        bucket = next(r for r in document["resources"] if r["name"] == "store-bucket")
        policy = {"Version": "2012-10-17", "Statement": [{**statement, "Effect": effect}]}
        bucket["inputs"]["policy"] = json.dumps(policy)
        path.write_text(json.dumps(document))
    comment = cli("diff", base, head).out
    assert "`policy` (JSON document):" in comment
    assert '    -      "Effect": "Allow",' in comment
    assert '    +      "Effect": "Deny",' in comment
    assert '\\"Effect\\"' not in comment  # no escaped blob


def test_the_cli_default_budget_is_the_renderers(cli):
    from mlrails.cli import build_parser

    arguments = build_parser().parse_args(["diff", "a.json", "b.json"])
    assert arguments.max_chars == DEFAULT_MAX_CHARS


@pytest.mark.parametrize("value", ["-1", "many"], ids=["negative", "not-a-number"])
def test_a_bad_max_chars_is_a_command_line_error(cli, value):
    result = cli("diff", "a.json", "b.json", "--max-chars", value)
    assert result.code == 2 and "--max-chars" in result.err
