"""`mlrails diff` of two previews: resources and violations, for a pull-request comment."""

from __future__ import annotations

import json

from tests.conftest import PROJECTS, TINY_PACK


def write_previews(cli, tmp_path, base_project, head_project):
    paths = []
    for label, project in (("base", base_project), ("head", head_project)):
        target = tmp_path / f"{label}.json"
        cli(
            "preview",
            PROJECTS / project,
            "--stack",
            "dev",
            "--policy-pack",
            TINY_PACK,
            "--format",
            "json",
            "--output",
            target,
        )
        paths.append(target)
    return paths


def rename_project(path, name):
    document = json.loads(path.read_text())
    for resource in document["resources"]:
        resource["urn"] = resource["urn"].replace(f"::{document['project']}::", f"::{name}::")
    for violation in document["violations"]:
        if violation["urn"]:
            violation["urn"] = violation["urn"].replace(f"::{document['project']}::", f"::{name}::")
    document["project"] = name
    path.write_text(json.dumps(document))


def test_identical_previews_have_no_changes(cli, tmp_path):
    base, head = write_previews(cli, tmp_path, "component", "component")
    result = cli("diff", base, head, "--format", "json")
    assert result.code == 0
    assert result.json()["summary"] == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "introduced": 0,
        "introduced_mandatory": 0,
        "fixed": 0,
    }


def test_changed_inputs_added_resources_and_introduced_violations(cli, tmp_path):
    base, head = write_previews(cli, tmp_path, "component", "component")
    document = json.loads(head.read_text())
    key = next(r for r in document["resources"] if r["name"] == "store-key")
    key["inputs"]["enableKeyRotation"] = False
    key["inputs"]["description"] = "new"
    document["resources"].append({**key, "urn": key["urn"] + "-2", "name": "store-key-2"})
    document["violations"].append(
        {
            "policy": "tiny-key-rotation",
            "pack": "tiny",
            "enforcement": "mandatory",
            "severity": "high",
            "urn": key["urn"],
            "message": "KMS key rotation is off.",
            "waived": False,
        }
    )
    document["violations"] = [
        v for v in document["violations"] if v["policy"] != "tiny-buckets-encrypted"
    ]
    head.write_text(json.dumps(document))

    result = cli("diff", base, head, "--format", "json")
    assert result.code == 1  # the head brings a mandatory violation
    diff = result.json()
    assert [r["name"] for r in diff["resources"]["added"]] == ["store-key-2"]
    changed = diff["resources"]["changed"][0]
    assert changed["name"] == "store-key"
    assert changed["changes"] == [
        {"path": "description", "old": None, "new": "new"},
        {"path": "enableKeyRotation", "old": True, "new": False},
    ]
    assert [v["policy"] for v in diff["violations"]["introduced"]] == ["tiny-key-rotation"]
    assert [v["policy"] for v in diff["violations"]["fixed"]] == ["tiny-buckets-encrypted"]

    markdown = cli("diff", base, head).out
    assert (
        "**+1 to create, ~1 to update, -0 to delete; policy: 1 introduced (1 mandatory), 1 fixed**"
        in markdown
    )
    assert "`enableKeyRotation`: `true` → `false`" in markdown
    assert "### Policy violations introduced" in markdown
    text = cli("diff", base, head, "--format", "text").out
    assert "    enableKeyRotation: true -> false" in text


def test_removed_resources_and_secrets_stay_masked(cli, tmp_path):
    base, head = write_previews(cli, tmp_path, "raw_aws", "component")
    rename_project(head, "raw-aws")
    diff = cli("diff", base, head, "--format", "json").json()
    assert "webhook-token" in [r["name"] for r in diff["resources"]["removed"]]
    assert "[secret]" in base.read_text() and "R6Yp0l" not in base.read_text()


def test_a_file_that_is_not_a_preview_exits_2(cli, tmp_path):
    base, _ = write_previews(cli, tmp_path, "component", "component")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"project": "x"}))
    result = cli("diff", base, other)
    assert result.code == 2 and "is not an mlrails preview" in result.err
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert "is not valid JSON" in cli("diff", broken, base).err
