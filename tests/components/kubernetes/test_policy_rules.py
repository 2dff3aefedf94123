"""The component passes every k8s-* rule of the pack; each hardening switched off fails its rule."""

from __future__ import annotations

import copy

import pulumi
import pytest

from tests.components.conftest import judge, violations
from tests.components.kubernetes.kserve_cases import RAW
from tests.components.kubernetes.kserve_cases import RAW_CANARY as RAW_CANARY_ARGS
from tests.components.kubernetes.test_inference_service import CANARY, SHADOW, service

K8S_RULES = ["k8s-resource-limits", "k8s-non-root", "k8s-pinned-images", "k8s-canary-guarded"]
ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"


def weakened(type_: str, change):
    """A transformation applying `change(props)` to a copy of each child of type `type_`."""

    def weaken(args: pulumi.ResourceTransformationArgs):
        props = copy.deepcopy(args.props)
        if args.type_ == type_:
            change(props)
        return pulumi.ResourceTransformationResult(props, args.opts)

    return pulumi.ResourceOptions(transformations=[weaken])


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_component_passes_every_rule_of_the_pack(program, mode):
    findings = judge(program(service({**CANARY, **SHADOW}), mode=mode))
    assert violations(findings) == []
    judged = {f.policy for f in findings}
    assert not judged & set(K8S_RULES), [f for f in findings if f.policy in K8S_RULES]


def model(props: dict) -> dict:
    return props["spec"]["predictor"]["model"]


# Each hardening, switched off by an SDK transformation on the component, fails its rule.
OFF = {
    "k8s-non-root": (
        ISVC,
        lambda props: model(props)["securityContext"].update(allowPrivilegeEscalation=True),
        "allows privilege escalation",
    ),
    "k8s-non-root/run-as-root": (
        ISVC,
        lambda props: model(props)["securityContext"].pop("runAsNonRoot"),
        "may run as root",
    ),
    "k8s-resource-limits": (
        ISVC,
        lambda props: model(props)["resources"].pop("limits"),
        "predictor model sets no limits.cpu, limits.memory",
    ),
    "k8s-pinned-images": (
        ISVC,
        lambda props: model(props).update(storageUri="s3://models/fraud/latest"),
        "points at 'latest'",
    ),
    "k8s-pinned-images/image": (
        ISVC,
        lambda props: model(props).update(image="kserve/sklearnserver"),
        "has no tag, so it means :latest",
    ),
    "k8s-canary-guarded": (
        RULE,
        lambda props: props["spec"].update(groups=[]),
        "sends a canary share of traffic but no PrometheusRule alert watches it",
    ),
}


@pytest.mark.parametrize("case", sorted(OFF))
def test_each_hardening_turned_off_fails_its_rule(program, case):
    rule = case.split("/")[0]
    type_, change, message = OFF[case]
    found = violations(judge(program(service({**CANARY, **SHADOW}, weakened(type_, change)))))
    assert {f.policy for f in found} == {rule}
    assert all(message in f.message for f in found), [f.message for f in found]
    if rule == "k8s-non-root":
        assert {f.enforcement for f in found} == {"mandatory"}


RAW_CANARY = {"platform": RAW, **RAW_CANARY_ARGS}


def test_a_raw_canary_is_guarded_by_its_own_alerts(program):
    assert violations(judge(program(service(RAW_CANARY)))) == []


def test_a_raw_canary_without_its_alerts_fails_the_canary_rule(program):
    def drop_canary_alerts(props: dict) -> None:
        props["spec"]["groups"] = [
            g for g in props["spec"]["groups"] if g["name"] != "fraud-canary"
        ]

    found = violations(judge(program(service(RAW_CANARY, weakened(RULE, drop_canary_alerts)))))
    assert [(f.policy, f.message.split(" sends")[0]) for f in found] == [
        ("k8s-canary-guarded", "InferenceService fraud-canary")
    ]
