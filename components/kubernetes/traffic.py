"""Who reaches the model pods: the shadow's mirror, a RawDeployment canary's split, the NetworkPolicy.

The mirror is an Istio VirtualService on the mesh for a host of its own, `<service>-mirrored`:
the callers' proxies route each request to the primary and send a copy of a share of them to
the shadow's Service, dropping its answers. The NetworkPolicy admits only the ingress gateway,
Knative's activator and autoscaler (when a model runs on Knative), the monitoring namespace and
named in-mesh callers; egress stays open, as the storage initializer downloads the model.
"""

from __future__ import annotations

from typing import Any

from mlrails_components.kubernetes.manifests import (
    ISVC_LABEL,
    NAMESPACE_NAME_LABEL,
    PREDICTOR_PORT,
    metadata,
)
from mlrails_components.kubernetes.platform import SERVERLESS
from mlrails_components.kubernetes.settings import Settings

# KServe's ingress config defaults (kserve config/configmap/inferenceservice.yaml, `ingress`):
# the local gateway a Serverless InferenceService's traffic goes through, and its Service.
LOCAL_GATEWAY = "knative-serving/knative-local-gateway"
INGRESS_GATEWAY = "knative-serving/knative-ingress-gateway"
LOCAL_GATEWAY_SERVICE = "knative-local-gateway.istio-system.svc.cluster.local"
MESH = "mesh"


def mirrored_service(settings: Settings) -> str:
    return f"{settings.primary.service}-mirrored"


