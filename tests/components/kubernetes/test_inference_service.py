"""InferenceService under the offline engine: children, specs for plain, canary and shadow, outputs."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from mlrails.plan import is_unknown
from mlrails_components.kubernetes import InferenceService
from tests.components.conftest import children, resource
from tests.components.kubernetes.kserve_cases import BASE, RESOURCES, SHADOW

CANARY = {"canary_traffic_percent": 10}
ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"
MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"
MIRROR = "kubernetes:networking.istio.io/v1beta1:VirtualService"
PLAIN_CHILDREN = [
    ("kubernetes:core/v1:Namespace", "fraud-namespace"),
    ("kubernetes:core/v1:ServiceAccount", "fraud-service-account"),
    (ISVC, "fraud-inference-service"),
    (RULE, "fraud-alerts"),
    (MONITOR, "fraud-service-monitor"),
    ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fraud-network-policy"),
    ("kubernetes:policy/v1:PodDisruptionBudget", "fraud-disruption-budget"),
]
HARDENED_CONTAINER = {
    "runAsNonRoot": True,
    "runAsUser": 1000,
    "runAsGroup": 1000,
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}
HARDENED_POD = {
    "runAsNonRoot": True,
    "runAsUser": 1000,
    "runAsGroup": 1000,
    "fsGroup": 1000,
    "seccompProfile": {"type": "RuntimeDefault"},
}
# Knative 1.21 (the default platform): OpenTelemetry request metrics, see metrics.py.
SELECTOR = 'namespace="fraud",serving_knative_dev_configuration="fraud-predictor"'
REVISION = "serving_knative_dev_revision"
REQUESTS = "kn_serving_invocation_duration_seconds_count"
BUCKETS = "kn_serving_invocation_duration_seconds_bucket"
WAIT = {"pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "600"}


def service(
    args: dict[str, Any] | None = None,
    opts: pulumi.ResourceOptions | None = None,
    name: str = "fraud",
):
    """The program: one InferenceService with BASE's model and resources, and `args`."""
    return lambda: InferenceService(name, {**BASE, **(args or {})}, opts)


def spec(plan, name: str = "fraud-inference-service") -> dict:
    return resource(plan, name).inputs["spec"]


def test_plain_service_has_exactly_its_guardrails(program):
    plan = program(service())
    assert sorted(children(plan, "fraud")) == sorted(PLAIN_CHILDREN)
    isvc = resource(plan, "fraud-inference-service").inputs
    assert isvc["metadata"] == {
        "name": "fraud",
        "namespace": "fraud",
        "annotations": {"serving.kserve.io/deploymentMode": "Knative", **WAIT},
    }
    # No pod-level securityContext: Knative rejects it without a feature flag (F4).
    assert isvc["spec"] == {
        "predictor": {
            "minReplicas": 2,
            "maxReplicas": 4,
            "scaleMetric": "concurrency",
            "serviceAccountName": "fraud-model",
            "automountServiceAccountToken": False,
            "model": {
                "modelFormat": {"name": "sklearn"},
                "storageUri": "s3://models/fraud/v42",
                "resources": {
                    "requests": {"cpu": "1", "memory": "2Gi"},
                    "limits": {"cpu": "2", "memory": "4Gi"},
                },
                "securityContext": HARDENED_CONTAINER,
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
            },
            "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}],
        }
    }
    # The pods start only once their namespace and ServiceAccount exist.
    assert set(resource(plan, "fraud-inference-service").dependencies) == {
        resource(plan, "fraud-namespace").urn,
        resource(plan, "fraud-service-account").urn,
    }


def test_canary_sets_the_traffic_share_and_watches_the_new_revision_alone(program):
    plan = program(service(CANARY))
    assert sorted(children(plan, "fraud")) == sorted(PLAIN_CHILDREN)
    assert spec(plan)["predictor"]["canaryTrafficPercent"] == 10
    groups = {
        g["name"]: g["rules"] for g in resource(plan, "fraud-alerts").inputs["spec"]["groups"]
    }
    assert list(groups) == ["fraud-predictor", "fraud-canary"]
    errors, latency = groups["fraud-canary"]
    assert errors["alert"] == "FraudCanaryErrorRate"
    assert errors["expr"] == (
        f'sum by ({REVISION})(rate({REQUESTS}{{{SELECTOR},http_response_status_code=~"5.."}}[5m]))'
        f" / sum by ({REVISION})(rate({REQUESTS}{{{SELECTOR}}}[5m])) > 0.01"
    )
    assert errors["for"] == "2m"
    assert errors["labels"] == {
        "severity": "warning",
        "rollout": "canary",
        "inferenceservice": "fraud",
    }
    assert "set canary_traffic_percent to 0" in errors["annotations"]["summary"]
    assert latency["alert"] == "FraudCanaryLatencyP99"
    assert latency["expr"] == (
        f"histogram_quantile(0.99, sum by (le,{REVISION}) "
        f"(rate({BUCKETS}{{{SELECTOR}}}[5m]))) > 0.5"
    )


