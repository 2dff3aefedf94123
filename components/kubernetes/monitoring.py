"""Monitoring of an InferenceService: ServiceMonitors and a PrometheusRule of alerts per model.

A Serverless primary runs on Knative, whose queue-proxy counts every request of every revision
on the port a ServiceMonitor scrapes; the metric names, labels and latency unit depend on the
Knative release (`metrics.py`). A RawDeployment primary is judged on Istio's request metrics.
The error-rate and p99-latency alerts of a canary group by revision, so the newest revision is
judged on its own traffic, not diluted by the stable one. The shadow runs as a plain
Deployment whose answers are dropped: only KServe's model-server histogram
(`request_predict_seconds`) shows it working, slowly, or not receiving mirrored requests at all.
"""

from __future__ import annotations

from typing import Any

from mlrails_components.kubernetes.manifests import ISVC_LABEL, MODEL_SERVER_PORT, metadata
from mlrails_components.kubernetes.metrics import RequestMetrics, request_metrics
from mlrails_components.kubernetes.platform import SERVERLESS
from mlrails_components.kubernetes.settings import Model, Settings

WINDOW = "5m"


def prometheus_rule(settings: Settings) -> dict[str, Any]:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": metadata(
            f"{settings.primary.service}-alerts",
            settings,
            labels=dict(settings.args.get("monitoring_labels", {})),
        ),
        "spec": {"groups": groups(settings)},
    }


def service_monitor(settings: Settings, model: Model) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if model.mode == SERVERLESS:
        # Knative's queue-proxy serves request counts and latencies on its private Service.
        selector = {
            "serving.knative.dev/service": model.predictor,
            "networking.internal.knative.dev/serviceType": "Private",
        }
        endpoint: dict[str, Any] = {"port": "http-usermetric", "path": "/metrics"}
        copied = _metrics(settings).pod_target_labels
        if copied:
            extra["podTargetLabels"] = list(copied)
    else:
        selector = {ISVC_LABEL: model.service, "component": "predictor"}
        endpoint = {"targetPort": MODEL_SERVER_PORT, "path": "/metrics"}
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": metadata(
            model.service, settings, labels=dict(settings.args.get("monitoring_labels", {}))
        ),
        "spec": {
            "selector": {"matchLabels": selector},
            "namespaceSelector": {"matchNames": [settings.namespace]},
            "endpoints": [{**endpoint, "interval": "30s"}],
            **extra,
        },
    }


def groups(settings: Settings) -> list[dict[str, Any]]:
    primary = settings.primary
    found = [{"name": primary.predictor, "rules": _request_rules(settings, canary=False)}]
    if settings.canary_percent is not None:
        found.append({"name": f"{primary.service}-canary", "rules": _request_rules(settings, True)})
    if settings.shadow is not None:
        found.append({"name": settings.shadow.predictor, "rules": _shadow_rules(settings)})
    return found


def alert_names(settings: Settings) -> list[str]:
    return [rule["alert"] for group in groups(settings) for rule in group["rules"]]


def _metrics(settings: Settings) -> RequestMetrics:
    platform = settings.platform
    return request_metrics(settings.primary.mode == SERVERLESS, platform.knative_minor)


def _request_rules(settings: Settings, canary: bool) -> list[dict[str, Any]]:
    args = settings.args
    service = settings.primary.service
    metrics = _metrics(settings)
    # A Serverless canary is the newest Knative revision of the predictor, told apart by its
    # revision label; a RawDeployment canary is an InferenceService of its own.
    separate = settings.canary if canary else None
    watched = separate.predictor if separate else settings.primary.predictor
    selector = metrics.selector(settings.namespace, watched)
    revision = metrics.revision_label
    per_revision = canary and separate is None
    by = f" by ({revision})" if per_revision else ""
    error_ratio = args.get("error_rate_alert_percent", 1) / 100
    latency_ms = args.get("latency_p99_alert_ms", 500)
    # The threshold in the histogram's own unit (milliseconds up to Knative 1.18, then seconds).
    latency_threshold = latency_ms / 1000 / metrics.seconds_per_unit
    prefix = _camel(service) + ("Canary" if canary else "Predictor")
    labels = {"severity": "warning" if canary else "critical"}
    if canary:
        labels["rollout"] = "canary"
    what = "the predictor"
    if separate:
        what = f"the canary {separate.service}"
    elif canary:
        what = f"the canary revision {{{{ $labels.{revision} }}}}"
    action = (
        " Roll back: set canary_traffic_percent to 0."
        if canary
        else " Check the newest revision and the model server's logs."
    )
    return [
        _alert(
            settings,
            f"{prefix}ErrorRate",
            f"sum{by}(rate({metrics.requests}{{{selector},{metrics.server_error}}}[{WINDOW}]))"
            f" / sum{by}(rate({metrics.requests}{{{selector}}}[{WINDOW}])) > {error_ratio:g}",
            "2m" if canary else "5m",
            labels,
            f"More than {error_ratio * 100:g}% of requests to {what} of {service} fail with 5xx."
            + action,
        ),
        _alert(
            settings,
            f"{prefix}LatencyP99",
            f"histogram_quantile(0.99, sum by (le{',' + revision if per_revision else ''}) "
            f"(rate({metrics.latency_buckets}{{{selector}}}[{WINDOW}]))) > {latency_threshold:g}",
            "5m" if canary else "10m",
            labels,
            f"p99 latency of {what} of {service} is above {latency_ms:g} ms." + action,
        ),
    ]


def _shadow_rules(settings: Settings) -> list[dict[str, Any]]:
    assert settings.shadow is not None
    shadow = settings.shadow
    selector = f'namespace="{settings.namespace}",service="{shadow.predictor}"'
    latency_s = settings.args.get("latency_p99_alert_ms", 500) / 1000
    labels = {"severity": "info", "rollout": "shadow"}
    return [
        _alert(
            settings,
            f"{_camel(shadow.service)}LatencyP99",
            f"histogram_quantile(0.99, sum by (le) "
            f"(rate(request_predict_seconds_bucket{{{selector}}}[{WINDOW}]))) > {latency_s:g}",
            "10m",
            labels,
            f"The shadow {shadow.service} predicts slower than {latency_s * 1000:g} ms at p99: "
            "it would miss the latency objective if promoted.",
        ),
        _alert(
            settings,
            f"{_camel(shadow.service)}NoTraffic",
            f"(sum(rate(request_predict_seconds_count{{{selector}}}[15m])) or vector(0)) == 0",
            "15m",
            labels,
            f"The shadow {shadow.service} has received no mirrored requests for 15 minutes: "
            "check the VirtualService and that callers are in the mesh.",
        ),
    ]


def _alert(
    settings: Settings, name: str, expr: str, for_: str, labels: dict[str, str], summary: str
) -> dict[str, Any]:
    return {
        "alert": name,
        "expr": expr,
        "for": for_,
        "labels": {
            **dict(settings.args.get("alert_labels", {})),
            **labels,
            "inferenceservice": settings.primary.service,
        },
        "annotations": {"summary": summary},
    }


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))
