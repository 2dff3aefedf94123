"""The declared target platform: Knative and KServe versions, deployment mode, feature flags.

Everything that depends on the cluster is chosen from it: the pod fields Knative admits
(`knative.py`), the request metrics the alerts read (`metrics.py`), the deployment-mode names
KServe accepts, and the Pod Security level a namespace can enforce.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlrails_components.kubernetes import knative
from mlrails_components.kubernetes.args import PlatformArgs

# kserve/kserve kserve-deps.env (KNATIVE_SERVING_VERSION=1.21.1, KSERVE_VERSION=v0.20.0) and
# config/configmap/inferenceservice.yaml ("defaultDeploymentMode": "Serverless").
DEFAULT_KNATIVE = "1.21"
DEFAULT_KSERVE = "0.20"
SERVERLESS, RAW = "Serverless", "RawDeployment"
# kserve pkg/constants/constants.go: Knative and Standard are the names since commit 92899a1
# (#4608, first in v0.16.0); Serverless and RawDeployment stay accepted as deprecated aliases.
MODE_ALIASES = {"Serverless": SERVERLESS, "Knative": SERVERLESS, "RawDeployment": RAW,
                "Standard": RAW}  # fmt: skip
_RENAMED_IN_KSERVE = 16
_NEW_NAMES = {SERVERLESS: "Knative", RAW: "Standard"}


@dataclass(frozen=True)
class Platform:
    knative_version: str
    kserve_version: str
    mode: str  # SERVERLESS or RAW
    features: frozenset[str]
    storage_initializer_restricted: bool

    @property
    def release(self) -> knative.Release:
        return knative.release(self.knative_version)

    @property
    def knative_minor(self) -> int:
        return knative.minor(self.knative_version)  # type: ignore[return-value]  # validated

    def mode_annotation(self, mode: str) -> str:
        """The serving.kserve.io/deploymentMode value this KServe release knows for a mode."""
        renamed = kserve_minor(self.kserve_version) >= _RENAMED_IN_KSERVE  # type: ignore[operator]  # validated
        return _NEW_NAMES[mode] if renamed else mode

    @property
    def pod_security_context_admitted(self) -> bool:
        """Whether a Serverless pod may carry a pod-level securityContext (knative.py)."""
        return knative.POD_SECURITY_FLAG in self.features

    @property
    def pod_security_level(self) -> str:
        """The level a namespace can enforce for every pod KServe starts in it.

        KServe injects a storage-initializer init container for s3://, gs://, hf://, https://
        ... URIs; `config/storagecontainers/default.yaml` gives it no securityContext, so the
        pod breaks restricted (allowPrivilegeEscalation, capabilities, runAsNonRoot, seccomp:
        kserve#5373), while it meets baseline (no host namespaces, no privilege, no added
        capabilities). Knative's queue-proxy meets restricted (knative/serving
        pkg/reconciler/revision/resources/queue.go), as do the model containers here.
        """
        return "restricted" if self.storage_initializer_restricted else "baseline"


def resolve(args: PlatformArgs) -> Platform:
    return Platform(
        knative_version=args.get("knative_version", DEFAULT_KNATIVE),
        kserve_version=args.get("kserve_version", DEFAULT_KSERVE),
        mode=MODE_ALIASES.get(args.get("deployment_mode", SERVERLESS), SERVERLESS),
        features=frozenset(args.get("knative_features", [])),
        storage_initializer_restricted=args.get("storage_initializer_restricted", False),
    )


def kserve_minor(version: str) -> int | None:
    parts = version.removeprefix("v").split(".")
    if len(parts) not in (2, 3) or parts[0] != "0" or not all(p.isdigit() for p in parts):
        return None
    return int(parts[1])


def problems(args: PlatformArgs) -> list[tuple[str, object, str, str]]:
    """(key, value, what is wrong, fix) for each unusable platform setting."""
    found: list[tuple[str, object, str, str]] = []
    version = args.get("knative_version", DEFAULT_KNATIVE)
    try:
        row = knative.release(version)
    except ValueError as error:
        row = None
        found.append(
            (
                "knative_version",
                version,
                str(error),
                f"give a version from {knative.OLDEST} "
                f'to {knative.NEWEST}, e.g. "{DEFAULT_KNATIVE}"',
            )
        )
    kserve = args.get("kserve_version", DEFAULT_KSERVE)
    if kserve_minor(kserve) is None:
        found.append(("kserve_version", kserve, "not a KServe version", 'write e.g. "0.20"'))
    mode = args.get("deployment_mode", SERVERLESS)
    if mode not in MODE_ALIASES:
        found.append(
            (
                "deployment_mode",
                mode,
                "KServe knows Serverless (Knative) and RawDeployment "
                "(Standard) for an InferenceService",
                "use Serverless or RawDeployment",
            )
        )
    if row is not None:
        for flag in sorted(set(args.get("knative_features", [])) - row.flags):
            found.append(
                (
                    "knative_features",
                    flag,
                    f"not a flag of Knative {row.version}'s "
                    "config-features that changes what these pods may set",
                    f"use one of {', '.join(sorted(row.flags))}",
                )
            )
    return found
