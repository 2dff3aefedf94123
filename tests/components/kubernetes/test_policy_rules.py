"""The component passes every k8s-* rule of the pack; each hardening switched off fails its rule."""

from __future__ import annotations

import pytest

from tests.components.conftest import judge, violations
from tests.components.kubernetes.test_inference_service import CANARY, SERVICE, SHADOW

K8S_RULES = ["k8s-resource-limits", "k8s-non-root", "k8s-pinned-images", "k8s-canary-guarded"]
ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"


def program_source(transformation: str | None = None) -> str:
    code = SERVICE.replace("{ARGS}", f"{CANARY}, {SHADOW}")
    if transformation is None:
        return code.replace("{OPTS}", "")
    weaken = (
        "\nimport copy\n"
        "def weaken(args):\n"
        "    props = copy.deepcopy(args.props)\n"
        "    predictor = (props.get('spec') or {}).get('predictor', {})\n"
        f"    {transformation}\n"
        "    return pulumi.ResourceTransformationResult(props, args.opts)\n"
    )
    code = code.replace("service = InferenceService", weaken + "service = InferenceService")
    return code.replace("{OPTS}", ", pulumi.ResourceOptions(transformations=[weaken])")


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_component_passes_every_rule_of_the_pack(program, mode):
    findings = judge(program(program_source(), mode=mode))
    assert violations(findings) == []
    judged = {f.policy for f in findings}
    assert not judged & set(K8S_RULES), [f for f in findings if f.policy in K8S_RULES]


# Each hardening, switched off by an SDK transformation on the component, fails its rule.
OFF = {
    "k8s-non-root": (
        f"if args.type_ == {ISVC!r}: "
        "predictor['model']['securityContext']['allowPrivilegeEscalation'] = True",
        "allows privilege escalation",
    ),
    "k8s-non-root/run-as-root": (
        f"if args.type_ == {ISVC!r}: predictor['model']['securityContext'].pop('runAsNonRoot')",
        "may run as root",
    ),
    "k8s-resource-limits": (
        f"if args.type_ == {ISVC!r}: del predictor['model']['resources']['limits']",
        "predictor model sets no limits.cpu, limits.memory",
    ),
    "k8s-pinned-images": (
        f"if args.type_ == {ISVC!r}: predictor['model']['storageUri'] = 's3://models/fraud/latest'",
        "points at 'latest'",
    ),
    "k8s-pinned-images/image": (
        f"if args.type_ == {ISVC!r}: predictor['model']['image'] = 'kserve/sklearnserver'",
        "has no tag, so it means :latest",
    ),
    "k8s-canary-guarded": (
        f"if args.type_ == {RULE!r}: props['spec']['groups'] = []",
        "sends a canary share of traffic but no PrometheusRule alert watches it",
    ),
}


@pytest.mark.parametrize("case", sorted(OFF))
def test_each_hardening_turned_off_fails_its_rule(program, case):
    rule = case.split("/")[0]
    transformation, message = OFF[case]
    found = violations(judge(program(program_source(transformation))))
    assert {f.policy for f in found} == {rule}
    assert all(message in f.message for f in found), [f.message for f in found]
    if rule == "k8s-non-root":
        assert {f.enforcement for f in found} == {"mandatory"}


RAW_CANARY = (
    '"platform": {"deployment_mode": "RawDeployment"}, "canary_traffic_percent": 10, '
    '"previous_storage_uri": "s3://models/fraud/v41", "allowed_client_namespaces": ["checkout"]'
)


def test_a_raw_canary_is_guarded_by_its_own_alerts(program):
    code = SERVICE.replace("{ARGS}", RAW_CANARY).replace("{OPTS}", "")
    assert violations(judge(program(code))) == []


def test_a_raw_canary_without_its_alerts_fails_the_canary_rule(program):
    drop = (
        "\ndef drop(args):\n"
        f"    if args.type_ == {RULE!r}:\n"
        "        groups = [g for g in args.props['spec']['groups'] if g['name'] != 'fraud-canary']\n"
        "        args.props['spec']['groups'] = groups\n"
        "    return pulumi.ResourceTransformationResult(args.props, args.opts)\n"
    )
    code = SERVICE.replace("{ARGS}", RAW_CANARY)
    code = code.replace("service = InferenceService", drop + "service = InferenceService")
    code = code.replace("{OPTS}", ", pulumi.ResourceOptions(transformations=[drop])")
    found = violations(judge(program(code)))
    assert [(f.policy, f.message.split(" sends")[0]) for f in found] == [
        ("k8s-canary-guarded", "InferenceService fraud-canary")
    ]
