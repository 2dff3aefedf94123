"""Every check of InferenceService's arguments, against the limits KServe and Kubernetes enforce.

KServe adds `-predictor-00001` (a Knative revision) to a service name, and the result must still
be a DNS label (checks.py). Quantities are read as the API server reads them. The platform and
rollout checks are in rollout_validation.py.
"""

from __future__ import annotations

from typing import Any

from mlrails_components.kubernetes import platform as platforms
from mlrails_components.kubernetes.args import InferenceServiceArgs
from mlrails_components.kubernetes.checks import (
    MAX_LABEL,
    PERCENT_METRICS,
    SCALE_METRICS,
    check_model,
    dns_label_problem,
    min_max_replicas,
    mode_of,
)
from mlrails_components.kubernetes.quantities import parse_quantity
from mlrails_components.kubernetes.rollout_validation import (
    check_canary,
    check_platform,
    check_shadow,
)
from mlrails_components.support.validation import Problems, check_types

PROTOCOLS = ("v1", "v2", "grpc-v1", "grpc-v2")
REVISION_SUFFIX = "-predictor-00001"  # what Knative appends: the longest name KServe derives
POD_SECURITY_LABEL = "pod-security.kubernetes.io/"
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
    check_model("", args, problems)
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
    check_platform(args, problems)
    check_canary(args, problems)
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
        check_shadow(service, args, args["shadow"], problems)


def _check_names(name: str, service: str, args: InferenceServiceArgs, problems: Problems) -> None:
    problem = dns_label_problem(service + REVISION_SUFFIX)
    problems.require(
        problem is None,
        "service_name" if "service_name" in args else "name",
        service,
        f"KServe names its pods' revision {service}{REVISION_SUFFIX}; {problem}",
        f"use a lowercase name of at most {MAX_LABEL - len(REVISION_SUFFIX)} characters",
    )
    for key in _NAME_ARGUMENTS:
        if key in args:
            _require_label(key, args[key], problems)  # type: ignore[literal-required]  # keys of args
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
    raw = mode_of(args) == platforms.RAW
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