@pytest.mark.parametrize(
    ("percent", "meaning"), [(0, "rollback"), (100, "all to the new revision")]
)
def test_canary_bounds_are_rollback_and_full_traffic(program, percent, meaning):
    plan = program(service({"canary_traffic_percent": percent}))
    assert spec(plan)["predictor"]["canaryTrafficPercent"] == percent, meaning


def test_shadow_is_a_second_service_with_a_mirroring_virtual_service(program):
    plan = program(service(SHADOW))
    assert sorted(children(plan, "fraud")) == sorted(
        [
            *PLAIN_CHILDREN,
            (ISVC, "fraud-shadow"),
            ("kubernetes:core/v1:Service", "fraud-mirror-entry"),
            (MIRROR, "fraud-mirror"),
            (MONITOR, "fraud-shadow-service-monitor"),
        ]
    )
    shadow = resource(plan, "fraud-shadow").inputs
    assert shadow["metadata"]["annotations"] == {
        "serving.kserve.io/deploymentMode": "Standard",
        **WAIT,
    }
    predictor = shadow["spec"]["predictor"]
    assert (predictor["minReplicas"], predictor["maxReplicas"], predictor["scaleMetric"]) == (
        1,
        4,
        "cpu",
    )
    assert predictor["model"]["storageUri"] == "s3://models/fraud/v43"
    assert predictor["model"]["securityContext"] == HARDENED_CONTAINER
    # A plain Deployment: no Knative field mask, so the pod-level context stays.
    assert predictor["securityContext"] == HARDENED_POD
    assert "canaryTrafficPercent" not in predictor
    assert resource(plan, "fraud-mirror-entry").inputs["spec"] == {
        "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]
    }
    assert resource(plan, "fraud-mirror").inputs["spec"] == {
        "hosts": ["fraud-mirrored.fraud.svc.cluster.local"],
        "gateways": ["mesh"],
        "http": [
            {
                "name": "primary-with-shadow-copy",
                "headers": {
                    "request": {"set": {"Host": "fraud-predictor.fraud.svc.cluster.local"}}
                },
                "route": [
                    {
                        "destination": {
                            "host": "knative-local-gateway.istio-system.svc.cluster.local",
                            "port": {"number": 80},
                        },
                        "weight": 100,
                    }
                ],
                "mirror": {
                    "host": "fraud-shadow-predictor.fraud.svc.cluster.local",
                    "port": {"number": 80},
                },
                "mirrorPercentage": {"value": 20.0},
            }
        ],
    }


def test_shadow_alerts_watch_its_latency_and_that_it_gets_traffic(program):
    plan = program(service(SHADOW))
    groups = {
        g["name"]: g["rules"] for g in resource(plan, "fraud-alerts").inputs["spec"]["groups"]
    }
    latency, silence = groups["fraud-shadow-predictor"]
    shadow = 'namespace="fraud",service="fraud-shadow-predictor"'
    assert latency["alert"] == "FraudShadowLatencyP99"
    assert latency["expr"] == (
        "histogram_quantile(0.99, sum by (le) "
        f"(rate(request_predict_seconds_bucket{{{shadow}}}[5m]))) > 0.5"
    )
    assert silence["alert"] == "FraudShadowNoTraffic"
    assert silence["expr"] == (
        f"(sum(rate(request_predict_seconds_count{{{shadow}}}[15m])) or vector(0)) == 0"
    )
    assert {r["labels"]["severity"] for r in (latency, silence)} == {"info"}
    monitor = resource(plan, "fraud-shadow-service-monitor").inputs["spec"]
    assert monitor["selector"] == {
        "matchLabels": {
            "serving.kserve.io/inferenceservice": "fraud-shadow",
            "component": "predictor",
        }
    }
    assert monitor["endpoints"] == [{"targetPort": 8080, "path": "/metrics", "interval": "30s"}]


