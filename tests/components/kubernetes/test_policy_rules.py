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
