"""Arguments of InferenceService: typed, flat, in KServe and Kubernetes terms with units.

No `from __future__ import annotations` here: Pulumi's component analyzer and TypedDict's
required/optional keys both need the annotations evaluated.
"""

from typing import NotRequired, TypedDict

import pulumi


class ModelResourcesArgs(TypedDict):
    """CPU and memory each model pod requests and may use, as Kubernetes quantities."""

    cpu_request: str
    """CPU reserved for each pod by the scheduler, e.g. "1" or "500m"."""
    memory_request: str
    """Memory reserved for each pod by the scheduler, e.g. "2Gi"."""
    cpu_limit: str
    """Most CPU a pod may use; it is throttled above it. At least cpu_request."""
    memory_limit: str
    """Most memory a pod may use; it is killed above it. At least memory_request."""
    gpu_limit: NotRequired[int]
    """NVIDIA GPUs per pod (`nvidia.com/gpu`). Default: none."""


class ShadowModelArgs(TypedDict):
    """A candidate model that receives a mirrored copy of live requests; its answers are dropped.

    KServe has no native shadow (kserve/kserve#2978), so the candidate is a second
    InferenceService, `<service_name>-shadow`, and an Istio VirtualService on the mesh mirrors
    requests that callers send to `http://<service_name>-mirrored.<namespace>.svc.cluster.local`
    (a host of its own: KServe and Knative already own the primary's hosts on the mesh). The shadow runs in KServe's RawDeployment
    mode (a plain Deployment and Service): Envoy appends `-shadow` to a mirrored request's Host
    header, which Knative's host-based routing would not accept. Mirroring happens in the
    callers' own proxies, so callers must be in the mesh and listed in
    `allowed_client_namespaces`.
    """

    storage_uri: pulumi.Input[str]
    """Where the candidate model is stored, pinned to a version (never `latest`)."""
    mirror_percent: float
    """Share of the primary's requests copied to the shadow, above 0 and at most 100."""
    model_format_version: NotRequired[str]
    """Version of the model format, for runtime selection. Default: the primary's."""
    runtime: NotRequired[str]
    """ServingRuntime that serves the candidate. Default: the primary's."""
    image: NotRequired[str]
    """Container image overriding the runtime's, pinned by tag or digest. Default: the
    primary's image argument, or the runtime's image."""
    min_replicas: NotRequired[int]
    """Fewest shadow pods. Default: 1 (a shadow needs no spare capacity)."""
    max_replicas: NotRequired[int]
    """Most shadow pods. Default: the primary's max_replicas."""


class PlatformArgs(TypedDict):
    """The cluster the InferenceService is deployed to: what it admits, routes and measures.

    The defaults are what KServe's own install pins today (kserve/kserve `kserve-deps.env`:
    KNATIVE_SERVING_VERSION=1.21.1, KSERVE_VERSION=v0.20.0; `config/configmap/
    inferenceservice.yaml`: defaultDeploymentMode Serverless)."""

    knative_version: NotRequired[str]
    """Knative Serving version, "1.N" between 1.12 and 1.21. It decides the pod fields and mount
    paths Knative admits and the request metrics the alerts read. Default: "1.21"."""
    kserve_version: NotRequired[str]
    """KServe version, "0.N". From 0.16 the deployment modes are named Knative and Standard;
    older releases know only Serverless and RawDeployment. Default: "0.20"."""
    deployment_mode: NotRequired[str]
    """Serverless (Knative; "Knative" is the same) or RawDeployment (a plain Deployment and
    Service; "Standard" is the same). Default: Serverless."""
    knative_features: NotRequired[list[str]]
    """Knative feature flags (config-features keys) the cluster has Enabled, e.g.
    "kubernetes.podspec-securitycontext". With that flag the pods also get a pod-level
    securityContext; without it Knative rejects one. Default: none (Knative's defaults)."""
    storage_initializer_restricted: NotRequired[bool]
    """The cluster's storage initializer (ClusterStorageContainer `default`) carries a
    securityContext meeting the restricted Pod Security Standard. KServe's own manifests give
    it none (kserve#5373), so by default a created namespace enforces baseline and only audits
    and warns on restricted; true enforces restricted. Default: false."""