def test_predictor_alerts_read_knative_1_21_opentelemetry_request_metrics(program):
    plan = program(service({"error_rate_alert_percent": 2.5, "latency_p99_alert_ms": 250}))
    (group,) = resource(plan, "fraud-alerts").inputs["spec"]["groups"]
    errors, latency = group["rules"]
    assert errors["alert"] == "FraudPredictorErrorRate"
    assert errors["expr"] == (
        f'sum(rate({REQUESTS}{{{SELECTOR},http_response_status_code=~"5.."}}[5m]))'
        f" / sum(rate({REQUESTS}{{{SELECTOR}}}[5m])) > 0.025"
    )
    assert (errors["for"], errors["labels"]["severity"]) == ("5m", "critical")
    # Seconds: 250 ms.
    assert latency["expr"] == (
        f"histogram_quantile(0.99, sum by (le) (rate({BUCKETS}{{{SELECTOR}}}[5m]))) > 0.25"
    )
    monitor = resource(plan, "fraud-service-monitor").inputs["spec"]
    assert monitor == {
        "selector": {
            "matchLabels": {
                "serving.knative.dev/service": "fraud-predictor",
                "networking.internal.knative.dev/serviceType": "Private",
            }
        },
        "namespaceSelector": {"matchNames": ["fraud"]},
        "endpoints": [{"port": "http-usermetric", "path": "/metrics", "interval": "30s"}],
        # The revision reaches the series only through the scrape (metrics.py).
        "podTargetLabels": ["serving.knative.dev/configuration", "serving.knative.dev/revision"],
    }


def test_alert_and_monitoring_labels_reach_prometheus(program):
    plan = program(
        service({"alert_labels": {"team": "fraud"}, "monitoring_labels": {"release": "kps"}})
    )
    rule = resource(plan, "fraud-alerts").inputs
    assert rule["metadata"]["labels"] == {"release": "kps"}
    assert resource(plan, "fraud-service-monitor").inputs["metadata"]["labels"] == {
        "release": "kps"
    }
    assert all(r["labels"]["team"] == "fraud" for g in rule["spec"]["groups"] for r in g["rules"])


def test_namespace_enforces_baseline_and_warns_on_restricted_by_default(program):
    labels = resource(
        program(service({"labels": {"owner": "fraud-ml"}})), "fraud-namespace"
    ).inputs["metadata"]["labels"]
    assert labels == {
        "owner": "fraud-ml",
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "v1.30",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "v1.30",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "v1.30",
    }
    hardened = resource(
        program(service({"platform": {"storage_initializer_restricted": True}})), "fraud-namespace"
    ).inputs["metadata"]["labels"]
    assert hardened["pod-security.kubernetes.io/enforce"] == "restricted"


def test_network_policy_admits_only_the_gateway_knative_monitoring_and_named_callers(program):
    policy = resource(program(service(SHADOW)), "fraud-network-policy").inputs
    assert policy["metadata"] == {"name": "fraud-ingress", "namespace": "fraud"}
    assert policy["spec"] == {
        "podSelector": {
            "matchExpressions": [
                {
                    "key": "serving.kserve.io/inferenceservice",
                    "operator": "In",
                    "values": ["fraud", "fraud-shadow"],
                }
            ]
        },
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [
                    {
                        "namespaceSelector": {
                            "matchLabels": {"kubernetes.io/metadata.name": "istio-system"}
                        },
                        "podSelector": {"matchLabels": {"istio": "ingressgateway"}},
                    },
                    {
                        "namespaceSelector": {
                            "matchLabels": {"kubernetes.io/metadata.name": "knative-serving"}
                        }
                    },
                    {
                        "namespaceSelector": {
                            "matchLabels": {"kubernetes.io/metadata.name": "monitoring"}
                        }
                    },
                    {
                        "namespaceSelector": {
                            "matchExpressions": [
                                {
                                    "key": "kubernetes.io/metadata.name",
                                    "operator": "In",
                                    "values": ["checkout"],
                                }
                            ]
                        }
                    },
                ]
            }
        ],
    }


def test_disruption_budget_keeps_all_but_one_pod_from_two_replicas_on(program):
    budget = resource(program(service()), "fraud-disruption-budget").inputs
    assert budget["spec"] == {
        "maxUnavailable": 1,
        "selector": {
            "matchLabels": {"serving.kserve.io/inferenceservice": "fraud", "component": "predictor"}
        },
    }
    for replicas in (0, 1):
        plan = program(service({"min_replicas": replicas}))
        assert "fraud-disruption-budget" not in {name for _, name in children(plan, "fraud")}


