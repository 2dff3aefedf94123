"""The Kubernetes manifests of an InferenceService, as plain dicts in the API's own shape.

`Settings` (settings.py) holds the arguments with their defaults; each builder below turns settings
into one manifest (camelCase, as `kubectl apply` would take it), so the same dict is what the
component registers, what the schema check validates and what the policy pack reads.
"""

from __future__ import annotations

from typing import Any

from mlrails_components.kubernetes.platform import RAW, Platform
from mlrails_components.kubernetes.schemas import KUBERNETES_VERSION
from mlrails_components.kubernetes.settings import Model, Settings

ISVC_LABEL = "serving.kserve.io/inferenceservice"
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
# A RawDeployment InferenceService with this label gets no Ingress or HTTPRoute of its own
# (kserve pkg/constants/constants.go NetworkVisibility; kube_ingress_reconciler.go `isInternal`):
# the shadow and a RawDeployment canary are reached only through the mesh routes.
VISIBILITY = "networking.kserve.io/visibility"
CLUSTER_LOCAL = "cluster-local"
PREDICTOR_PORT = 80
MODEL_SERVER_PORT = 8080  # KServe's model servers listen here; their /metrics too
# The model servers write caches and temporary files; the root filesystem is read-only.
SCRATCH_VOLUME_NAME = "tmp"
SCRATCH_VOLUME_SIZE = "1Gi"
# Where the scratch volume goes when Knative reserves /tmp (release-1.12, see knative.py);
# TMPDIR points Python's tempfile and most runtimes there.
FALLBACK_SCRATCH_PATH = "/scratch"
# pulumi-kubernetes await annotations (pulumi/pulumi-kubernetes#3134, from v4.18): `pulumi up`
# waits for the InferenceService's Ready condition and fails after the timeout.
WAIT_FOR = "pulumi.com/waitFor"
TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds"
DEFAULT_READY_TIMEOUT_SECONDS = 600


def metadata(name: str, settings: Settings, **extra: Any) -> dict[str, Any]:
    labels = {**settings.labels, **extra.pop("labels", {})}
    return {
        "name": name,
        "namespace": settings.namespace,
        **({"labels": labels} if labels else {}),
        **extra,
    }


# --- namespace and identity --------------------------------------------------------------


def namespace(settings: Settings) -> dict[str, Any]:
    version = f"v{KUBERNETES_VERSION}"
    labels = {
        **settings.labels,
        # Pod Security Admission: pods that break the enforced level are rejected; restricted
        # is always audited and warned. Platform.pod_security_level says why not restricted.
        "pod-security.kubernetes.io/enforce": settings.platform.pod_security_level,
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": version,
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": version,
    }
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": settings.namespace, "labels": labels},
    }


def service_account(settings: Settings) -> dict[str, Any]:
    annotations = settings.args.get("service_account_annotations")
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": metadata(
            settings.service_account,
            settings,
            **({"annotations": dict(annotations)} if annotations else {}),
        ),
        # The model server never calls the Kubernetes API.
        "automountServiceAccountToken": False,
    }


# --- the model pods ----------------------------------------------------------------------


def pod_security_context(user: int) -> dict[str, Any]:
    return {
        "runAsNonRoot": True,
        "runAsUser": user,
        "runAsGroup": user,
        "fsGroup": user,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container_security_context(user: int) -> dict[str, Any]:
    """Every field is one Knative's SecurityContextMask admits on every release read (knative.py);
    `privileged` stays unset, as releases before 1.17 reject even `false`."""
    return {
        "runAsNonRoot": True,
        "runAsUser": user,
        "runAsGroup": user,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container_resources(resources: dict[str, Any]) -> dict[str, Any]:
    limits = {"cpu": resources["cpu_limit"], "memory": resources["memory_limit"]}
    if "gpu_limit" in resources:
        limits["nvidia.com/gpu"] = str(resources["gpu_limit"])
    return {
        "requests": {"cpu": resources["cpu_request"], "memory": resources["memory_request"]},
        "limits": limits,
    }


def scratch_path(platform: Platform, model: Model) -> str:
    """/tmp, unless Knative judges this pod and reserves /tmp on the declared release."""
    reserved = model.mode != RAW and "/tmp" in platform.release.reserved_paths
    return FALLBACK_SCRATCH_PATH if reserved else "/tmp"


def pod_security_admitted(settings: Settings, model: Model) -> bool:
    """A pod-level securityContext: always for a plain Deployment; on Knative only under the
    kubernetes.podspec-securitycontext flag (fieldmask.go PodSpecMask, every release read)."""
    return model.mode == RAW or settings.platform.pod_security_context_admitted


def inference_service(settings: Settings, model: Model) -> dict[str, Any]:
    user = settings.args.get("run_as_user", 1000)
    scratch = scratch_path(settings.platform, model)
    model_format = {"name": settings.model_format}
    if model.format_version:
        model_format["version"] = model.format_version
    container: dict[str, Any] = {"modelFormat": model_format}
    for key, value in (
        ("runtime", model.runtime),
        ("image", model.image),
        ("protocolVersion", settings.args.get("protocol_version")),
    ):
        if value:
            container[key] = value
    container.update(
        storageUri=model.storage_uri,
        resources=container_resources(settings.resources),
        securityContext=container_security_context(user),
        volumeMounts=[{"name": SCRATCH_VOLUME_NAME, "mountPath": scratch}],
    )
    if scratch != "/tmp":
        container["env"] = [{"name": "TMPDIR", "value": scratch}]
    predictor: dict[str, Any] = {
        "minReplicas": model.min_replicas,
        "maxReplicas": model.max_replicas,
        "scaleMetric": model.scale_metric,
    }
    if model.scale_target is not None:
        predictor["scaleTarget"] = model.scale_target
    # Knative revisions only: a RawDeployment canary is split by traffic.canary_split.
    if model.canary_percent is not None and model.mode != RAW:
        predictor["canaryTrafficPercent"] = model.canary_percent
    predictor.update(
        serviceAccountName=settings.service_account,
        automountServiceAccountToken=False,
        **(
            {"securityContext": pod_security_context(user)}
            if pod_security_admitted(settings, model)
            else {}
        ),
        model=container,
        volumes=[{"name": SCRATCH_VOLUME_NAME, "emptyDir": {"sizeLimit": SCRATCH_VOLUME_SIZE}}],
    )
    return {
        "apiVersion": "serving.kserve.io/v1beta1",
        "kind": "InferenceService",
        "metadata": metadata(
            model.service,
            settings,
            **({"labels": {VISIBILITY: CLUSTER_LOCAL}} if model is not settings.primary else {}),
            annotations={
                DEPLOYMENT_MODE: settings.platform.mode_annotation(model.mode),
                WAIT_FOR: "condition=Ready",
                TIMEOUT_SECONDS: str(
                    settings.args.get("ready_timeout_seconds", DEFAULT_READY_TIMEOUT_SECONDS)
                ),
            },
        ),
        "spec": {"predictor": predictor},
    }


def disruption_budget(settings: Settings) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(settings.primary.predictor, settings),
        "spec": {
            "maxUnavailable": 1,
            "selector": {
                "matchLabels": {ISVC_LABEL: settings.primary.service, "component": "predictor"}
            },
        },
    }