class InferenceServiceArgs(TypedDict):
    """Arguments of InferenceService."""

    model_format: str
    """Format of the model (sklearn, xgboost, lightgbm, onnx, pytorch, tensorflow,
    huggingface, triton, ...); KServe picks a ServingRuntime that supports it."""
    storage_uri: pulumi.Input[str]
    """Where the model is stored (s3://, gs://, https://, pvc://, oci://, hf://), pinned to
    a version, e.g. s3://models/fraud/v42. A URI naming `latest` is rejected."""
    resources: ModelResourcesArgs
    """CPU and memory requests and limits of each model pod; every one is required."""
    service_name: NotRequired[str]
    """Name of the InferenceService in Kubernetes. Default: the component name."""
    namespace: NotRequired[str]
    """Kubernetes namespace of every object. Default: the component name."""
    create_namespace: NotRequired[bool]
    """Create the namespace, labelled with the Pod Security level its pods can meet (see
    platform.storage_initializer_restricted). Default: true. With false the namespace must exist; its labels are then not managed."""
    model_format_version: NotRequired[str]
    """Version of the model format, e.g. "1" for sklearn 1.x. Default: none (any version)."""
    runtime: NotRequired[str]
    """Name of the ServingRuntime or ClusterServingRuntime to serve the model with.
    Default: KServe chooses a runtime that supports model_format."""
    image: NotRequired[str]
    """Container image overriding the runtime's, pinned by tag or digest; `latest` and untagged
    images are rejected. Default: the runtime's own image."""
    protocol_version: NotRequired[str]
    """Inference protocol: v1, v2, grpc-v1 or grpc-v2. Default: the runtime's."""
    min_replicas: NotRequired[int]
    """Fewest pods the autoscaler keeps; 0 allows scale to zero (cold starts). With 2 or more a
    PodDisruptionBudget keeps all but one pod running during node drains. Default: 2."""
    max_replicas: NotRequired[int]
    """Most pods the autoscaler starts. Default: 4, or min_replicas if that is larger."""
    scale_metric: NotRequired[str]
    """What Knative's autoscaler tracks: concurrency, rps, cpu or memory. Default: concurrency
    (in-flight requests per pod)."""
    scale_target: NotRequired[int]
    """Target of scale_metric per pod: requests for concurrency and rps, a percentage (1-100)
    for cpu and memory. Default: the autoscaler's own (Knative: 100 concurrent requests)."""
    canary_traffic_percent: NotRequired[int]
    """Share of traffic, 0-100, that the newest revision receives while the previous one keeps
    the rest (Serverless; in RawDeployment mode see previous_storage_uri). Change the model with
    this set to roll out by canary; remove it to promote the new revision to all traffic; set 0
    to roll back. Alerts watch the canary on its own. Default: none, a new revision takes all traffic once ready."""
    previous_storage_uri: NotRequired[pulumi.Input[str]]
    """RawDeployment canary only: the model version that keeps the rest of the traffic. KServe
    keeps no previous revision outside Knative, so `<service_name>` serves this version and
    `<service_name>-canary` the new storage_uri, behind a weighted Istio route for in-mesh
    callers. Remove it together with canary_traffic_percent to promote. Default: none."""
    service_account_name: NotRequired[str]
    """An existing ServiceAccount for the model pods (e.g. one holding storage credentials).
    Default: a new ServiceAccount without an API token, `<service_name>-model`."""
    service_account_annotations: NotRequired[dict[str, pulumi.Input[str]]]
    """Annotations of the new ServiceAccount, e.g. {"eks.amazonaws.com/role-arn": <an IAM
    Role's arn>} for the role that reads the model. Default: none."""
    run_as_user: NotRequired[int]
    """Non-zero user (and group) id the model containers run as. Default: 1000."""
    ingress_gateway_namespace: NotRequired[str]
    """Namespace of the Istio ingress gateway, the only source besides monitoring (and, for
    Knative, its activator) the NetworkPolicy admits. Default: istio-system."""
    ingress_gateway_labels: NotRequired[dict[str, str]]
    """Labels of the ingress gateway pods. Default: {"istio": "ingressgateway"}."""
    local_gateway_service: NotRequired[str]
    """Host of the Service of KServe's local gateway (KServe's ingress config
    `knativeLocalGatewayService`, or `localGatewayService` when that is unset), through which
    a shadow's mirror sends a Serverless primary its share. Default:
    knative-local-gateway.istio-system.svc.cluster.local."""
    knative_namespace: NotRequired[str]
    """Namespace of Knative Serving, whose activator proxies requests to the pods and whose
    autoscaler reads their metrics. Default: knative-serving."""
    monitoring_namespace: NotRequired[str]
    """Namespace of the Prometheus that scrapes the pods. Default: monitoring."""
    allowed_client_namespaces: NotRequired[list[str]]
    """Namespaces whose pods may call the model pods directly (in-mesh callers, which shadow
    mirroring needs). Default: none."""
    monitoring_labels: NotRequired[dict[str, str]]
    """Labels of the PrometheusRule and ServiceMonitors, so that your Prometheus selects them
    (kube-prometheus-stack: {"release": "<release name>"}). Default: none."""
    alert_labels: NotRequired[dict[str, str]]
    """Labels added to every alert, e.g. {"team": "fraud"} for Alertmanager routing.
    Default: none; alerts carry severity and inferenceservice labels."""
    error_rate_alert_percent: NotRequired[float]
    """Share of requests answered with a 5xx that fires the error-rate alerts. Default: 1."""
    latency_p99_alert_ms: NotRequired[float]
    """p99 request latency, in milliseconds, that fires the latency alerts. Default: 500."""
    shadow: NotRequired[ShadowModelArgs]
    """A candidate model receiving mirrored traffic. Default: none."""
    platform: NotRequired[PlatformArgs]
    """The Knative and KServe versions and the deployment mode of the cluster. Default: KServe's
    current install (Knative 1.21, KServe 0.20, Serverless)."""
    ready_timeout_seconds: NotRequired[int]
    """How long `pulumi up` waits for the InferenceService to report Ready before failing.
    Default: 600."""
    labels: NotRequired[dict[str, str]]
    """Labels of every Kubernetes object created (owner, cost center, ...). Default: none."""
