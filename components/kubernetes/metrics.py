"""The request metrics Knative's queue-proxy exports, as Prometheus sees them, per generation.

Up to release-1.18 queue-proxy records OpenCensus measures `request_count` and
`request_latencies` (milliseconds) under the component "revision" (knative/serving release-1.18
`pkg/queue/request_metric.go`, `pkg/queue/sharedmain/main.go` `Component: "revision"`), with
the revision's resource labels `namespace_name`, `configuration_name`, `revision_name` and the
tag `response_code_class` (`pkg/metrics/key.go`), exported to Prometheus by default
(`metrics.request-metrics-backend-destination`, default prometheus: vendored knative.dev/pkg
`metrics/config_observability.go` on release-1.18).

From release-1.19 it records the OpenTelemetry histogram `kn.serving.invocation.duration` in
seconds with the one attribute `http.response.status_code` (release-1.19 and release-1.21
`pkg/queue/request_metric.go`). The Prometheus exporter (knative.dev/pkg
`observability/metrics/prometheus_enabled.go`, strategy UnderscoreEscapingWithSuffixes) names it
`kn_serving_invocation_duration_seconds` and keeps resource attributes (namespace, revision) in
`target_info` only, so the series carry the revision only through the scrape: the
ServiceMonitor copies the pod labels `serving.knative.dev/configuration` and `.../revision`
onto them (`podTargetLabels`, which Prometheus sanitises to `serving_knative_dev_revision`).
Its request metrics are off unless `config-observability` sets
`request-metrics-protocol: prometheus` (the default is none: knative.dev/pkg
`observability/metrics/config.go` DefaultConfig; queue-proxy then serves them on port 9091,
`http-usermetric`, release-1.21 `pkg/queue/sharedmain/otel.go`).
"""

from __future__ import annotations

from dataclasses import dataclass

OTEL_SINCE_MINOR = 19
CONFIGURATION_POD_LABEL = "serving.knative.dev/configuration"
REVISION_POD_LABEL = "serving.knative.dev/revision"


@dataclass(frozen=True)
class RequestMetrics:
    """How to select, count and time one Knative configuration's requests."""

    requests: str  # a counter, or a histogram's _count
    latency_buckets: str
    seconds_per_unit: float  # latency unit of the histogram, in seconds
    namespace_label: str
    configuration_label: str
    revision_label: str
    server_error: str  # matcher of 5xx responses
    pod_target_labels: tuple[str, ...]  # pod labels the ServiceMonitor must copy
    extra_matcher: str = ""  # a matcher every selection needs

    def selector(self, namespace: str, configuration: str) -> str:
        return (
            f"{self.extra_matcher}"
            f'{self.namespace_label}="{namespace}",{self.configuration_label}="{configuration}"'
        )


OPENCENSUS = RequestMetrics(
    requests="revision_request_count",
    latency_buckets="revision_request_latencies_bucket",
    seconds_per_unit=0.001,
    namespace_label="namespace_name",
    configuration_label="configuration_name",
    revision_label="revision_name",
    server_error='response_code_class="5xx"',
    pod_target_labels=(),
)
OPENTELEMETRY = RequestMetrics(
    requests="kn_serving_invocation_duration_seconds_count",
    latency_buckets="kn_serving_invocation_duration_seconds_bucket",
    seconds_per_unit=1.0,
    namespace_label="namespace",
    configuration_label="serving_knative_dev_configuration",
    revision_label="serving_knative_dev_revision",
    server_error='http_response_status_code=~"5.."',
    pod_target_labels=(CONFIGURATION_POD_LABEL, REVISION_POD_LABEL),
)


# A RawDeployment predictor has no queue-proxy. Its in-mesh Envoy sidecar records Istio's
# standard metrics (https://istio.io/latest/docs/reference/config/metrics/): the counter
# `istio_requests_total` and the histogram `istio_request_duration_milliseconds`, labelled
# `response_code`, `destination_workload_namespace` and `destination_service_name`; only the
# server side (`reporter="destination"`) is counted, so a call is not counted twice.
ISTIO = RequestMetrics(
    requests="istio_requests_total",
    latency_buckets="istio_request_duration_milliseconds_bucket",
    seconds_per_unit=0.001,
    namespace_label="destination_workload_namespace",
    configuration_label="destination_service_name",
    revision_label="destination_service_name",
    server_error='response_code=~"5.."',
    pod_target_labels=(),
    extra_matcher='reporter="destination",',
)


def request_metrics(mode_is_knative: bool, knative_minor: int) -> RequestMetrics:
    if not mode_is_knative:
        return ISTIO
    return OPENTELEMETRY if knative_minor >= OTEL_SINCE_MINOR else OPENCENSUS
