"""The offline engine: what it records, deterministically, in both modes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pulumi_aws._utilities import get_version

from mlrails.engine.run import run_program
from mlrails.errors import UserError
from mlrails.plan import SECRET_MASK, UNKNOWN_MASK, is_unknown
from mlrails.project import load_project
from mlrails.report import render
from mlrails.report.model import Report
from tests.conftest import PROJECTS, REPO

pulumi_aws_version = get_version()
STACK = "urn:pulumi:dev::raw-aws::pulumi:pulumi:Stack::raw-aws-dev"


def plan_of(project: str, mode: str = "resolved"):
    return run_program(load_project(PROJECTS / project, "dev"), mode)


def by_name(plan):
    return {r.name: r for r in plan.resources}


def test_records_every_resource_with_urn_type_parent_and_custom_flag():
    plan = plan_of("raw_aws")
    assert [(r.type, r.name) for r in plan.resources] == [
        ("pulumi:pulumi:Stack", "raw-aws-dev"),
        # The engine's default provider, registered before the first resource that needs it.
        ("pulumi:providers:aws", f"default_{pulumi_aws_version.replace('.', '_')}"),
        ("aws:kms/key:Key", "data-key"),
        ("aws:s3/bucket:Bucket", "data"),
        # Registered once the outputs they take from the key and bucket are known.
        ("aws:iam/role:Role", "model-role"),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "data-encryption",
        ),
        ("aws:ssm/parameter:Parameter", "webhook-token"),
    ]
    stack, key = plan.resources[0], plan.resources[2]
    assert stack.urn == STACK and stack.parent is None and not stack.custom
    assert key.urn == "urn:pulumi:dev::raw-aws::aws:kms/key:Key::data-key"
    assert key.parent == STACK and key.custom


def test_inputs_are_the_wire_format_policies_receive():
    resources = by_name(plan_of("raw_aws"))
    key = resources["data-key"].inputs
    # camelCase keys; numbers arrive as floats, as in the engine's protobuf structs.
    assert key["enableKeyRotation"] is True
    assert key["deletionWindowInDays"] == 7.0 and isinstance(key["deletionWindowInDays"], float)
    assert key["tags"] == {"owner": "ml-platform", "team": "ml", "tier": "gold"}
    # The secret reaches the parameter wrapped in the secret signature.
    value = resources["webhook-token"].inputs["value"]
    assert value["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"


def test_dependencies_and_property_dependencies_link_to_urns():
    resources = by_name(plan_of("raw_aws"))
    encryption = resources["data-encryption"]
    assert encryption.dependencies == sorted([resources["data"].urn, resources["data-key"].urn])
    assert encryption.property_dependencies["bucket"] == [resources["data"].urn]
    assert encryption.property_dependencies["rules"] == [resources["data-key"].urn]


def test_resolved_mode_fills_ids_arns_and_auto_names_deterministically():
    resources = by_name(plan_of("raw_aws"))
    # With bucketPrefix the provider names the bucket at create time: prefix + unique suffix.
    assert "bucket" not in resources["data"].inputs
    encryption = resources["data-encryption"].inputs
    assert encryption["bucket"].startswith("models") and len(encryption["bucket"]) == 6 + 26
    key_arn = encryption["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
    assert key_arn.startswith("arn:aws:kms:eu-west-1:123456789012:key/")
    # Left out, the role's name is auto-named by the provider's Check: logical name + 7 hex.
    role = resources["model-role"].inputs
    assert role["name"].startswith("model-role-") and len(role["name"]) == len("model-role-") + 7


def test_invoke_answers_render_a_real_policy_document():
    role = by_name(plan_of("raw_aws"))["model-role"].inputs
    assert json.loads(role["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
            }
        ],
    }
    assert by_name(plan_of("raw_aws"))["data-key"].inputs["description"] == (
        "data key for account 123456789012"
    )


def test_preview_mode_leaves_computed_values_unknown_and_keeps_known_inputs():
    resources = by_name(plan_of("raw_aws", mode="preview"))
    encryption = resources["data-encryption"].inputs
    assert is_unknown(encryption["bucket"])
    assert is_unknown(
        encryption["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
    )
    assert encryption["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    # Auto-names come from the provider's Check, so they are known even in a preview.
    assert resources["model-role"].inputs["name"].startswith("model-role-")


def test_component_children_have_the_component_as_parent_and_in_their_urn():
    plan = plan_of("component")
    resources = by_name(plan)
    component = resources["store"]
    assert component.type == "tests:index:Store" and not component.custom
    assert component.urn == "urn:pulumi:dev::component-project::tests:index:Store::store"
    key = resources["store-key"]
    assert key.parent == component.urn
    assert (
        key.urn == "urn:pulumi:dev::component-project::tests:index:Store$aws:kms/key:Key::store-key"
    )
    assert resources["store-bucket"].dependencies == [key.urn]


def test_json_masks_secrets_and_unknowns():
    report = Report(plan=plan_of("raw_aws", mode="preview"), policies_evaluated=False)
    document = json.loads(render(report, "json"))
    inputs = {r["name"]: r["inputs"] for r in document["resources"]}
    assert inputs["webhook-token"]["value"] == SECRET_MASK
    assert inputs["data-encryption"]["bucket"] == UNKNOWN_MASK
    assert inputs["data-key"]["deletionWindowInDays"] == 7  # whole numbers shown as integers


@pytest.mark.slow  # fresh interpreters run the program too: `make check`
def test_two_runs_are_byte_identical_in_process_and_across_processes():
    def as_json(mode):
        return render(Report(plan=plan_of("raw_aws", mode), policies_evaluated=False), "json")

    for mode in ("resolved", "preview"):
        assert as_json(mode) == as_json(mode)
    command = [
        sys.executable,
        "-m",
        "mlrails",
        "preview",
        str(PROJECTS / "raw_aws"),
        "--stack",
        "dev",
        "--no-policy",
        "--format",
        "json",
    ]
    outputs = {
        subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {as_json("resolved")}


def test_a_program_that_raises_is_reported_with_its_file_and_line():
    with pytest.raises(UserError) as err:
        plan_of("bad_program")
    message = str(err.value)
    assert "the program failed at __main__.py:4" in message
    assert "ValueError: invalid literal for int() with base 10: 'two'" in message
    assert "Traceback" not in message


def test_an_invoke_no_sdk_declares_is_named():
    with pytest.raises(
        UserError, match="acme:index/getWidget:getWidget, which the offline engine cannot answer"
    ):
        plan_of("unknown_invoke")


def test_missing_required_config_names_the_stack_file_and_the_fix():
    with pytest.raises(UserError) as err:
        plan_of("missing_config")
    assert "Pulumi.dev.yaml: config key `missing-config:instanceType` is required" in str(err.value)
    assert "pulumi config set instanceType <value> --stack dev" in str(err.value)


def test_runs_do_not_leak_program_modules_between_projects():
    plan_of("component")
    assert not any(name == "store" for name in sys.modules)
