"""Who reaches the model pods: the mirroring VirtualService of a shadow and the NetworkPolicy.

The mirror is an Istio VirtualService on the mesh for the primary's in-cluster host: the
callers' proxies route each request to the primary and send a copy of a share of them to the
shadow's Service, dropping its answers. The NetworkPolicy admits only the ingress gateway,
Knative's activator and autoscaler, the monitoring namespace and named in-mesh callers; egress
stays open, as the storage initializer downloads the model.
"""

from __future__ import annotations

from typing import Any

from components.kubernetes.manifests import (
    ISVC_LABEL,
    NAMESPACE_NAME_LABEL,
    PREDICTOR_PORT,
    Settings,
    metadata,
)


def mirror(settings: Settings) -> dict[str, Any]:
    """Routes in-mesh calls to the primary's host to it, and mirrors a share to the shadow."""
    assert settings.shadow is not None
    host = settings.host(settings.primary.service)
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": metadata(f"{settings.primary.service}-mirror", settings),
        "spec": {
            "hosts": [host],
            "gateways": ["mesh"],
            "http": [
                {
                    "name": "primary-with-shadow-copy",
                    "route": [
                        {
                            "destination": {"host": host, "port": {"number": PREDICTOR_PORT}},
                            "weight": 100,
                        }
                    ],
                    "mirror": {
                        "host": settings.host(settings.shadow.predictor),
                        "port": {"number": PREDICTOR_PORT},
                    },
                    "mirrorPercentage": {"value": float(settings.mirror_percent or 0)},
                }
            ],
        },
    }


def network_policy(settings: Settings) -> dict[str, Any]:
    args = settings.args
    gateway = {
        "namespaceSelector": _namespace_is(args.get("ingress_gateway_namespace", "istio-system")),
        "podSelector": {
            "matchLabels": dict(args.get("ingress_gateway_labels", {"istio": "ingressgateway"}))
        },
    }
    peers = [
        gateway,
        # Knative's activator proxies requests to the pods; its autoscaler reads queue-proxy.
        {"namespaceSelector": _namespace_is(args.get("knative_namespace", "knative-serving"))},
        {"namespaceSelector": _namespace_is(args.get("monitoring_namespace", "monitoring"))},
    ]
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
