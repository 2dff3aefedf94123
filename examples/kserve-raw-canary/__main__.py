"""A fraud model on KServe in RawDeployment mode, rolled out by canary.

RawDeployment ("Standard") runs each model as a plain Deployment, so KServe's
canaryTrafficPercent (which splits traffic between Knative revisions) does not apply. The
component runs the previous version as `fraud` and the new one as `fraud-canary`, and an Istio
VirtualService splits in-mesh calls to fraud-predictor between them. Watch the FraudCanary*
alerts, then remove `canaryPercent` and `previousModelVersion` to promote, or set
`canaryPercent` to 0 to send all traffic back to the previous version.
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
    # A HorizontalPodAutoscaler scales a RawDeployment: on cpu, 70 % of the request.
    "scale_metric": "cpu",
    "scale_target": 70,
    "platform": {"deployment_mode": "RawDeployment"},
    # The split is applied by the callers' own Istio proxies, so their namespace is admitted.
    "allowed_client_namespaces": ["checkout"],
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
    args["previous_storage_uri"] = (
        f"s3://acme-models/fraud/{config.require('previousModelVersion')}"
    )

fraud = InferenceService("fraud", args)

pulumi.export("service_name", fraud.service_name)
pulumi.export("url", fraud.cluster_url)
pulumi.export("alerts", fraud.alert_names)
