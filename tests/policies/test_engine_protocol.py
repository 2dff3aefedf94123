"""The pack under the real engine protocol: started as the Pulumi engine starts it, driven over
gRPC with pulumi's own analyzer stubs, and compared with the in-process evaluation."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from mlrails.engine.run import run_program
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.findings import NOT_EVALUATED
from mlrails.policy.pack import load_pack
from mlrails.project import load_project
from mlrails_policies import RULES
from tests.conftest import PROJECTS, REPO

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
CONFIG = {
    "sagemaker-min-instances": {"min_instances": 2},
    "s3-bucket-versioning": {
        "waivers": [
            {"resource": "scratch", "reason": "throwaway scratch data", "expires": "2099-12-31"},
            {"resource": "*raw-data", "reason": "legacy import", "expires": "2020-01-31"},
        ]
    },
}


@pytest.fixture(scope="module")
def analyzer():
    """The pack as the engine runs it: `python -u -m pulumi.policy <engine> <pack dir>`."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", str(REPO / "policies")],
        cwd=REPO / "policies",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline().strip())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=30)
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        process.kill()
        process.wait()


def struct(value: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(value)
    return message


def configure(stub, pack, settings) -> None:
    """Send the reconciled configuration, as the engine does: every policy, defaults filled in."""
    config = {}
    for policy in pack.policies:
        policy_settings = settings[(pack.name, policy.name)]
        properties = dict(policy_settings.options)
        raw = CONFIG.get(policy.name, {}).get("waivers")
        if raw:
            properties["waivers"] = raw
        config[policy.name] = analyzer_pb2.PolicyConfig(
            enforcementLevel=LEVELS[policy_settings.enforcement.value],
            properties=struct(properties),
        )
    stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=config))


def analyze_over_grpc(stub, plan) -> list:
    diagnostics = []
    for record in plan.resources:
        request = analyzer_pb2.AnalyzeRequest(
            type=record.type,
            properties=struct(record.inputs),
            urn=record.urn,
            name=record.name,
            options=analyzer_pb2.AnalyzerResourceOptions(parent=record.parent or ""),
        )
        diagnostics += stub.Analyze(request).diagnostics
    resources = [
        analyzer_pb2.AnalyzerResource(
            type=r.type,
            properties=struct(r.inputs),
            urn=r.urn,
            name=r.name,
            parent=r.parent or "",
            dependencies=r.dependencies,
            propertyDependencies={
                k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                for k, v in r.property_dependencies.items()
            },
            options=analyzer_pb2.AnalyzerResourceOptions(parent=r.parent or ""),
        )
        for r in plan.resources
    ]
    diagnostics += stub.AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(resources=resources)
    ).diagnostics
    return diagnostics


def test_analyzer_info_lists_every_rule_with_its_enforcement(analyzer):
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "mlrails" and info.supportsConfig
    assert {p.name: p.enforcementLevel for p in info.policies} == {
        rule.id: LEVELS[rule.enforcement.value] for rule in RULES
    }
    waivers = next(
        p for p in info.policies if p.name == "kms-key-rotation"
    ).configSchema.properties["waivers"]
    assert waivers["items"]["required"] == ["resource", "reason", "expires"]


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_grpc_results_equal_the_offline_evaluation(analyzer, mode):
    pack = load_pack(REPO / "policies")
    settings = resolve_settings([pack], CONFIG)
    plan = run_program(load_project(PROJECTS / "governance_mix", "dev"), mode)
    offline = evaluate(plan, [pack], settings)
    configure(analyzer, pack, settings)
    diagnostics = analyze_over_grpc(analyzer, plan)

    descriptions = {p.name: p.description for p in pack.policies}
    over_grpc = Counter(
        (d.policyName, d.urn, d.message.removeprefix(descriptions[d.policyName] + "\n"))
        for d in diagnostics
        if "during preview" not in d.message
    )
    open_offline = Counter(
        (f.policy, f.urn, f.message) for f in offline if f.status != NOT_EVALUATED and not f.waived
    )
    assert over_grpc == open_offline
    assert {
        "kms-key-rotation",
        "s3-bucket-encrypted-kms",
        "iam-no-admin-policies",
        "sagemaker-model-card",
        "sagemaker-endpoint-alarms",
        "sagemaker-endpoint-config-kms",
    } <= {k[0] for k in over_grpc}

    # A waived violation is left out by the pack under the engine and shown as waived offline;
    # an expired waiver counts as none on both sides and says so.
    waived = [f for f in offline if f.waived]
    assert [(f.policy, f.urn.rsplit("::", 1)[1], f.waiver_reason) for f in waived] == [
        ("s3-bucket-versioning", "scratch", "throwaway scratch data")
    ]
    expired = [
        k for k in over_grpc if k[0] == "s3-bucket-versioning" and k[1].endswith("::raw-data")
    ]
    assert expired and "waiver expired on 2020-01-31: legacy import" in expired[0][2]

    undecided_grpc = sorted(d.policyName for d in diagnostics if "during preview" in d.message)
    undecided_offline = sorted({(f.policy, f.urn) for f in offline if f.status == NOT_EVALUATED})
    if mode == "resolved":
        assert undecided_grpc == [] and undecided_offline == []
    else:
        # The unknown bucket policy leaves tls-only undecided for that bucket, on both sides.
        assert undecided_grpc == ["s3-bucket-tls-only"]
        assert [(p, u.rsplit("::", 1)[1]) for p, u in undecided_offline] == [
            ("s3-bucket-tls-only", "guarded")
        ]


def test_access_rules_flag_the_raw_program_over_grpc(analyzer):
    """The review's F1, F2, F6, W2 and W7, repeated by hand, are found by the pack as the
    engine runs it; the corrected twin gives no access finding."""
    pack = load_pack(REPO / "policies")
    settings = resolve_settings([pack], {})
    configure(analyzer, pack, settings)
    access = {
        "sagemaker-role-can-read-model",
        "sagemaker-role-can-describe-rollback-alarms",
        "alert-topic-deliverable",
        "iam-valid-actions-and-conditions",
        "sagemaker-role-can-write-capture",
        "monitoring-role-can-run",
    }
    found = {}
    for stack in ("broken", "fixed"):
        plan = run_program(load_project(PROJECTS / "access_raw", stack), "resolved")
        found[stack] = {
            (d.policyName, d.urn.rsplit("::", 1)[1])
            for d in analyze_over_grpc(analyzer, plan)
            if d.policyName in access
        }
    assert found["broken"] == {
        ("sagemaker-role-can-read-model", "direct"),
        ("sagemaker-role-can-read-model", "packaged"),
        ("sagemaker-role-can-describe-rollback-alarms", "endpoint"),
        ("alert-topic-deliverable", "endpoint-changes-alert"),
        ("iam-valid-actions-and-conditions", "group-policy"),
    }
    assert found["fixed"] == set()
