"""What Knative Serving admits in a pod spec, per release: the field masks and reserved paths.

Knative's webhook copies a ksvc's pod spec through field masks and rejects every field the mask
dropped ("must not set the field(s): ..."); some fields pass only while a feature flag of the
`config-features` ConfigMap is Enabled (or Allowed). KServe merges `spec.predictor` of a
Serverless InferenceService into the ksvc (kserve `pkg/controller/v1beta1/inferenceservice/
components/predictor.go`), so these rules decide whether the InferenceService becomes Ready.

Each release row below was read from knative/serving on its release branch:
`pkg/apis/serving/fieldmask.go` (PodSpecMask, ContainerMask, SecurityContextMask,
PodSecurityContextMask, CapabilitiesMask, VolumeSourceMask), `pkg/apis/config/features.go`
(flag names and defaults) and `pkg/apis/serving/k8s_validation.go` (reservedPaths). Every
release branch from 1.12 to 1.21 was compared; a row starts wherever one of these rules
changed, and a release between two rows follows the earlier one.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from typing import Any

# Pod fields every release admits (PodSpecMask "Allowed fields");
# automountServiceAccountToken only when false.
_POD_ALWAYS = frozenset(
    {"serviceAccountName", "containers", "volumes", "imagePullSecrets", "enableServiceLinks"}
)
# Pod fields admitted only under a flag, on release-1.12 (PodSpecMask; features.go defaults all
# of them to Disabled).
_POD_FLAGS_1_12 = {
    "affinity": "kubernetes.podspec-affinity",
    "topologySpreadConstraints": "kubernetes.podspec-topologyspreadconstraints",
    "hostAliases": "kubernetes.podspec-hostaliases",
    "nodeSelector": "kubernetes.podspec-nodeselector",
    "runtimeClassName": "kubernetes.podspec-runtimeclassname",
    "tolerations": "kubernetes.podspec-tolerations",
    "securityContext": "kubernetes.podspec-securitycontext",
    "shareProcessNamespace": "kubernetes.podspec-shareprocessnamespace",
    "priorityClassName": "kubernetes.podspec-priorityclassname",
    "schedulerName": "kubernetes.podspec-schedulername",
    "initContainers": "kubernetes.podspec-init-containers",
    "dnsPolicy": "kubernetes.podspec-dnspolicy",
    "dnsConfig": "kubernetes.podspec-dnsconfig",
}
# ContainerMask "Allowed fields" on release-1.12.
_CONTAINER_1_12 = frozenset(
    {
        "name", "args", "command", "env", "workingDir", "envFrom", "image", "imagePullPolicy",
        "livenessProbe", "ports", "readinessProbe", "resources", "securityContext",
        "terminationMessagePath", "terminationMessagePolicy", "volumeMounts",
    }
)  # fmt: skip
# SecurityContextMask "Allowed fields" (every release read); `privileged` is handled apart.
CONTAINER_SECURITY_FIELDS = frozenset(
    {
        "capabilities", "readOnlyRootFilesystem", "runAsUser", "runAsGroup", "runAsNonRoot",
        "allowPrivilegeEscalation", "seccompProfile",
    }
)  # fmt: skip
# PodSecurityContextMask with kubernetes.podspec-securitycontext Enabled.
POD_SECURITY_FIELDS = frozenset(
    {"runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "supplementalGroups", "seccompProfile"}
)
POD_SECURITY_FLAG = "kubernetes.podspec-securitycontext"
# With secure-pod-defaults (and podspec-securitycontext off) only seccompProfile passes.
SECURE_POD_DEFAULTS_FLAG = "secure-pod-defaults"
ADD_CAPABILITIES_FLAG = "kubernetes.containerspec-addcapabilities"
# VolumeSourceMask: secret, configMap, projected always; the rest under a flag.
_VOLUMES_ALWAYS = frozenset({"secret", "configMap", "projected"})
_VOLUME_FLAGS_1_12 = {
    "emptyDir": "kubernetes.podspec-volumes-emptydir",
    "persistentVolumeClaim": "kubernetes.podspec-persistent-volume-claim",
}
# features.go defaults: of the flags above only emptyDir is Enabled out of the box.
_ENABLED_BY_DEFAULT = frozenset({"kubernetes.podspec-volumes-emptydir"})


@dataclass(frozen=True)
class Release:
    """What one Knative Serving release admits by default, and what each flag adds."""

    version: str
    source: str
    pod_flags: dict[str, str]
    container_fields: frozenset[str]
    volume_flags: dict[str, str]
    reserved_paths: frozenset[str]
    privileged_false_admitted: bool
    other_flags: frozenset[str] = field(
        default=frozenset({SECURE_POD_DEFAULTS_FLAG, ADD_CAPABILITIES_FLAG})
    )

    @property
    def flags(self) -> frozenset[str]:
        """Every flag name this release's config-features knows, of those relevant here."""
        return frozenset({*self.pod_flags.values(), *self.volume_flags.values(), *self.other_flags})


