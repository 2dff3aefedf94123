"""Every check of InferenceService's arguments, against the limits KServe and Kubernetes enforce.

Names follow Kubernetes' DNS label rules; KServe adds `-predictor-00001` (a Knative revision)
to a service name, and the result must still be a label. Quantities are read as the API server
reads them. Images and storage URIs must name a fixed version, as the k8s-pinned-images rule
of the policy pack expects.
"""

from __future__ import annotations

import re
from typing import Any

from components.kubernetes import platform as platforms
from components.kubernetes.args import InferenceServiceArgs, ShadowModelArgs
from components.kubernetes.quantities import parse_quantity
from components.support.images import unpinned_image_problem
from components.support.validation import Problems, check_types, plain

SCALE_METRICS = ("concurrency", "rps", "cpu", "memory")
PERCENT_METRICS = ("cpu", "memory")
PROTOCOLS = ("v1", "v2", "grpc-v1", "grpc-v2")
STORAGE_SCHEMES = ("s3", "gs", "https", "http", "pvc", "oci", "hf", "hdfs", "webhdfs")
REVISION_SUFFIX = "-predictor-00001"  # what Knative appends: the longest name KServe derives
POD_SECURITY_LABEL = "pod-security.kubernetes.io/"
_DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_MAX_LABEL = 63
_NAME_ARGUMENTS = (
    "namespace",
    "service_account_name",
    "ingress_gateway_namespace",
    "knative_namespace",
    "monitoring_namespace",
)


def validate(name: str, args: InferenceServiceArgs, problems: Problems) -> None:
    check_types(InferenceServiceArgs, args, problems)
    if problems.found:
        return  # the checks below read values whose types are now known to be right
    service = args.get("service_name", name)
    _check_names(name, service, args, problems)
    _check_model("", args, problems)
    if "protocol_version" in args:
        problems.require(
            args["protocol_version"] in PROTOCOLS,
            "protocol_version",
            args["protocol_version"],
            "unknown inference protocol",
            f"use one of {', '.join(PROTOCOLS)}",
        )
    _check_resources(dict(args["resources"]), problems)
    _check_scaling(args, problems)
    _check_platform(args, problems)
    _check_canary(args, problems)
    _check_alerts(args, problems)
    problems.require(
        args.get("run_as_user", 1000) > 0,
        "run_as_user",
        args.get("run_as_user"),
        "user 0 is root, which runAsNonRoot forbids",
        "use a non-zero user id, e.g. 1000",
    )
    problems.require(
        "service_account_name" not in args or "service_account_annotations" not in args,
        "service_account_annotations",
        args.get("service_account_annotations"),
        "annotations apply only to the ServiceAccount the component creates, and "
        "service_account_name names an existing one",
        "annotate the existing ServiceAccount, or drop service_account_name",
    )
    reserved = sorted(k for k in args.get("labels", {}) if k.startswith(POD_SECURITY_LABEL))
    problems.require(
        not reserved,
        "labels",
        reserved,
        "the component owns the namespace's Pod Security labels",
        "remove them (platform.storage_initializer_restricted decides the enforced level)",
    )
    if "shadow" in args:
        _check_shadow(service, args, args["shadow"], problems)


def dns_label_problem(value: str) -> str | None:
    if len(value) > _MAX_LABEL or not _DNS_LABEL.match(value):
        return (
            "Kubernetes names are at most 63 lowercase letters, digits and hyphens, "
            "starting with a letter and ending with a letter or digit"
        )
    return None


def storage_problem(uri: str) -> str | None:
    scheme, separator, rest = uri.partition("://")
    if not separator or scheme not in STORAGE_SCHEMES or not rest.strip("/"):
        return f"KServe's storage initializer reads {', '.join(s + '://' for s in STORAGE_SCHEMES)} URIs"
    if "latest" in rest.replace(":", "/").rstrip("/").split("/"):
        return "a URI naming `latest` is not a fixed model version"
    return None


def _check_names(name: str, service: str, args: InferenceServiceArgs, problems: Problems) -> None:
    problem = dns_label_problem(service + REVISION_SUFFIX)
    problems.require(
        problem is None,
        "service_name" if "service_name" in args else "name",
        service,
        f"KServe names its pods' revision {service}{REVISION_SUFFIX}; {problem}",
        f"use a lowercase name of at most {_MAX_LABEL - len(REVISION_SUFFIX)} characters",
    )
    for key in _NAME_ARGUMENTS:
        if key in args:
            _require_label(key, args[key], problems)  # type: ignore[literal-required]
    for i, namespace in enumerate(args.get("allowed_client_namespaces", [])):
        _require_label(f"allowed_client_namespaces[{i}]", namespace, problems)
    if "namespace" not in args:
        _require_label("name", name, problems, "the namespace is named after the component")


def _require_label(argument: str, value: str, problems: Problems, why: str = "") -> None:
    problem = dns_label_problem(value)
    problems.require(
        problem is None,
        argument,
        value,
        f"{why + ': ' if why else ''}{problem}",
        "use e.g. 'fraud-models'",
    )


