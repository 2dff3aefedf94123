"""RawDeployment canaries, the readiness wait, and the arguments each deployment mode refuses."""

from __future__ import annotations

import pytest

from mlrails.errors import UserError
from tests.components.conftest import children, resource
from tests.components.kubernetes.kserve_cases import RAW
from tests.components.kubernetes.kserve_cases import RAW_CANARY as RAW_CANARY_ARGS
from tests.components.kubernetes.test_inference_service import ISVC, MIRROR, MONITOR, service

RAW_PLATFORM = {"platform": RAW}
RAW_CANARY = {**RAW_PLATFORM, **RAW_CANARY_ARGS}


def test_a_raw_canary_is_a_second_inference_service_behind_a_weighted_route(program):
    plan = program(service(RAW_CANARY))
    names = set(children(plan, "fraud"))
    assert {
        (ISVC, "fraud-inference-service"),
        (ISVC, "fraud-canary"),
        (MIRROR, "fraud-canary-split"),
        (MONITOR, "fraud-canary-service-monitor"),
    } <= names
    stable = resource(plan, "fraud-inference-service").inputs
    canary = resource(plan, "fraud-canary").inputs
    assert stable["spec"]["predictor"]["model"]["storageUri"] == "s3://models/fraud/v41"
    assert canary["spec"]["predictor"]["model"]["storageUri"] == "s3://models/fraud/v42"
    # KServe applies canaryTrafficPercent to Knative revisions only.
    assert "canaryTrafficPercent" not in canary["spec"]["predictor"]
    assert canary["metadata"]["labels"] == {"networking.kserve.io/visibility": "cluster-local"}
    assert canary["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Standard"


def test_promoting_a_raw_canary_leaves_one_inference_service_on_the_new_model(program):
    plan = program(service({**RAW_PLATFORM, "allowed_client_namespaces": ["checkout"]}))
    kinds = [n for t, n in children(plan, "fraud") if t in (ISVC, MIRROR)]
    assert kinds == ["fraud-inference-service"]
    model = resource(plan, "fraud-inference-service").inputs["spec"]["predictor"]["model"]
    assert model["storageUri"] == "s3://models/fraud/v42"


def test_pulumi_waits_for_every_inference_service_to_be_ready(program):
    plan = program(service({**RAW_CANARY, "ready_timeout_seconds": 900}))
    for name in ("fraud-inference-service", "fraud-canary"):
        annotations = resource(plan, name).inputs["metadata"]["annotations"]
        assert annotations["pulumi.com/waitFor"] == "condition=Ready"
        assert annotations["pulumi.com/timeoutSeconds"] == "900"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            {
                **RAW_PLATFORM,
                "canary_traffic_percent": 10,
                "allowed_client_namespaces": ["checkout"],
            },
            "`previous_storage_uri` is None: KServe keeps no previous revision in RawDeployment mode",
        ),
        (
            {
                **RAW_PLATFORM,
                "canary_traffic_percent": 10,
                "previous_storage_uri": "s3://models/fraud/v41",
            },
            "`allowed_client_namespaces` is []: the weighted route is applied by the callers' own proxies",
        ),
        (
            {**RAW_CANARY, "previous_storage_uri": "s3://models/fraud/latest"},
            "`previous_storage_uri` is 's3://models/fraud/latest': a URI naming `latest`",
        ),
        (
            {"previous_storage_uri": "s3://models/fraud/v41"},
            "`previous_storage_uri` is 's3://models/fraud/v41': used only by a RawDeployment canary",
        ),
        (
            {**RAW_PLATFORM, "scale_metric": "concurrency"},
            "`scale_metric` is 'concurrency': a RawDeployment scales with a HorizontalPodAutoscaler on cpu or memory",
        ),
        (
            {"ready_timeout_seconds": 0},
            "`ready_timeout_seconds` is 0: a wait needs a positive timeout",
        ),
    ],
    ids=[
        "raw-canary-without-previous-model",
        "raw-canary-without-callers",
        "raw-canary-previous-latest",
        "previous-model-without-raw-canary",
        "raw-concurrency-scaling",
        "zero-timeout",
    ],
)
def test_each_mode_refuses_what_it_cannot_do(program, args, fragment):
    with pytest.raises(UserError) as error:
        program(service(args))
    assert fragment in str(error.value)
