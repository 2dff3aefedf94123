"""Checks of the declared platform and of the rollout: a canary in either mode, a shadow."""

from __future__ import annotations

from mlrails_components.kubernetes import platform as platforms
from mlrails_components.kubernetes.args import InferenceServiceArgs, ShadowModelArgs
from mlrails_components.kubernetes.checks import (
    MAX_LABEL,
    check_model,
    dns_label_problem,
    min_max_replicas,
    mode_of,
    storage_problem,
)
from mlrails_components.support.validation import Problems, plain


def check_platform(args: InferenceServiceArgs, problems: Problems) -> None:
    for key, value, problem, fix in platforms.problems(args.get("platform", {})):
        problems.add(f"platform.{key}", value, problem, fix)
    timeout = args.get("ready_timeout_seconds", 600)
    problems.require(
        timeout > 0,
        "ready_timeout_seconds",
        timeout,
        "a wait needs a positive timeout",
        "use e.g. 600 (model download and start included)",
    )


def check_canary(args: InferenceServiceArgs, problems: Problems) -> None:
    raw_canary = mode_of(args) == platforms.RAW and "canary_traffic_percent" in args
    if "canary_traffic_percent" in args:
        percent = args["canary_traffic_percent"]
        problems.require(
            0 <= percent <= 100,
            "canary_traffic_percent",
            percent,
            "a share of traffic is 0 to 100 percent",
            "use 1-99 for a canary, remove it to promote, 0 to roll back",
        )
    if raw_canary:
        problems.require(
            "previous_storage_uri" in args,
            "previous_storage_uri",
            None,
            "KServe keeps no previous revision in RawDeployment mode (canaryTrafficPercent "
            "applies to Knative revisions only), so the version keeping the rest of the traffic "
            "must be named",
            "give the model version now serving, e.g. s3://models/fraud/v41",
        )
        problems.require(
            bool(args.get("allowed_client_namespaces")),
            "allowed_client_namespaces",
            args.get("allowed_client_namespaces", []),
            "the weighted route is applied by the callers' own proxies, which then reach the "
            "stable and canary pods directly; the NetworkPolicy blocks them unless admitted",
            "list the namespaces of the in-mesh callers",
        )
        if "previous_storage_uri" in args and plain(args["previous_storage_uri"]):
            problem = storage_problem(args["previous_storage_uri"])
            problems.require(
                problem is None,
                "previous_storage_uri",
                args["previous_storage_uri"],
                problem or "",
                "point at a versioned model, e.g. s3://models/fraud/v41",
            )
    elif "previous_storage_uri" in args:
        problems.add(
            "previous_storage_uri",
            args["previous_storage_uri"],
            "used only by a RawDeployment canary (Knative keeps the previous revision itself)",
            "remove it, or set canary_traffic_percent with platform.deployment_mode RawDeployment",
        )


def check_shadow(
    service: str, args: InferenceServiceArgs, shadow: ShadowModelArgs, problems: Problems
) -> None:
    check_model("shadow.", shadow, problems)
    gateway = args.get("local_gateway_service", "")
    problems.require(
        not gateway or all(dns_label_problem(part) is None for part in gateway.split(".")),
        "local_gateway_service",
        gateway,
        "not a Service host name",
        "write <service>.<namespace>.svc.cluster.local, as in KServe's ingress config",
    )
    # The shadow is a plain Deployment and Service: `<service>-shadow-predictor`.
    shadow_predictor = f"{service}-shadow-predictor"
    problem = dns_label_problem(shadow_predictor)
    problems.require(
        problem is None,
        "service_name" if "service_name" in args else "name",
        service,
        f"KServe names the shadow's Service {shadow_predictor}; {problem}",
        f"use a name of at most {MAX_LABEL - len(shadow_predictor) + len(service)} characters",
    )
    percent = shadow["mirror_percent"]
    problems.require(
        0 < percent <= 100,
        "shadow.mirror_percent",
        percent,
        "a mirrored share is above 0 and at most 100 percent",
        "use e.g. 10",
    )
    low = shadow.get("min_replicas", 1)
    high = shadow.get("max_replicas", min_max_replicas(args)[1])
    problems.require(
        1 <= low <= high,
        "shadow.min_replicas",
        low,
        f"the shadow runs as a Deployment scaled between 1 and max_replicas ({high}) pods",
        "give 1 <= shadow.min_replicas <= shadow.max_replicas",
    )
    problems.require(
        bool(args.get("allowed_client_namespaces")),
        "allowed_client_namespaces",
        args.get("allowed_client_namespaces", []),
        "the callers' own proxies send the mirrored copies straight to the shadow pods, which "
        "the NetworkPolicy blocks unless the callers' namespaces are admitted",
        "list the namespaces of the in-mesh callers",
    )
