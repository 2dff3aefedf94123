"""A fraud model on KServe with a shadow: a candidate version sees live requests, users never do.

KServe has no native shadow (kserve/kserve#2978): the candidate runs as a second
InferenceService and an Istio VirtualService mirrors a share of the requests that in-mesh
callers (here the checkout namespace) send to the primary. Compare the candidate's latency
and predictions before promoting it with a canary (see examples/kserve-canary).
"""

import pulumi

from mlrails_components.kubernetes import InferenceService

config = pulumi.Config()

fraud = InferenceService(
    "fraud",
    {
        "namespace": "fraud",
        "model_format": "sklearn",
        "model_format_version": "1",
        "storage_uri": f"s3://acme-models/fraud/{config.require('modelVersion')}",
        "resources": {
            "cpu_request": "500m",
            "memory_request": "1Gi",
            "cpu_limit": "2",
            "memory_limit": "2Gi",
        },
        "min_replicas": 2,
        "max_replicas": 8,
        "shadow": {
            "storage_uri": f"s3://acme-models/fraud/{config.require('candidateVersion')}",
            "mirror_percent": config.require_float("mirrorPercent"),
            "max_replicas": 4,
        },
        # Mirroring happens in the callers' own Istio proxies, so their namespace is admitted.
        "allowed_client_namespaces": ["checkout"],
        "service_account_annotations": {
            "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud-model-reader"
        },
        "monitoring_labels": {"release": "kube-prometheus-stack"},
        "alert_labels": {"team": "fraud"},
        "labels": {"owner": config.require("owner")},
    },
)

pulumi.export("service_name", fraud.service_name)
pulumi.export("url", fraud.cluster_url)
pulumi.export("alerts", fraud.alert_names)
