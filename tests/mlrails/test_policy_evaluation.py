"""Evaluating a pack's pulumi_policy objects on a recorded plan, with the SDK's semantics."""

from __future__ import annotations

import json
import threading

import pulumi_policy
import pytest

from mlrails.engine.run import run_program
from mlrails.errors import UserError
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.findings import NOT_EVALUATED, VIOLATION
from mlrails.policy.pack import load_pack
from mlrails.project import load_project
from tests.conftest import PROJECTS, TINY_PACK


def findings_for(project: str, mode: str = "resolved", config: dict | None = None):
    pack = load_pack(TINY_PACK)
    plan = run_program(load_project(PROJECTS / project, "dev"), mode)
    return evaluate(plan, [pack], resolve_settings([pack], config or {}))


def test_loading_a_pack_records_its_policies_without_serving_grpc():
    threads_before = threading.active_count()
    pack = load_pack(TINY_PACK)
    assert pack.name == "tiny" and pack.version == "0.2.0"
    assert [p.name for p in pack.policies] == [
        "tiny-key-rotation",
        "tiny-buckets-encrypted",
        "tiny-endpoint-key",
    ]
    # The real PolicyPack is back in place and no server thread was started.
    assert pulumi_policy.PolicyPack.__name__ == "PolicyPack"
    assert threading.active_count() == threads_before


def test_resource_rule_reports_on_the_resource_it_judged():
    findings = findings_for("preview_unknowns")
    rotation = [f for f in findings if f.policy == "tiny-key-rotation"]
    assert len(rotation) == 1
    assert rotation[0].urn == "urn:pulumi:dev::preview-unknowns::aws:kms/key:Key::endpoint-key"
    assert rotation[0].enforcement == "mandatory" and rotation[0].severity == "high"
    assert rotation[0].message == "KMS key rotation is off." and rotation[0].blocking


def test_stack_rule_sees_linked_resources_and_names_the_urn():
    findings = findings_for("component")
    unencrypted = [f for f in findings if f.policy == "tiny-buckets-encrypted"]
    assert [(f.urn, f.enforcement, f.blocking) for f in unencrypted] == [
        (
            "urn:pulumi:dev::component-project::tests:index:Store$aws:s3/bucket:Bucket::store-bucket",
            "advisory",
            False,
        )
    ]
    # Linked through the encryption configuration's property dependency, in both modes.
    assert findings_for("raw_aws") == []
    assert findings_for("raw_aws", mode="preview") == []


def test_a_rule_reading_an_unknown_value_is_not_evaluated_in_preview_mode():
    findings = findings_for("preview_unknowns", mode="preview")
    endpoint = [f for f in findings if f.policy == "tiny-endpoint-key"]
    assert len(endpoint) == 1 and endpoint[0].status == NOT_EVALUATED
    assert (
        endpoint[0].message
        == "not evaluated: string value at .kmsKeyArn can't be known during preview"
    )
    assert not endpoint[0].blocking
    # Resolved, the same rule decides: the generated key ARN satisfies the default option.
    assert [f for f in findings_for("preview_unknowns") if f.policy == "tiny-endpoint-key"] == []


def test_config_file_sets_enforcement_and_options_as_the_pulumi_cli_does():
    config = {
        "all": "advisory",
        "tiny-endpoint-key": {
            "enforcementLevel": "mandatory",
            "allowedKeyPrefix": "arn:aws:kms:eu-",
        },
    }
    findings = findings_for("preview_unknowns", config=config)
    by_policy = {f.policy: f for f in findings}
    assert by_policy["tiny-key-rotation"].enforcement == "advisory"
    assert by_policy["tiny-endpoint-key"].enforcement == "mandatory"
    assert by_policy["tiny-endpoint-key"].status == VIOLATION
    assert "is not under arn:aws:kms:eu-" in by_policy["tiny-endpoint-key"].message


def test_disabled_policy_does_not_run():
    findings = findings_for("preview_unknowns", config={"tiny-key-rotation": "disabled"})
    assert "tiny-key-rotation" not in {f.policy for f in findings}


def test_remediate_level_is_reported_as_mandatory():
    findings = findings_for("preview_unknowns", config={"tiny-key-rotation": "remediate"})
    assert [f.enforcement for f in findings if f.policy == "tiny-key-rotation"] == ["mandatory"]


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"tiny-nope": "mandatory"}, "key 'tiny-nope' names no policy"),
        ({"all": "strict"}, "enforcement level 'strict'"),
        (
            {"tiny-endpoint-key": {"allowedKeyPrefix": 7}},
            "`tiny-endpoint-key.allowedKeyPrefix`: 7 is not of type 'string'",
        ),
        ({"tiny-endpoint-key": {"prefix": "x"}}, "Additional properties are not allowed ('prefix'"),
        ({"tiny-key-rotation": {"threshold": 1}}, "takes no options"),
        ({"tiny-key-rotation": 3}, "it must be an enforcement level"),
    ],
    ids=[
        "unknown-policy",
        "unknown-enforcement-level",
        "option-of-the-wrong-type",
        "unknown-option",
        "options-for-a-rule-without-any",
        "level-not-a-string",
    ],
)
def test_invalid_policy_config_names_the_key(config, fragment):
    pack = load_pack(TINY_PACK)
    with pytest.raises(UserError) as err:
        resolve_settings([pack], config, "policy.json")
    assert fragment in str(err.value) and str(err.value).startswith("policy.json:")


def test_a_rule_that_crashes_is_reported_as_a_pack_defect(tmp_path):
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "def broken(args, report):\n    raise KeyError('tags')\n"
        "PolicyPack('broken', [ResourceValidationPolicy(\n"
        "    name='b', description='d', validate=broken)])\n"
    )
    pack = load_pack(tmp_path)
    plan = run_program(load_project(PROJECTS / "component", "dev"))
    with pytest.raises(
        UserError, match=r"policy 'b' raised KeyError: 'tags' while judging resource"
    ):
        evaluate(plan, [pack], resolve_settings([pack], {}))


def test_a_pack_that_fails_to_import_is_named(tmp_path):
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("import does_not_exist\n")
    with pytest.raises(UserError, match="the policy pack failed to load: ModuleNotFoundError"):
        load_pack(tmp_path)
    (tmp_path / "other").mkdir()
    with pytest.raises(UserError, match="not a policy pack"):
        load_pack(tmp_path / "other")


@pytest.mark.parametrize(
    ("manifest", "fragment"),
    [
        ("runtime: nodejs\n", "key `runtime` is 'nodejs'; the offline engine loads Python policy"),
        ("runtime: [python\n", "is not valid YAML at line 2"),
        ("- runtime\n", "holds a list at the top level"),
    ],
)
def test_a_malformed_pack_manifest_names_the_manifest(tmp_path, manifest, fragment):
    (tmp_path / "PulumiPolicy.yaml").write_text(manifest)
    (tmp_path / "__main__.py").write_text("")
    with pytest.raises(UserError) as err:
        load_pack(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'PulumiPolicy.yaml'}: ")
    assert fragment in str(err.value)


def test_findings_serialize_with_the_contract_keys_in_order():
    finding = findings_for("preview_unknowns")[0]
    assert list(json.loads(json.dumps(finding.to_json()))) == [
        "policy",
        "pack",
        "enforcement",
        "severity",
        "urn",
        "message",
        "waived",
        "status",
    ]
