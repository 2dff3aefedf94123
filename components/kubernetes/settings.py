"""The arguments of InferenceService with every default applied, resolved once.

A RawDeployment canary is two InferenceServices, since KServe keeps no previous revision outside
Knative: `<service>` serves `previous_storage_uri` and `<service>-canary` the new `storage_uri`
(see traffic.py for the weighted route between them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlrails_components.kubernetes import platform as platforms
from mlrails_components.kubernetes.args import InferenceServiceArgs
from mlrails_components.kubernetes.checks import min_max_replicas
from mlrails_components.kubernetes.platform import RAW, SERVERLESS, Platform


@dataclass(frozen=True)
class Model:
    """One model server: the primary, a RawDeployment canary or the shadow."""

    service: str
    mode: str  # KServe deployment mode: Serverless (Knative) or RawDeployment
    storage_uri: Any
    min_replicas: int
    max_replicas: int
    scale_metric: str
    scale_target: int | None = None
    canary_percent: int | None = None
    format_version: str | None = None
    runtime: str | None = None
    image: str | None = None

    @property
    def predictor(self) -> str:
        return f"{self.service}-predictor"


@dataclass(frozen=True)
class Settings:
    """The arguments with every default applied."""

    namespace: str
    labels: dict[str, str]
    model_format: str
    resources: dict[str, Any]
    primary: Model
    canary: Model | None  # RawDeployment only; Serverless canaries are Knative revisions
    shadow: Model | None
    mirror_percent: float | None
    service_account: str
    create_service_account: bool
    platform: Platform
    args: InferenceServiceArgs = field(repr=False)

    @property
    def models(self) -> list[Model]:
        return [m for m in (self.primary, self.canary, self.shadow) if m]

    @property
    def services(self) -> list[str]:
        return [m.service for m in self.models]

    @property
    def canary_percent(self) -> int | None:
        return self.canary.canary_percent if self.canary else self.primary.canary_percent

    def host(self, service: str) -> str:
        return f"{service}.{self.namespace}.svc.cluster.local"


def resolve(name: str, args: InferenceServiceArgs) -> Settings:
    service = args.get("service_name", name)
    low, high = min_max_replicas(args)
    platform = platforms.resolve(args.get("platform", {}))
    raw_canary = platform.mode == RAW and "canary_traffic_percent" in args
    primary = Model(
        service=service,
        mode=platform.mode,
        storage_uri=args["previous_storage_uri"] if raw_canary else args["storage_uri"],
        min_replicas=low,
        max_replicas=high,
        scale_metric=args.get(
            "scale_metric", "concurrency" if platform.mode == SERVERLESS else "cpu"
        ),
        scale_target=args.get("scale_target"),
        canary_percent=None if raw_canary else args.get("canary_traffic_percent"),
        format_version=args.get("model_format_version"),
        runtime=args.get("runtime"),
        image=args.get("image"),
    )
    canary = None
    if raw_canary:
        canary = Model(
            service=f"{service}-canary",
            mode=RAW,
            storage_uri=args["storage_uri"],
            min_replicas=low,
            max_replicas=high,
            scale_metric=primary.scale_metric,
            scale_target=primary.scale_target,
            canary_percent=args["canary_traffic_percent"],
            format_version=primary.format_version,
            runtime=primary.runtime,
            image=primary.image,
        )
    shadow = None
    if "shadow" in args:
        candidate = args["shadow"]
        shadow = Model(
            service=f"{service}-shadow",
            mode=RAW,
            storage_uri=candidate["storage_uri"],
            min_replicas=candidate.get("min_replicas", 1),
            max_replicas=candidate.get("max_replicas", high),
            scale_metric="cpu",  # the Kubernetes autoscaler of RawDeployment scales on cpu
            format_version=candidate.get("model_format_version", primary.format_version),
            runtime=candidate.get("runtime", primary.runtime),
            image=candidate.get("image", primary.image),
        )
    return Settings(
        namespace=args.get("namespace", name),
        labels=dict(args.get("labels", {})),
        model_format=args["model_format"],
        resources=dict(args["resources"]),
        primary=primary,
        canary=canary,
        shadow=shadow,
        mirror_percent=args["shadow"]["mirror_percent"] if "shadow" in args else None,
        service_account=args.get("service_account_name", f"{service}-model"),
        create_service_account="service_account_name" not in args,
        platform=platform,
        args=args,
    )