def test_service_account_has_no_api_token_and_carries_its_annotations(program):
    plan = program(
        service(
            {
                "service_account_annotations": {
                    "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud"
                }
            }
        )
    )
    account = resource(plan, "fraud-service-account").inputs
    assert account["automountServiceAccountToken"] is False
    assert account["metadata"] == {
        "name": "fraud-model",
        "namespace": "fraud",
        "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud"},
    }


def test_an_existing_namespace_and_service_account_are_used_as_given(program):
    plan = program(
        service(
            {
                "namespace": "models",
                "create_namespace": False,
                "service_account_name": "reader",
                "service_name": "fraud-v2",
            }
        )
    )
    names = {name for _, name in children(plan, "fraud")}
    assert "fraud-namespace" not in names and "fraud-service-account" not in names
    isvc = resource(plan, "fraud-inference-service").inputs
    assert (isvc["metadata"]["name"], isvc["metadata"]["namespace"]) == ("fraud-v2", "models")
    assert isvc["spec"]["predictor"]["serviceAccountName"] == "reader"
    assert resource(plan, "fraud-inference-service").dependencies == []


def test_runtime_image_protocol_gpu_and_scaling_options_reach_the_predictor(program):
    plan = program(
        service(
            {
                "runtime": "kserve-sklearnserver",
                "image": "kserve/sklearnserver:v0.14.0",
                "protocol_version": "v2",
                "model_format_version": "1",
                "scale_metric": "rps",
                "scale_target": 50,
                "min_replicas": 3,
                "max_replicas": 9,
                "run_as_user": 2000,
                "resources": {**RESOURCES, "gpu_limit": 1},
            }
        )
    )
    predictor = spec(plan)["predictor"]
    model = predictor["model"]
    assert model["modelFormat"] == {"name": "sklearn", "version": "1"}
    assert (model["runtime"], model["image"], model["protocolVersion"]) == (
        "kserve-sklearnserver",
        "kserve/sklearnserver:v0.14.0",
        "v2",
    )
    assert model["resources"]["limits"] == {"cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "1"}
    assert (predictor["scaleMetric"], predictor["scaleTarget"]) == ("rps", 50)
    assert (predictor["minReplicas"], predictor["maxReplicas"]) == (3, 9)
    assert "securityContext" not in predictor
    assert (model["securityContext"]["runAsUser"], model["securityContext"]["runAsGroup"]) == (
        2000,
        2000,
    )


def test_max_replicas_defaults_to_at_least_min_replicas(program):
    predictor = spec(program(service({"min_replicas": 6})))["predictor"]
    assert (predictor["minReplicas"], predictor["maxReplicas"]) == (6, 6)


def test_outputs_name_the_service_and_its_alerts(program):
    seen = []

    def canary_and_its_outputs():
        built = InferenceService("fraud", {**BASE, **CANARY})
        outputs = (built.service_name, built.namespace_name, built.cluster_url, built.alert_names)
        pulumi.Output.all(*outputs).apply(seen.append)

    program(canary_and_its_outputs)
    assert seen == [
        [
            "fraud",
            "fraud",
            "http://fraud.fraud.svc.cluster.local",
            [
                "FraudPredictorErrorRate",
                "FraudPredictorLatencyP99",
                "FraudCanaryErrorRate",
                "FraudCanaryLatencyP99",
            ],
        ]
    ]


def test_a_storage_uri_output_passes_through_unchecked(program):
    plan = program(
        lambda: InferenceService(
            "fraud", {**BASE, "storage_uri": pulumi.Output.from_input("s3://models/fraud/v42")}
        )
    )
    assert spec(plan)["predictor"]["model"]["storageUri"] == "s3://models/fraud/v42"


def test_preview_mode_knows_every_manifest(program):
    plan = program(service({**CANARY, **SHADOW}), mode="preview")
    manifests = [r.inputs for r in plan.resources if r.type.startswith("kubernetes:")]
    assert len(manifests) == 11
    assert not any(_unknowns(m) for m in manifests)
    assert spec(plan)["predictor"]["canaryTrafficPercent"] == 10


def _unknowns(value) -> list:
    if is_unknown(value):
        return [value]
    if isinstance(value, dict):
        return [u for v in value.values() for u in _unknowns(v)]
    if isinstance(value, list):
        return [u for v in value for u in _unknowns(v)]
    return []
