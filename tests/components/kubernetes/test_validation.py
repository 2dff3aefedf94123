"""InferenceService's arguments: every problem is reported at construction, all at once."""

from __future__ import annotations

import pulumi
import pytest

from mlrails.errors import UserError
from mlrails_components.kubernetes import InferenceService
from mlrails_components.kubernetes.quantities import parse_quantity
from tests.components.kubernetes.kserve_cases import BASE, RESOURCES
from tests.components.kubernetes.test_inference_service import SHADOW, service

CLIENTS = {"allowed_client_namespaces": ["checkout"]}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            {"storage_uri": "s3://models/fraud/latest"},
            "`storage_uri` is 's3://models/fraud/latest': a URI naming `latest` is not a fixed model version; point at a versioned model",
        ),
        (
            {"storage_uri": "models/fraud/v42"},
            "`storage_uri` is 'models/fraud/v42': KServe's storage initializer reads s3://",
        ),
        (
            {"image": "kserve/sklearnserver:latest"},
            "`image` is 'kserve/sklearnserver:latest': :latest changes under a running service; pin the image by tag or digest",
        ),
        (
            {"image": "registry.local:5000/sklearnserver"},
            "`image` is 'registry.local:5000/sklearnserver': an untagged image means :latest",
        ),
        (
            {"canary_traffic_percent": 101},
            "`canary_traffic_percent` is 101: a share of traffic is 0 to 100 percent; use 1-99 for a canary, remove it to promote, 0 to roll back",
        ),
        ({"canary_traffic_percent": -5}, "`canary_traffic_percent` is -5: a share of traffic"),
        (
            {"min_replicas": 5, "max_replicas": 3},
            "`min_replicas` is 5: more than max_replicas (3); lower min_replicas or raise max_replicas",
        ),
        ({"min_replicas": -1}, "`min_replicas` is -1: replicas are never negative"),
        ({"max_replicas": 0, "min_replicas": 0}, "`max_replicas` is 0: at least one pod must run"),
        (
            {"resources": {"cpu_request": "1", "memory_request": "2Gi", "cpu_limit": "2"}},
            "`resources.memory_limit` is missing: it is required; pass it",
        ),
        (
            {"resources": {"cpu_request": "1", "memory_request": "2Gi", "memory_limit": "4Gi"}},
            "`resources.cpu_limit` is missing: it is required; pass it",
        ),
        (
            {"resources": {**RESOURCES, "memory_limit": "4GB"}},
            "`resources.memory_limit` is '4GB': not a positive Kubernetes quantity",
        ),
        (
            {"resources": {**RESOURCES, "cpu_limit": "500m"}},
            "`resources.cpu_limit` is '500m': below the request of 1, which Kubernetes rejects",
        ),
        (
            {"resources": {**RESOURCES, "gpu_limit": 0}},
            "`resources.gpu_limit` is 0: a GPU limit is a positive number of GPUs",
        ),
        (
            {"scale_metric": "gpu"},
            "`scale_metric` is 'gpu': Knative's autoscaler tracks concurrency, rps, cpu or memory",
        ),
        (
            {"scale_metric": "cpu", "scale_target": 150},
            "`scale_target` is 150: a cpu target is a utilization percentage, 1 to 100",
        ),
        ({"scale_target": 0}, "`scale_target` is 0: a concurrency target is a positive number"),
        ({"protocol_version": "v3"}, "`protocol_version` is 'v3': unknown inference protocol"),
        ({"run_as_user": 0}, "`run_as_user` is 0: user 0 is root, which runAsNonRoot forbids"),
        ({"namespace": "Fraud_Models"}, "`namespace` is 'Fraud_Models': Kubernetes names are"),
        (
            {"service_name": "fraud-detector-for-the-card-payments-of-europe-and-asia"},
            "KServe names its pods' revision fraud-detector-for-the-card-payments-of-europe-and-asia-predictor-00001",
        ),
        (
            {"allowed_client_namespaces": ["Checkout"]},
            "`allowed_client_namespaces[0]` is 'Checkout'",
        ),
        (
            {"service_account_name": "reader", "service_account_annotations": {"a": "b"}},
            "`service_account_annotations` is {'a': 'b'}: annotations apply only to the ServiceAccount the component creates",
        ),
        (
            {"labels": {"pod-security.kubernetes.io/enforce": "privileged"}},
            "`labels` is ['pod-security.kubernetes.io/enforce']: the component owns the namespace's Pod Security labels",
        ),
        (
            {"error_rate_alert_percent": 0},
            "`error_rate_alert_percent` is 0: an error rate is a percentage above 0",
        ),
        (
            {"latency_p99_alert_ms": -1},
            "`latency_p99_alert_ms` is -1: latency thresholds are positive",
        ),
        (
            {"shadow": {"storage_uri": "s3://models/fraud/v43", "mirror_percent": 0}, **CLIENTS},
            "`shadow.mirror_percent` is 0: a mirrored share is above 0 and at most 100 percent",
        ),
        (
            {
                "shadow": {"storage_uri": "s3://models/fraud/latest/", "mirror_percent": 5},
                **CLIENTS,
            },
            "`shadow.storage_uri` is 's3://models/fraud/latest/': a URI naming `latest`",
        ),
        (
            {
                "shadow": {"storage_uri": "s3://m/v43", "mirror_percent": 5, "image": "x/y"},
                **CLIENTS,
            },
            "`shadow.image` is 'x/y': an untagged image means :latest",
        ),
        (
            {
                "shadow": {"storage_uri": "s3://m/v43", "mirror_percent": 5, "min_replicas": 0},
                **CLIENTS,
            },
            "`shadow.min_replicas` is 0: the shadow runs as a Deployment scaled between 1 and max_replicas (4) pods",
        ),
        (
            {"shadow": {"storage_uri": "s3://models/fraud/v43", "mirror_percent": 10}},
            "`allowed_client_namespaces` is []: the callers' own proxies send the mirrored copies straight to the shadow pods",
        ),
        ({"model_format": 3}, "`model_format` is 3: input should be a valid string"),
        (
            {"canary_traffic_percent": "10"},
            "`canary_traffic_percent` is '10': input should be a valid integer",
        ),
        ({"replicas": 2}, "`replicas` is 2: extra inputs are not permitted"),
    ],
    ids=[
        "storage-uri-latest",
        "storage-uri-not-s3",
        "image-latest",
        "image-untagged",
        "canary-above-100",
        "canary-negative",
        "min-above-max",
        "min-negative",
        "max-zero",
        "no-memory-limit",
        "no-cpu-limit",
        "memory-limit-in-GB",
        "cpu-limit-below-request",
        "gpu-limit-zero",
        "scale-on-gpu",
        "cpu-target-above-100",
        "concurrency-target-zero",
        "protocol-v3",
        "run-as-root",
        "namespace-not-dns",
        "service-name-too-long",
        "client-namespace-not-dns",
        "annotations-on-an-existing-account",
        "pod-security-labels-given",
        "error-rate-zero",
        "latency-negative",
        "shadow-mirrors-nothing",
        "shadow-storage-latest",
        "shadow-image-untagged",
        "shadow-without-replicas",
        "shadow-without-callers",
        "model-format-not-a-string",
        "canary-as-a-string",
        "unknown-argument",
    ],
)
def test_each_invalid_argument_is_reported(program, args, fragment):
    with pytest.raises(UserError) as err:
        program(service(args))
    assert "InferenceService 'fraud'" in str(err.value)
    assert fragment in str(err.value)