def mirror_entry(settings: Settings) -> dict[str, Any]:
    """The host in-mesh callers call to be mirrored: a Service without pods, only a name and
    port that Istio routes by the mirror VirtualService."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(mirrored_service(settings), settings),
        "spec": {"ports": [{"name": "http", "port": PREDICTOR_PORT, "protocol": "TCP"}]},
    }


def mirror(settings: Settings) -> dict[str, Any]:
    """Routes calls to the mirrored host to the primary, copying a share to the shadow.

    Istio merges VirtualServices of one host only on gateways; on `mesh` a second one for a host
    conflicts (IST0109, https://istio.io/latest/docs/reference/config/analysis/ist0109/). KServe
    already owns the InferenceService's host on `mesh` and Knative the predictor's
    (`kserve_routes`), so the mirror binds a host of its own and sends the primary's share on
    as KServe does: a Serverless primary through the Knative local gateway with the predictor's
    Host header, a RawDeployment primary straight to its predictor Service.
    """
    assert settings.shadow is not None
    primary = settings.primary
    route: dict[str, Any] = {"name": "primary-with-shadow-copy"}
    if primary.mode == SERVERLESS:
        route["headers"] = {"request": {"set": {"Host": settings.host(primary.predictor)}}}
    route["route"] = primary_destinations(settings)
    route["mirror"] = {
        "host": settings.host(settings.shadow.predictor),
        "port": {"number": PREDICTOR_PORT},
    }
    route["mirrorPercentage"] = {"value": float(settings.mirror_percent or 0)}
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": metadata(f"{primary.service}-mirror", settings),
        "spec": {
            "hosts": [settings.host(mirrored_service(settings))],
            "gateways": [MESH],
            "http": [route],
        },
    }


def primary_destinations(settings: Settings) -> list[dict[str, Any]]:
    """Where the primary's traffic goes from a caller's proxy, with weights.

    Serverless: KServe's own route, the Knative local gateway (ingress_reconciler.go
    `createHTTPRouteDestination`). RawDeployment: the predictor Service; with a canary, the
    stable and the canary predictors weighted by canary_traffic_percent (Istio
    HTTPRouteDestination.weight, https://istio.io/latest/docs/reference/config/networking/
    virtual-service/#HTTPRouteDestination: weights of a route sum to 100).
    """
    primary, canary = settings.primary, settings.canary
    if primary.mode == SERVERLESS:
        gateway = settings.args.get("local_gateway_service", LOCAL_GATEWAY_SERVICE)
        return [{"destination": _to(gateway), "weight": 100}]
    stable = {"destination": _to(settings.host(primary.predictor)), "weight": 100}
    if canary is None:
        return [stable]
    share = int(canary.canary_percent or 0)
    stable["weight"] = 100 - share
    return [stable, {"destination": _to(settings.host(canary.predictor)), "weight": share}]


def canary_split(settings: Settings) -> dict[str, Any]:
    """A RawDeployment canary: in-mesh calls to the stable predictor's host, split by weight.

    In RawDeployment mode KServe routes with a Kubernetes Ingress or a Gateway API HTTPRoute on
    the ingress gateway and creates no VirtualService (kserve kube_ingress_reconciler.go,
    httproute_reconciler.go; controller.go owns VirtualServices only for Serverless), so this
    is the only VirtualService for that host on `mesh`. Requests entering through the ingress
    gateway are routed by KServe's Ingress to the stable predictor and are not split.
    """
    assert settings.canary is not None
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": metadata(f"{settings.primary.service}-canary-split", settings),
        "spec": {
            "hosts": [settings.host(settings.primary.predictor)],
            "gateways": [MESH],
            "http": [{"name": "stable-and-canary", "route": primary_destinations(settings)}],
        },
    }


def _to(host: str) -> dict[str, Any]:
    return {"host": host, "port": {"number": PREDICTOR_PORT}}


def kserve_routes(settings: Settings) -> list[tuple[str, str, str]]:
    """(owner, host, gateway) of the VirtualServices KServe and Knative create for the models.

    KServe's ingress reconciler gives a Serverless InferenceService a VirtualService named after
    it for `<isvc>.<ns>.svc.cluster.local` on the local gateway, `mesh` and, unless
    cluster-local, the ingress gateway (kserve pkg/controller/v1beta1/inferenceservice/
    reconcilers/ingress/ingress_reconciler.go `createIngress`). Knative's net-istio gives the
    predictor ksvc its own `mesh` VirtualService for `<predictor>.<ns>.svc.cluster.local`
    (knative/net-istio pkg/reconciler/ingress/resources/virtual_service.go `MakeMeshVirtualService`).
    A RawDeployment gets a Kubernetes Ingress or HTTPRoute on the ingress gateway only
    (raw_ingress_reconciler.go), so nothing owns its in-cluster host on `mesh`.
    """
    owned = []
    for model in settings.models:
        if model.mode != SERVERLESS:
            continue
        host = settings.host(model.service)
        for gateway in (LOCAL_GATEWAY, MESH, INGRESS_GATEWAY):
            owned.append((f"kserve:{model.service}", host, gateway))
        owned.append((f"knative:{model.predictor}-mesh", settings.host(model.predictor), MESH))
    return owned


def route_owners(documents: list[dict[str, Any]], settings: Settings) -> dict:
    """Every (host, gateway) bound by the given VirtualServices or by KServe and Knative."""
    owners: dict[tuple[str, str], list[str]] = {}
    for owner, host, gateway in kserve_routes(settings):
        owners.setdefault((host, gateway), []).append(owner)
    for document in documents:
        if document["kind"] != "VirtualService":
            continue
        spec = document["spec"]
        for host in spec["hosts"]:
            for gateway in spec.get("gateways", [MESH]):
                owners.setdefault((host, gateway), []).append(document["metadata"]["name"])
    return owners


def network_policy(settings: Settings) -> dict[str, Any]:
    args = settings.args
    gateway = {
        "namespaceSelector": _namespace_is(args.get("ingress_gateway_namespace", "istio-system")),
        "podSelector": {
            "matchLabels": dict(args.get("ingress_gateway_labels", {"istio": "ingressgateway"}))
        },
    }
    peers = [gateway]
    if any(model.mode == SERVERLESS for model in settings.models):
        # Knative's activator proxies requests to the pods; its autoscaler reads queue-proxy.
        knative = args.get("knative_namespace", "knative-serving")
        peers.append({"namespaceSelector": _namespace_is(knative)})
    peers.append(
        {"namespaceSelector": _namespace_is(args.get("monitoring_namespace", "monitoring"))}
    )
    clients = list(args.get("allowed_client_namespaces", []))
    if clients:
        peers.append(
            {
                "namespaceSelector": {
                    "matchExpressions": [
                        {"key": NAMESPACE_NAME_LABEL, "operator": "In", "values": clients}
                    ]
                }
            }
        )
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(f"{settings.primary.service}-ingress", settings),
        "spec": {
            "podSelector": {
                "matchExpressions": [
                    {"key": ISVC_LABEL, "operator": "In", "values": settings.services}
                ]
            },
            "policyTypes": ["Ingress"],
            "ingress": [{"from": peers}],
        },
    }


def _namespace_is(name: str) -> dict[str, Any]:
    return {"matchLabels": {NAMESPACE_NAME_LABEL: name}}
