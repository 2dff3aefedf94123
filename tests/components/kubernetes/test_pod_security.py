"""The namespace enforces a Pod Security level that every pod KServe starts in it can meet.

The pod of a Serverless InferenceService holds the model container (ours), Knative's
queue-proxy (restricted-compliant: knative/serving pkg/reconciler/revision/resources/queue.go)
and KServe's storage-initializer, injected for s3:// and other remote URIs with the
securityContext of the ClusterStorageContainer `default` - none in kserve
config/storagecontainers/default.yaml (kserve#5373 shows the rejection). The checks below are
the restricted and baseline rules of https://kubernetes.io/docs/concepts/security/pod-security-standards/
that these containers touch.
"""

from __future__ import annotations

import pytest

from tests.components.kubernetes.kserve_cases import arguments, build

QUEUE_PROXY = {
    "name": "queue-proxy",
    "securityContext": {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    },
}
# KServe's default ClusterStorageContainer: name, image, resources, no securityContext.
STORAGE_INITIALIZER = {"name": "storage-initializer", "resources": {}}
# The same container patched as kubeflow/community-distribution#3527 and kserve#5855 do.
HARDENED_INITIALIZER = {
    "name": "storage-initializer",
    "securityContext": {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
}
# Capabilities baseline lets a container add (Pod Security Standards, "Capabilities").
BASELINE_CAPABILITIES = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}  # fmt: skip


def restricted_violations(pod: dict) -> list[str]:
    pod_context = pod.get("securityContext", {})
    found = []
    for container in [*pod.get("initContainers", []), *pod["containers"]]:
        context = container.get("securityContext", {})
        name = container["name"]
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation != false")
        if "ALL" not in context.get("capabilities", {}).get("drop", []):
            found.append(f"{name}: capabilities.drop lacks ALL")
        if context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is not True:
            found.append(f"{name}: runAsNonRoot != true")
        seccomp = context.get("seccompProfile", pod_context.get("seccompProfile", {}))
        if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
            found.append(f"{name}: seccompProfile unset")
    return found + baseline_violations(pod)


def baseline_violations(pod: dict) -> list[str]:
    found = [f"pod: {key}" for key in ("hostNetwork", "hostPID", "hostIPC") if pod.get(key)]
    for container in [*pod.get("initContainers", []), *pod["containers"]]:
        context = container.get("securityContext", {})
        if context.get("privileged"):
            found.append(f"{container['name']}: privileged")
        added = set(context.get("capabilities", {}).get("add", [])) - BASELINE_CAPABILITIES
        if added:
            found.append(f"{container['name']}: adds {sorted(added)}")
    return found


def running_pod(predictor: dict, initializer: dict) -> dict:
    """The pod KServe and Knative run for this predictor (component.admission shows the ksvc)."""
    model = {"name": "kserve-container", "securityContext": predictor["model"]["securityContext"]}
    pod = {"initContainers": [initializer], "containers": [model, QUEUE_PROXY]}
    if "securityContext" in predictor:
        pod["securityContext"] = predictor["securityContext"]
    return pod


def enforced(documents: dict) -> str:
    return documents["namespace"]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]


def violations(level: str, pod: dict) -> list[str]:
    return restricted_violations(pod) if level == "restricted" else baseline_violations(pod)


def test_the_pods_kserve_starts_meet_the_level_the_namespace_enforces():
    _, documents = build(arguments({}, {}))
    pod = running_pod(documents["inference-service"]["spec"]["predictor"], STORAGE_INITIALIZER)
    assert enforced(documents) == "baseline"
    assert violations(enforced(documents), pod) == []
    warned = documents["namespace"]["metadata"]["labels"]["pod-security.kubernetes.io/warn"]
    assert warned == "restricted"


def test_the_old_restricted_namespace_rejects_the_injected_storage_initializer():
    """W14. The old namespace enforced restricted by default, which KServe's default storage
    initializer breaks, so no predictor pod was admitted."""
    _, documents = build(arguments({}, {}))
    pod = running_pod(documents["inference-service"]["spec"]["predictor"], STORAGE_INITIALIZER)
    assert violations("restricted", pod) == [
        "storage-initializer: allowPrivilegeEscalation != false",
        "storage-initializer: capabilities.drop lacks ALL",
        "storage-initializer: runAsNonRoot != true",
        "storage-initializer: seccompProfile unset",
    ]


@pytest.mark.parametrize("mode", ["Serverless", "RawDeployment"])
def test_a_hardened_storage_initializer_lets_the_namespace_enforce_restricted(mode):
    platform = {"storage_initializer_restricted": True, "deployment_mode": mode}
    extra = {} if mode == "Serverless" else {"scale_metric": "cpu"}
    _, documents = build(arguments(extra, platform))
    pod = running_pod(documents["inference-service"]["spec"]["predictor"], HARDENED_INITIALIZER)
    assert enforced(documents) == "restricted"
    assert violations("restricted", pod) == []
