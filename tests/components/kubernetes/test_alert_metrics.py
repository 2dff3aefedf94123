"""The alerts read series that the declared platform exports, with its labels and units.

EXPORTED lists, per source, the series Prometheus holds and the labels each carries:
- Knative <= 1.18 queue-proxy (OpenCensus): knative/serving release-1.18
  `pkg/queue/request_metric.go` (request_count, request_latencies in ms, tags pod, container,
  response_code, response_code_class, route_tag), `pkg/queue/sharedmain/main.go` (component
  "revision", the series prefix), `pkg/metrics/key.go` (the revision resource labels).
- Knative >= 1.19 queue-proxy (OpenTelemetry): release-1.19/1.21 `pkg/queue/request_metric.go`
  (kn.serving.invocation.duration, unit s, attribute http.response.status_code) through the
  Prometheus exporter of knative.dev/pkg `observability/metrics/prometheus_enabled.go`; the
  series carry only their attributes plus the scrape target's labels: namespace, and the pod
  labels a ServiceMonitor copies (prometheus-operator sanitises `a/b.c` to `a_b_c`).
- Istio's standard metrics (https://istio.io/latest/docs/reference/config/metrics/).
"""

from __future__ import annotations

import re

import pytest

from tests.components.kubernetes.kserve_cases import RAW, RAW_CANARY, RELEASES, arguments, build

REVISION_LABELS = {"namespace_name", "service_name", "configuration_name", "revision_name"}
OPENCENSUS_TAGS = {
    "pod_name",
    "container_name",
    "response_code",
    "response_code_class",
    "route_tag",
}
SCRAPE_LABELS = {"namespace", "pod", "service", "job", "instance", "endpoint", "container"}
OTEL_ATTRIBUTES = {"http_response_status_code", "otel_scope_name", "otel_scope_version"}
ISTIO_LABELS = {
    "reporter", "response_code", "destination_workload_namespace", "destination_service_name",
    "destination_workload", "source_workload", "source_workload_namespace", "request_protocol",
}  # fmt: skip
EXPORTED = {
    "opencensus": {
        "revision_request_count": REVISION_LABELS | OPENCENSUS_TAGS | SCRAPE_LABELS,
        "revision_request_latencies_bucket": REVISION_LABELS
        | OPENCENSUS_TAGS
        | SCRAPE_LABELS
        | {"le"},
    },
    "opentelemetry": {
        "kn_serving_invocation_duration_seconds_count": OTEL_ATTRIBUTES | SCRAPE_LABELS,
        "kn_serving_invocation_duration_seconds_bucket": OTEL_ATTRIBUTES | SCRAPE_LABELS | {"le"},
    },
    "istio": {
        "istio_requests_total": ISTIO_LABELS | SCRAPE_LABELS,
        "istio_request_duration_milliseconds_bucket": ISTIO_LABELS | SCRAPE_LABELS | {"le"},
    },
}
GENERATION = {"1.12": "opencensus", "1.18": "opencensus", "1.21": "opentelemetry"}
# Latency threshold of 500 ms in each histogram's unit.
THRESHOLD = {"opencensus": "> 500", "opentelemetry": "> 0.5", "istio": "> 500"}
# What the alerts queried before the platform was declared, on every release.
OLD_CANARY_ERROR_RATE = (
    'sum by (revision_name)(rate(revision_request_count{namespace_name="fraud",'
    'configuration_name="fraud-predictor",response_code_class="5xx"}[5m])) / sum by '
    '(revision_name)(rate(revision_request_count{namespace_name="fraud",'
    'configuration_name="fraud-predictor"}[5m])) > 0.01'
)
_SELECTION = re.compile(r"([a-z_:][a-z0-9_:]*)\{([^}]*)\}")
_BY = re.compile(r"by \(([^)]*)\)")


def series_problems(expr: str, exported: dict[str, set[str]], copied: set[str]) -> list[str]:
    """Each selected series or label the exporter does not produce."""
    found = []
    for metric, matchers in _SELECTION.findall(expr):
        if metric not in exported:
            found.append(f"no series {metric}")
            continue
        labels = exported[metric] | copied
        for name in re.findall(r"([a-z_]+)\s*=~?", matchers):
            if name not in labels:
                found.append(f"{metric} has no label {name}")
        for group in _BY.findall(expr):
            found += [
                f"{metric} has no label {g.strip()}"
                for g in group.split(",")
                if g.strip() not in labels
            ]
    return found


def copied_labels(monitor: dict) -> set[str]:
    return {
        re.sub(r"[^a-zA-Z0-9_]", "_", label) for label in monitor["spec"].get("podTargetLabels", [])
    }


def alerts(documents: dict) -> dict[str, dict]:
    return {r["alert"]: r for g in documents["alerts"]["spec"]["groups"] for r in g["rules"]}


@pytest.mark.parametrize("release", RELEASES)
def test_canary_alerts_read_series_the_release_exports(release):
    _, documents = build(arguments({"canary_traffic_percent": 10}, {"knative_version": release}))
    generation = GENERATION[release]
    copied = copied_labels(documents["service-monitor"])
    rules = alerts(documents)
    assert set(rules) == {
        "FraudPredictorErrorRate",
        "FraudPredictorLatencyP99",
        "FraudCanaryErrorRate",
        "FraudCanaryLatencyP99",
    }
    for rule in rules.values():
        assert series_problems(rule["expr"], EXPORTED[generation], copied) == [], rule["alert"]
    assert rules["FraudCanaryLatencyP99"]["expr"].endswith(THRESHOLD[generation])


def test_the_old_alerts_select_nothing_on_knative_1_21():
    """W9. The old rule queried revision_request_count / revision_request_latencies on every
    release; Knative 1.19 replaced them with kn_serving_invocation_duration_seconds."""
    _, documents = build(arguments({"canary_traffic_percent": 10}, {"knative_version": "1.21"}))
    copied = copied_labels(documents["service-monitor"])
    assert series_problems(OLD_CANARY_ERROR_RATE, EXPORTED["opentelemetry"], copied) == [
        "no series revision_request_count",
        "no series revision_request_count",
    ]
    assert series_problems(OLD_CANARY_ERROR_RATE, EXPORTED["opencensus"], set()) == []


def test_without_the_copied_pod_labels_no_revision_can_be_told_apart_on_1_21():
    _, documents = build(arguments({"canary_traffic_percent": 10}, {"knative_version": "1.21"}))
    expr = alerts(documents)["FraudCanaryErrorRate"]["expr"]
    missing = set(series_problems(expr, EXPORTED["opentelemetry"], set()))
    assert missing == {
        f"kn_serving_invocation_duration_seconds_count has no label serving_knative_dev_{label}"
        for label in ("configuration", "revision")
    }


def test_raw_deployment_alerts_read_istio_metrics_for_stable_and_canary():
    _, documents = build(arguments(RAW_CANARY, RAW))
    rules = alerts(documents)
    for rule in rules.values():
        assert series_problems(rule["expr"], EXPORTED["istio"], set()) == [], rule["alert"]
    assert (
        'destination_service_name="fraud-canary-predictor"' in rules["FraudCanaryErrorRate"]["expr"]
    )
    assert 'destination_service_name="fraud-predictor"' in rules["FraudPredictorErrorRate"]["expr"]
    assert rules["FraudCanaryLatencyP99"]["expr"].endswith(THRESHOLD["istio"])
    assert (
        "set canary_traffic_percent to 0" in rules["FraudCanaryErrorRate"]["annotations"]["summary"]
    )
