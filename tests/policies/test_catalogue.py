"""The catalogue: every rule of DESIGN.md, complete metadata, and docs/policies.md kept fresh."""

from __future__ import annotations

import ast

from mlrails.catalogue import render_catalogue
from mlrails.policy.pack import load_pack
from mlrails_policies import RULES
from mlrails_policies.framework.controls import FRAMEWORKS
from tests.conftest import REPO

DESIGN_IDS = [
    "sagemaker-endpoint-config-kms",
    "sagemaker-data-capture",
    "sagemaker-model-network-isolation",
    "sagemaker-approved-images",
    "sagemaker-instance-types",
    "sagemaker-min-instances",
    "sagemaker-safe-deployment",
    "sagemaker-endpoint-alarms",
    "sagemaker-endpoint-monitored",
    "sagemaker-model-card",
    "sagemaker-monitoring-encryption",
    "s3-bucket-encrypted-kms",
    "s3-bucket-public-access-blocked",
    "s3-bucket-tls-only",
    "s3-bucket-versioning",
    "kms-key-rotation",
    "sns-topic-encrypted",
    "iam-no-admin-policies",
    "required-tags",
    "k8s-resource-limits",
    "k8s-non-root",
    "k8s-pinned-images",
    "k8s-canary-guarded",
    "sagemaker-role-can-read-model",
    "sagemaker-role-can-write-capture",
    "sagemaker-role-can-describe-rollback-alarms",
    "monitoring-role-can-run",
    "alert-topic-deliverable",
    "iam-valid-actions-and-conditions",
]
MANDATORY = {
    "sagemaker-endpoint-config-kms",
    "sagemaker-data-capture",
    "sagemaker-endpoint-alarms",
    "sagemaker-model-card",
    "sagemaker-monitoring-encryption",
    "s3-bucket-encrypted-kms",
    "s3-bucket-public-access-blocked",
    "s3-bucket-tls-only",
    "kms-key-rotation",
    "iam-no-admin-policies",
    "k8s-non-root",
    "sagemaker-role-can-read-model",
    "sagemaker-role-can-write-capture",
    "sagemaker-role-can-describe-rollback-alarms",
    "monitoring-role-can-run",
    "alert-topic-deliverable",
}


def test_the_catalogue_is_the_design_catalogue_with_its_defaults():
    assert [rule.id for rule in RULES] == DESIGN_IDS
    assert {r.id for r in RULES if r.enforcement.value == "mandatory"} == MANDATORY


def test_every_rule_carries_complete_metadata():
    for rule in RULES:
        assert rule.description and rule.remediation, rule.id
        controls = rule.controls.by_framework()
        assert any(controls.values()), rule.id
        for framework, ids in controls.items():
            assert set(ids) <= set(FRAMEWORKS[framework]), (rule.id, framework)
        assert rule.judges, rule.id
        for name, schema in rule.options.items():
            assert {"type", "default", "description"} <= set(schema), (rule.id, name)


def test_security_hub_controls_map_to_the_named_rules():
    fsbp = {c: r.id for r in RULES for c in r.controls.fsbp}
    assert fsbp["SageMaker.4"] == "sagemaker-min-instances"
    assert fsbp["SageMaker.5"] == "sagemaker-model-network-isolation"
    assert fsbp["SageMaker.9"] == "sagemaker-monitoring-encryption"


def test_module_per_rule_and_importing_never_serves():
    modules = sorted(
        p for p in (REPO / "policies").rglob("*.py") if "RULE = Rule(" in p.read_text()
    )
    assert len(modules) == len(DESIGN_IDS)
    main = ast.parse((REPO / "policies" / "__main__.py").read_text())
    guarded = next(
        node
        for node in main.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'"
    )
    # Constructing the PolicyPack serves gRPC forever: only under the `__main__` guard.
    constructions = [
        node
        for node in ast.walk(main)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "PolicyPack"
    ]
    assert constructions
    assert all(any(c is node for node in ast.walk(guarded)) for c in constructions)


def test_docs_policies_md_is_generated_from_the_metadata():
    generated = render_catalogue(load_pack(REPO / "policies"), "markdown")
    committed = (REPO / "docs" / "policies.md").read_text()
    assert committed == generated, (
        "docs/policies.md is stale: run `mlrails policies --format markdown --output docs/policies.md`"
    )


def test_policies_command_lists_every_rule(cli):
    result = cli("policies")
    assert result.code == 0
    for rule_id in DESIGN_IDS:
        assert rule_id in result.out
    rules = {r["id"]: r for r in cli("policies", "--format", "json").json()["rules"]}
    assert rules["sagemaker-min-instances"]["controls"]["AWS FSBP"] == ["SageMaker.4"]
    assert rules["sagemaker-min-instances"]["options"]["min_instances"]["default"] == 2
    assert rules["required-tags"]["enforcement"] == "advisory"
