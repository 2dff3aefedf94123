"""Exactly one VirtualService owns each host on each gateway: ours, KServe's and Knative's.

Istio merges VirtualServices of one host only on gateways; two on `mesh` conflict (IST0109,
https://istio.io/latest/docs/reference/config/analysis/ist0109/). KServe's ingress reconciler
binds `<isvc>.<ns>.svc.cluster.local` on the local gateway, `mesh` and the ingress gateway for a
Serverless InferenceService; net-istio binds the predictor's host on `mesh` (traffic.kserve_routes).
"""

from __future__ import annotations

import pytest

from mlrails_components.kubernetes.inference_service import check_documents
from mlrails_components.kubernetes.traffic import route_owners
from mlrails_components.support.validation import ArgumentsError, Problems
from tests.components.kubernetes.kserve_cases import (
    RAW,
    RAW_CANARY,
    SCENARIOS,
    SHADOW,
    arguments,
    build,
)

# The mirror VirtualService as the component built it before (traffic.mirror).
OLD_MIRROR = {
    "apiVersion": "networking.istio.io/v1beta1",
    "kind": "VirtualService",
    "metadata": {"name": "fraud-mirror", "namespace": "fraud"},
    "spec": {"hosts": ["fraud.fraud.svc.cluster.local"], "gateways": ["mesh"], "http": []},
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_host_and_gateway_has_exactly_one_owner(scenario):
    settings, documents = build(arguments(*SCENARIOS[scenario]))
    owners = route_owners(list(documents.values()), settings)
    assert {key: names for key, names in owners.items() if len(names) != 1} == {}


def test_the_old_mirror_fights_kserve_for_the_service_host_on_the_mesh():
    """W8. The old mirror bound fraud.fraud.svc.cluster.local on `mesh`, as KServe's own
    VirtualService `fraud` does."""
    settings, documents = build(arguments(SHADOW, {}))
    documents["mirror"] = OLD_MIRROR
    owners = route_owners(list(documents.values()), settings)
    assert owners[("fraud.fraud.svc.cluster.local", "mesh")] == ["kserve:fraud", "fraud-mirror"]


def test_the_component_refuses_a_routing_conflict():
    settings, documents = build(arguments(SHADOW, {}))
    documents["mirror"] = OLD_MIRROR
    problems = Problems("InferenceService", "fraud")
    check_documents(documents, settings, problems)
    with pytest.raises(ArgumentsError, match="IST0109"):
        problems.raise_if_any()


def test_a_serverless_mirror_sends_the_primary_share_the_way_kserve_does():
    _, documents = build(arguments(SHADOW, {}))
    (route,) = documents["mirror"]["spec"]["http"]
    assert documents["mirror"]["spec"]["hosts"] == ["fraud-mirrored.fraud.svc.cluster.local"]
    assert route["headers"] == {
        "request": {"set": {"Host": "fraud-predictor.fraud.svc.cluster.local"}}
    }
    assert [r["destination"]["host"] for r in route["route"]] == [
        "knative-local-gateway.istio-system.svc.cluster.local"
    ]
    assert route["mirror"]["host"] == "fraud-shadow-predictor.fraud.svc.cluster.local"


def test_a_raw_canary_splits_by_weight_and_the_mirror_keeps_the_split():
    _, documents = build(arguments({**RAW_CANARY, **SHADOW}, RAW))
    split = documents["canary-split"]["spec"]
    assert split["hosts"] == ["fraud-predictor.fraud.svc.cluster.local"]
    weights = [(r["destination"]["host"], r["weight"]) for r in split["http"][0]["route"]]
    assert weights == [
        ("fraud-predictor.fraud.svc.cluster.local", 90),
        ("fraud-canary-predictor.fraud.svc.cluster.local", 10),
    ]
    (mirrored,) = documents["mirror"]["spec"]["http"]
    assert mirrored["route"] == split["http"][0]["route"]
    assert "headers" not in mirrored


@pytest.mark.parametrize(
    ("percent", "weights"), [(0, [100, 0]), (100, [0, 100])], ids=["rollback", "all-to-canary"]
)
def test_raw_canary_bounds_route_all_traffic_one_way(percent, weights):
    _, documents = build(arguments({**RAW_CANARY, "canary_traffic_percent": percent}, RAW))
    route = documents["canary-split"]["spec"]["http"][0]["route"]
    assert [r["weight"] for r in route] == weights


def test_the_mirror_follows_a_local_gateway_kserve_is_configured_with():
    _, documents = build(
        arguments({**SHADOW, "local_gateway_service": "kserve-local.kserve.svc.cluster.local"}, {})
    )
    (route,) = documents["mirror"]["spec"]["http"]
    assert route["route"][0]["destination"]["host"] == "kserve-local.kserve.svc.cluster.local"


def test_a_local_gateway_that_is_no_host_name_is_refused():
    with pytest.raises(
        ArgumentsError, match="`local_gateway_service` is 'Gateway_1': not a Service host name"
    ):
        build(arguments({**SHADOW, "local_gateway_service": "Gateway_1"}, {}))