def test_every_problem_is_reported_at_once(program):
    args = {
        "storage_uri": "s3://models/fraud/latest",
        "image": "kserve/sklearnserver",
        "canary_traffic_percent": 150,
        "min_replicas": 5,
        "max_replicas": 2,
        "resources": {**RESOURCES, "cpu_limit": "100m"},
    }
    with pytest.raises(UserError, match=r"5 problem\(s\) with its arguments") as err:
        program(service(args))
    for argument in (
        "`storage_uri`",
        "`image`",
        "`canary_traffic_percent`",
        "`min_replicas`",
        "`resources.cpu_limit`",
    ):
        assert argument in str(err.value)


def test_a_long_component_name_cannot_name_the_namespace(program):
    with pytest.raises(
        UserError, match="`name` is 'Fraud': the namespace is named after the component"
    ):
        program(service(name="Fraud"))


def test_outputs_are_not_checked_until_known(program):
    plan = program(
        lambda: InferenceService(
            "fraud", {**BASE, "storage_uri": pulumi.Output.from_input("s3://models/fraud/latest")}
        )
    )
    assert plan.resources  # the provider and the pinned-images rule judge the value once known


def test_shadow_without_problems_is_accepted(program):
    assert program(service(SHADOW)).resources


@pytest.mark.parametrize(
    ("text", "value"),
    [("500m", "0.5"), ("2Gi", "2147483648"), ("1.5", "1.5"), ("1e3", "1000"), ("4G", "4000000000")],
)
def test_quantities_are_read_like_the_api_server(text, value):
    assert parse_quantity(text) == type(parse_quantity("1"))(value)


@pytest.mark.parametrize("text", ["4GB", "", "one", "1e", "2 Gi"])
def test_invalid_quantities_are_not_read(text):
    assert parse_quantity(text) is None