def _check_model(
    prefix: str, model: InferenceServiceArgs | ShadowModelArgs, problems: Problems
) -> None:
    uri = model["storage_uri"]
    if plain(uri):
        problem = storage_problem(uri)
        problems.require(
            problem is None,
            f"{prefix}storage_uri",
            uri,
            problem or "",
            "point at a versioned model, e.g. s3://models/fraud/v42",
        )
    if "image" in model:
        problem = unpinned_image_problem(model["image"])
        problems.require(
            problem is None,
            f"{prefix}image",
            model["image"],
            problem or "",
            "pin the image by tag or digest, e.g. kserve/sklearnserver:v0.14.0",
        )


def _check_resources(resources: dict[str, Any], problems: Problems) -> None:
    for kind in ("cpu", "memory"):
        request_key, limit_key = f"{kind}_request", f"{kind}_limit"
        request = parse_quantity(resources[request_key])
        limit = parse_quantity(resources[limit_key])
        for key, value in ((request_key, request), (limit_key, limit)):
            problems.require(
                value is not None and value > 0,
                f"resources.{key}",
                resources[key],
                "not a positive Kubernetes quantity",
                'write e.g. "500m" or "2" for cpu, "512Mi" or "4Gi" for memory',
            )
        if request is not None and limit is not None and request > 0 and limit > 0:
            problems.require(
                request <= limit,
                f"resources.{limit_key}",
                resources[limit_key],
                f"below the request of {resources[request_key]}, which Kubernetes rejects",
                f"raise the limit or lower {request_key}",
            )
    if "gpu_limit" in resources:
        problems.require(
            resources["gpu_limit"] > 0,
            "resources.gpu_limit",
            resources["gpu_limit"],
            "a GPU limit is a positive number of GPUs",
            "remove it or give at least 1",
        )


def _check_scaling(args: InferenceServiceArgs, problems: Problems) -> None:
    low, high = min_max_replicas(args)
    problems.require(low >= 0, "min_replicas", low, "replicas are never negative", "use 0 or more")
    problems.require(high >= 1, "max_replicas", high, "at least one pod must run", "use 1 or more")
    problems.require(
        low <= high,
        "min_replicas",
        low,
        f"more than max_replicas ({high})",
        "lower min_replicas or raise max_replicas",
    )
    raw = _mode(args) == platforms.RAW
    metric = args.get("scale_metric", "cpu" if raw else "concurrency")
    problems.require(
        not raw or metric in PERCENT_METRICS,
        "scale_metric",
        metric,
        "a RawDeployment scales with a HorizontalPodAutoscaler on cpu or memory; "
        "concurrency and rps are Knative's",
        "use cpu or memory",
    )
    problems.require(
        metric in SCALE_METRICS,
        "scale_metric",
        metric,
        "Knative's autoscaler tracks concurrency, rps, cpu or memory",
        f"use one of {', '.join(SCALE_METRICS)}",
    )
    if "scale_target" in args:
        ceiling = 100 if metric in PERCENT_METRICS else None
        target = args["scale_target"]
        problems.require(
            target > 0 and (ceiling is None or target <= ceiling),
            "scale_target",
            target,
            f"a {metric} target is "
            + ("a utilization percentage, 1 to 100" if ceiling else "a positive number per pod"),
            "give a target in that range",
        )


def _check_platform(args: InferenceServiceArgs, problems: Problems) -> None:
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


def _check_canary(args: InferenceServiceArgs, problems: Problems) -> None:
    raw_canary = _mode(args) == platforms.RAW and "canary_traffic_percent" in args
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


def _check_alerts(args: InferenceServiceArgs, problems: Problems) -> None:
    rate = args.get("error_rate_alert_percent", 1)
    problems.require(
        0 < rate <= 100,
        "error_rate_alert_percent",
        rate,
        "an error rate is a percentage above 0 and at most 100",
        "use e.g. 1",
    )
    latency = args.get("latency_p99_alert_ms", 500)
    problems.require(
        latency > 0,
        "latency_p99_alert_ms",
        latency,
        "latency thresholds are positive",
        "use e.g. 500",
    )


def _check_shadow(
    service: str, args: InferenceServiceArgs, shadow: ShadowModelArgs, problems: Problems
) -> None:
    _check_model("shadow.", shadow, problems)
    # The shadow is a plain Deployment and Service: `<service>-shadow-predictor`.
    shadow_predictor = f"{service}-shadow-predictor"
    problem = dns_label_problem(shadow_predictor)
    problems.require(
        problem is None,
        "service_name" if "service_name" in args else "name",
        service,
        f"KServe names the shadow's Service {shadow_predictor}; {problem}",
        f"use a name of at most {_MAX_LABEL - len(shadow_predictor) + len(service)} characters",
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


def _mode(args: InferenceServiceArgs) -> str | None:
    return platforms.MODE_ALIASES.get(args.get("platform", {}).get("deployment_mode", ""))


def min_max_replicas(args: InferenceServiceArgs) -> tuple[int, int]:
    low = args.get("min_replicas", 2)
    return low, args.get("max_replicas", max(4, low))