_1_12 = Release(
    version="1.12",
    source="knative/serving release-1.12: pkg/apis/serving/fieldmask.go, "
    "pkg/apis/config/features.go, pkg/apis/serving/k8s_validation.go",
    pod_flags=_POD_FLAGS_1_12,
    container_fields=_CONTAINER_1_12,
    volume_flags=_VOLUME_FLAGS_1_12,
    # k8s_validation.go reservedPaths on release-1.12.
    reserved_paths=frozenset({"/", "/dev", "/dev/log", "/tmp", "/var", "/var/log"}),
    # SecurityContextMask on release-1.12 drops `privileged` whatever its value.
    privileged_false_admitted=False,
)
# Commit 1e2faa3 "Remove /tmp and /var from reserved paths (#14719)", first in knative-v1.13.0.
_1_13 = replace(
    _1_12,
    version="1.13",
    source="knative/serving release-1.13: pkg/apis/serving/k8s_validation.go (reservedPaths); "
    "fieldmask.go unchanged from release-1.12",
    reserved_paths=frozenset({"/", "/dev", "/dev/log"}),
)
_1_15 = replace(
    _1_13,
    version="1.15",
    source="knative/serving release-1.15: pkg/apis/serving/fieldmask.go (ContainerMask admits "
    "startupProbe)",
    container_fields=_CONTAINER_1_12 | {"startupProbe"},
)
_1_16 = replace(
    _1_15,
    version="1.16",
    source="knative/serving release-1.16: pkg/apis/serving/fieldmask.go (hostIPC, hostPID, "
    "hostNetwork under flags instead of always dropped)",
    pod_flags={
        **_POD_FLAGS_1_12,
        "hostIPC": "kubernetes.podspec-hostipc",
        "hostPID": "kubernetes.podspec-hostpid",
        "hostNetwork": "kubernetes.podspec-hostnetwork",
    },
)
_1_17 = replace(
    _1_16,
    version="1.17",
    source="knative/serving release-1.17: pkg/apis/serving/fieldmask.go (hostPath volumes under "
    "a flag; SecurityContextMask: only allow setting Privileged to false)",
    volume_flags={**_VOLUME_FLAGS_1_12, "hostPath": "kubernetes.podspec-volumes-hostpath"},
    privileged_false_admitted=True,
)
_1_18 = replace(
    _1_17,
    version="1.18",
    source="knative/serving release-1.18: pkg/apis/serving/fieldmask.go, "
    "pkg/apis/config/features.go, pkg/apis/serving/k8s_validation.go",
    volume_flags={**_1_17.volume_flags, "csi": "kubernetes.podspec-volumes-csi"},
)
_1_19 = replace(
    _1_18,
    version="1.19",
    source="knative/serving release-1.19: pkg/apis/serving/fieldmask.go (VolumeSourceMask adds "
    "image volumes under kubernetes.podspec-volumes-image)",
    volume_flags={**_1_18.volume_flags, "image": "kubernetes.podspec-volumes-image"},
)
# release-1.20 and 1.21 differ from 1.19 only outside the fields judged here (secure-pod-defaults
# gains AllowRootBounded; probes admit terminationGracePeriodSeconds).
_1_21 = replace(
    _1_19,
    version="1.21",
    source="knative/serving release-1.21: pkg/apis/serving/fieldmask.go, "
    "pkg/apis/config/features.go, pkg/apis/serving/k8s_validation.go",
)
RELEASES = {r.version: r for r in (_1_12, _1_13, _1_15, _1_16, _1_17, _1_18, _1_19, _1_21)}
OLDEST, NEWEST = "1.12", "1.21"


