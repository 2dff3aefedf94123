"""Kubernetes and KServe rules: a hardened baseline, then one mutation per test."""

from __future__ import annotations

import copy

import pytest

from tests.policies.conftest import UNKNOWN, R, only

ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
RESOURCES = {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "4Gi"}}
HARDENED = {
    "runAsNonRoot": True,
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}


def deployment(**container_changes):
    container = {
        "name": "server",
        "image": "ghcr.io/acme/server:1.4.2",
        "resources": RESOURCES,
        "securityContext": HARDENED,
        **container_changes,
    }
    container = {k: v for k, v in container.items() if v is not None}
    return R(
        "kubernetes:apps/v1:Deployment",
        "server",
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "server", "namespace": "ml"},
            "spec": {"template": {"spec": {"containers": [container]}}},
        },
    )


def inference_service(canary=None, **model_changes):
    model = {
        "modelFormat": {"name": "sklearn"},
        "storageUri": "s3://models/fraud/v3",
        "resources": RESOURCES,
        "securityContext": HARDENED,
        **model_changes,
    }
    predictor = {
        "model": {k: v for k, v in model.items() if v is not None},
        "securityContext": {"runAsNonRoot": True},
    }
    if canary is not None:
        predictor["canaryTrafficPercent"] = canary
    return R(
        ISVC,
        "fraud",
        {
            "apiVersion": "serving.kserve.io/v1beta1",
            "kind": "InferenceService",
            "metadata": {"name": "fraud", "namespace": "ml"},
            "spec": {"predictor": predictor},
        },
    )


def alert_rule(
    expr='sum(rate(revision_request_count{service_name=~"fraud-predictor.*",response_code_class="5xx"}[5m])) > 0',
    deps=None,
):
    return R(
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "fraud-alerts",
        {
            "metadata": {"name": "fraud-alerts", "namespace": "ml"},
            "spec": {
                "groups": [{"name": "fraud", "rules": [{"alert": "FraudErrors", "expr": expr}]}]
            },
        },
        deps or {},
    )


K8S_RULES = ["k8s-resource-limits", "k8s-non-root", "k8s-pinned-images"]


@pytest.mark.parametrize("rule", K8S_RULES)
def test_hardened_workloads_pass(judge, rule):
    assert judge(rule, [deployment(), inference_service()]) == []


def test_container_without_limits_is_named(judge):
    finding = only(judge("k8s-resource-limits", [deployment(resources={"requests": {"cpu": "1"}})]))
    assert (
        "pod container server sets no requests.memory, limits.cpu, limits.memory" in finding.message
    )


def test_inference_service_model_without_resources_is_a_violation(judge):
    assert (
        "predictor model sets no"
        in only(judge("k8s-resource-limits", [inference_service(resources=None)])).message
    )


@pytest.mark.parametrize(
    ("context", "fragment"),
    [
        ({"allowPrivilegeEscalation": False}, "may run as root"),
        ({"runAsNonRoot": True}, "allows privilege escalation"),
        ({"runAsNonRoot": True, "allowPrivilegeEscalation": True}, "allows privilege escalation"),
        (
            {"runAsNonRoot": True, "allowPrivilegeEscalation": False, "privileged": True},
            "runs privileged",
        ),
    ],
    ids=["run-as-root-unset", "escalation-unset", "escalation-allowed", "privileged"],
)
def test_each_hardening_turned_off_is_a_violation(judge, context, fragment):
    finding = only(judge("k8s-non-root", [deployment(securityContext=context)]))
    assert finding.enforcement == "mandatory" and fragment in finding.message


def test_pod_level_run_as_non_root_covers_its_containers(judge):
    pod_level = deployment(securityContext={"allowPrivilegeEscalation": False})
    pod_level.inputs["spec"]["template"]["spec"]["securityContext"] = {"runAsNonRoot": True}
    assert judge("k8s-non-root", [pod_level]) == []


def test_unknown_security_context_is_not_evaluated(judge):
    assert (
        only(
            judge(
                "k8s-non-root",
                [
                    deployment(
                        securityContext={"runAsNonRoot": UNKNOWN, "allowPrivilegeEscalation": False}
                    )
                ],
            )
        ).status
        == "not_evaluated"
    )


def pod_with_security_contexts(container_context, pod_context):
    pod = deployment(securityContext={**container_context, "allowPrivilegeEscalation": False})
    pod.inputs["spec"]["template"]["spec"]["securityContext"] = pod_context
    return pod


def test_container_run_as_root_overrides_the_pod_default(judge):
    pod = pod_with_security_contexts({"runAsNonRoot": False}, {"runAsNonRoot": True})
    assert "may run as root" in only(judge("k8s-non-root", [pod])).message


def test_container_run_as_non_root_overrides_the_pod_default(judge):
    pod = pod_with_security_contexts({"runAsNonRoot": True}, {"runAsNonRoot": False})
    assert judge("k8s-non-root", [pod]) == []


def test_unknown_pod_default_is_not_evaluated_unless_the_container_sets_its_own(judge):
    inherited = pod_with_security_contexts({}, {"runAsNonRoot": UNKNOWN})
    assert only(judge("k8s-non-root", [inherited])).status == "not_evaluated"
    own = pod_with_security_contexts({"runAsNonRoot": False}, {"runAsNonRoot": UNKNOWN})
    assert "may run as root" in only(judge("k8s-non-root", [own])).message


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("ghcr.io/acme/server:latest", "uses :latest"),
        ("ghcr.io/acme/server", "has no tag"),
        ("localhost:5000/server", "has no tag"),
    ],
)
def test_unpinned_images_are_violations(judge, image, fragment):
    assert fragment in only(judge("k8s-pinned-images", [deployment(image=image)])).message


def test_digest_pins_an_image(judge):
    assert (
        judge("k8s-pinned-images", [deployment(image="ghcr.io/acme/server@sha256:" + "a" * 64)])
        == []
    )


def test_storage_uri_pointing_at_latest_is_a_violation(judge):
    finding = only(
        judge("k8s-pinned-images", [inference_service(storageUri="s3://models/fraud/latest")])
    )
    assert "points at 'latest'" in finding.message


def test_canary_with_an_alert_naming_the_service_passes(judge):
    assert judge("k8s-canary-guarded", [inference_service(canary=10.0), alert_rule()]) == []


def test_canary_without_alert_is_a_violation(judge):
    finding = only(judge("k8s-canary-guarded", [inference_service(canary=10.0)]))
    assert "no PrometheusRule alert watches it" in finding.message


def test_alert_linked_by_dependency_guards_the_canary(judge):
    service = inference_service(canary=10.0)
    rule = alert_rule(expr="vector(1)", deps={"spec": [service.urn]})
    assert judge("k8s-canary-guarded", [service, rule]) == []
    assert len(judge("k8s-canary-guarded", [service, alert_rule(expr="vector(1)")])) == 1


def test_service_without_canary_needs_no_alert(judge):
    assert judge("k8s-canary-guarded", [copy.deepcopy(inference_service())]) == []


def test_unguarded_canary_with_an_unknown_name_is_not_evaluated(judge):
    service = inference_service(canary=10.0)
    service.inputs["metadata"]["name"] = UNKNOWN
    finding = only(judge("k8s-canary-guarded", [service]))
    assert finding.status == "not_evaluated" and finding.urn == service.urn
