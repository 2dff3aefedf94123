"""A fraud model on KServe, rolled out by canary: the new version gets a share of the traffic.

KServe keeps the previous revision serving the rest while `canaryPercent` is set. Watch the
FraudCanary* alerts, then remove `canaryPercent` to promote the new version, or set it to 0
to send all traffic back to the previous revision.
"""

import pulumi

from mlrails_components.kubernetes import InferenceService

config = pulumi.Config()
canary_percent = config.get_int("canaryPercent")

args = {
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
    "scale_metric": "concurrency",
    "scale_target": 8,
    # The model pods read s3://acme-models with this role (EKS IAM roles for service accounts).
    "service_account_annotations": {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud-model-reader"
    },
    "monitoring_labels": {"release": "kube-prometheus-stack"},
    "alert_labels": {"team": "fraud"},
    "error_rate_alert_percent": 1,
    "latency_p99_alert_ms": 300,
    "labels": {"owner": config.require("owner")},
}
if canary_percent is not None:
    args["canary_traffic_percent"] = canary_percent

fraud = InferenceService("fraud", args)

pulumi.export("service_name", fraud.service_name)
pulumi.export("url", fraud.cluster_url)
pulumi.export("alerts", fraud.alert_names)