def minor(version: str) -> int | None:
    """The minor of a "1.N" (or "1.N.P", optional "v") Knative version; None if malformed."""
    parts = version.removeprefix("v").split(".")
    if len(parts) not in (2, 3) or parts[0] != "1" or not all(p.isdigit() for p in parts):
        return None
    return int(parts[1])


def release(version: str) -> Release:
    """The row that governs a version: the newest row not newer than it."""
    wanted = minor(version)
    if wanted is None or not minor(OLDEST) <= wanted <= minor(NEWEST):  # type: ignore[operator]  # OLDEST and NEWEST parse
        raise ValueError(f"Knative {version} is outside the releases read, {OLDEST}-{NEWEST}")
    rows = [r for r in RELEASES.values() if minor(r.version) <= wanted]  # type: ignore[operator]  # rows parse
    return rows[-1]


def pod_spec_problems(pod: dict[str, Any], row: Release, features: frozenset[str]) -> list[str]:
    """Why Knative's webhook would reject a ksvc with this pod spec, one message per field."""
    enabled = features | _ENABLED_BY_DEFAULT
    found: list[str] = []
    for key, value in pod.items():
        if key in _POD_ALWAYS:
            continue
        if key == "automountServiceAccountToken":
            if value is not False:
                found.append("automountServiceAccountToken: only false is admitted")
        elif key == "securityContext":
            found += _pod_security_problems(value, enabled)
        elif key in row.pod_flags:
            if row.pod_flags[key] not in enabled:
                found.append(f"{key}: needs the feature flag {row.pod_flags[key]}")
        else:
            found.append(f"{key}: never admitted by Knative {row.version}")
    for volume in pod.get("volumes", []):
        for source in set(volume) - {"name"}:
            flag = row.volume_flags.get(source)
            if source not in _VOLUMES_ALWAYS and (flag is None or flag not in enabled):
                why = f"needs the feature flag {flag}" if flag else "never admitted"
                found.append(f"volumes[{volume.get('name')}].{source}: {why}")
    for container in pod.get("containers", []):
        found += container_problems(container, row, enabled)
    return found


def container_problems(
    container: dict[str, Any], row: Release, enabled: frozenset[str]
) -> list[str]:
    name = container.get("name", "container")
    found = [
        f"{name}.{key}: never admitted by Knative {row.version}"
        for key in container
        if key not in row.container_fields
    ]
    security = container.get("securityContext", {})
    for key, value in security.items():
        if key == "privileged":
            if value is not False or not row.privileged_false_admitted:
                found.append(f"{name}.securityContext.privileged: not admitted")
        elif key not in CONTAINER_SECURITY_FIELDS:
            found.append(f"{name}.securityContext.{key}: never admitted")
    if security.get("capabilities", {}).get("add") and ADD_CAPABILITIES_FLAG not in enabled:
        found.append(f"{name}.securityContext.capabilities.add: needs {ADD_CAPABILITIES_FLAG}")
    for mount in container.get("volumeMounts", []):
        path = posixpath.normpath(mount.get("mountPath", ""))
        if path in row.reserved_paths:
            found.append(f"{name}.volumeMounts mountPath {path!r} is reserved on {row.version}")
    return found


def _pod_security_problems(context: dict[str, Any], enabled: frozenset[str]) -> list[str]:
    if POD_SECURITY_FLAG in enabled:
        admitted = POD_SECURITY_FIELDS
    elif SECURE_POD_DEFAULTS_FLAG in enabled:
        admitted = frozenset({"seccompProfile"})
    else:
        return [f"securityContext: needs the feature flag {POD_SECURITY_FLAG}"]
    return [
        f"securityContext.{key}: needs the feature flag {POD_SECURITY_FLAG}"
        for key in context
        if key not in admitted
    ]
