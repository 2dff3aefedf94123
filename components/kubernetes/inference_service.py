"""InferenceService: a KServe model server with canary or shadow rollout, alerts and hardened pods."""

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from mlrails_components.kubernetes import manifests, monitoring, traffic
from mlrails_components.kubernetes.admission import admission_problems
from mlrails_components.kubernetes.args import InferenceServiceArgs
from mlrails_components.kubernetes.schemas import manifest_problems
from mlrails_components.kubernetes.settings import Settings, resolve
from mlrails_components.kubernetes.validation import validate
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems

_CORE_KINDS = {
    ("v1", "Namespace"): k8s.core.v1.Namespace,
    ("v1", "ServiceAccount"): k8s.core.v1.ServiceAccount,
    ("v1", "Service"): k8s.core.v1.Service,
    ("networking.k8s.io/v1", "NetworkPolicy"): k8s.networking.v1.NetworkPolicy,
    ("policy/v1", "PodDisruptionBudget"): k8s.policy.v1.PodDisruptionBudget,
}


class InferenceService(pulumi.ComponentResource):
    """A KServe InferenceService (serving.kserve.io/v1beta1), guarded and hardened.

    Targets the declared platform (`platform`: Knative and KServe versions, Serverless or
    RawDeployment); every object is checked against that Knative release's admission rules.
    Defaults: a namespace enforcing the baseline Pod Security Standard and warning on
    restricted (KServe's injected storage initializer does not meet restricted unless the
    cluster hardens it); model containers that run as a non-root user with a read-only root
    filesystem, no privilege escalation, every capability dropped and the RuntimeDefault
    seccomp profile, all set per container as Knative admits; `pulumi up` waits until the
    InferenceService is Ready; a ServiceAccount without an API token; two
    to four pods autoscaled on concurrency, with a PodDisruptionBudget; a NetworkPolicy that
    admits only the ingress gateway, Knative's activator and the monitoring namespace; a
    ServiceMonitor and a PrometheusRule with error-rate and p99-latency alerts on the predictor,
    on a canary revision separately, and on a shadow.

    Rollout: set `canary_traffic_percent` with a new model to send that share to the new
    revision; remove it to promote, set 0 to roll back. In RawDeployment mode, where KServe
    keeps no revisions, `previous_storage_uri` names the version keeping the rest, and the two
    run as `<service>` and `<service>-canary` behind a weighted Istio route. Or set `shadow` to
    mirror a share of live requests to a candidate whose answers are dropped.
    """

    service_name: pulumi.Output[str]
    """Name of the InferenceService."""
    namespace_name: pulumi.Output[str]
    """Namespace of the InferenceService and of every other object."""
    cluster_url: pulumi.Output[str]
    """In-cluster URL of the service, http://<service>.<namespace>.svc.cluster.local."""
    alert_names: pulumi.Output[list[str]]
    """Names of the alerts in the PrometheusRule."""

    def __init__(
        self, name: str, args: InferenceServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("InferenceService"),
            name,
            None,
            renamed_from("mlrails:kubernetes:InferenceService", opts),
        )
        problems = Problems("InferenceService", name)
        validate(name, args, problems)
        problems.raise_if_any()
        self._name = name
        self._settings = resolve(name, args)
        self._documents = build_documents(self._settings)
        check_documents(self._documents, self._settings, problems)
        problems.raise_if_any()

        self.namespace = self._create_namespace()
        self.service_account = self._create_service_account()
        inference_service = self._create_custom("inference-service")
        assert inference_service is not None  # build_documents always renders it
        self.inference_service = inference_service
        self.canary_service = self._create_custom("canary")
        self.canary_split = self._create_custom("canary-split")
        self.shadow_service = self._create_custom("shadow")
        self.mirror_entry = self._create_core("mirror-entry")
        self.mirror = self._create_custom("mirror")
        self.alert_rule = self._create_custom("alerts")
        monitors = [
            self._create_custom(role)
            for role in ("service-monitor", "canary-service-monitor", "shadow-service-monitor")
        ]
        self.service_monitors = [m for m in monitors if m is not None]
        self.network_policy = self._create_core("network-policy")
        self.disruption_budget = self._create_core("disruption-budget")

        settings = self._settings
        # pulumi-kubernetes sets a CustomResource's outputs at run time and declares none.
        metadata = self.inference_service.metadata  # type: ignore[attr-defined]  # see above
        self.service_name = metadata.apply(lambda m: m["name"])
        self.namespace_name = (
            self.namespace.metadata.name
            if self.namespace
            else pulumi.Output.from_input(settings.namespace)
        )
        self.cluster_url = pulumi.Output.from_input(
            f"http://{settings.host(settings.primary.service)}"
        )
        self.alert_names = pulumi.Output.from_input(monitoring.alert_names(settings))
        self.register_outputs(
            {
                "service_name": self.service_name,
                "namespace_name": self.namespace_name,
                "cluster_url": self.cluster_url,
                "alert_names": self.alert_names,
            }
        )

    # --- children --------------------------------------------------------------------------

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _in_namespace(self) -> list[pulumi.Resource]:
        return [self.namespace] if self.namespace else []

    def _create_namespace(self) -> k8s.core.v1.Namespace | None:
        if "namespace" not in self._documents:
            return None
        return self._create_core("namespace", depends_on=[])

    def _create_service_account(self) -> k8s.core.v1.ServiceAccount | None:
        return self._create_core("service-account")

    def _create_core(self, role: str, depends_on: list[pulumi.Resource] | None = None) -> Any:
        document = self._documents.get(role)
        if document is None:
            return None
        kind = _CORE_KINDS[(document["apiVersion"], document["kind"])]
        fields = {_snake(k): v for k, v in document.items() if k not in ("apiVersion", "kind")}
        needs = self._in_namespace() if depends_on is None else depends_on
        return kind(f"{self._name}-{role}", **fields, opts=self._child(needs))

    def _create_custom(self, role: str) -> k8s.apiextensions.CustomResource | None:
        document = self._documents.get(role)
        if document is None:
            return None
        needs = self._in_namespace()
        if document["kind"] == "InferenceService" and self.service_account:
            needs = [*needs, self.service_account]  # the pods start under it
        return k8s.apiextensions.CustomResource(
            f"{self._name}-{role}",
            api_version=document["apiVersion"],
            kind=document["kind"],
            metadata=document["metadata"],
            spec=document["spec"],
            opts=self._child(needs),
        )


def build_documents(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every object by its role; the child of a role is named `<name>-<role>`."""
    documents: dict[str, dict[str, Any]] = {}
    if settings.args.get("create_namespace", True):
        documents["namespace"] = manifests.namespace(settings)
    if settings.create_service_account:
        documents["service-account"] = manifests.service_account(settings)
    documents["inference-service"] = manifests.inference_service(settings, settings.primary)
    if settings.canary:
        documents["canary"] = manifests.inference_service(settings, settings.canary)
        documents["canary-split"] = traffic.canary_split(settings)
    if settings.shadow:
        documents["shadow"] = manifests.inference_service(settings, settings.shadow)
        documents["mirror-entry"] = traffic.mirror_entry(settings)
        documents["mirror"] = traffic.mirror(settings)
    documents["alerts"] = monitoring.prometheus_rule(settings)
    documents["service-monitor"] = monitoring.service_monitor(settings, settings.primary)
    for role, model in (("canary", settings.canary), ("shadow", settings.shadow)):
        if model:
            documents[f"{role}-service-monitor"] = monitoring.service_monitor(settings, model)
    documents["network-policy"] = traffic.network_policy(settings)
    # With one pod a budget would block node drains; from two on, all but one stay up.
    if settings.primary.min_replicas >= 2:
        documents["disruption-budget"] = manifests.disruption_budget(settings)
    return documents


def check_documents(
    documents: dict[str, dict[str, Any]], settings: Settings, problems: Problems
) -> None:
    """The schema of every object, Knative's admission of every Serverless InferenceService, and
    one VirtualService per host and gateway."""
    _check_schemas(documents, problems)
    _check_admission(documents, settings, problems)
    _check_route_owners(documents, settings, problems)


def _check_schemas(documents: dict[str, dict[str, Any]], problems: Problems) -> None:
    for document in documents.values():
        for problem in manifest_problems(document):
            problems.found.append(
                f"the {document['kind']} {document['metadata']['name']} would not pass its "
                f"schema: {problem}; check the arguments it is built from"
            )


def _check_admission(
    documents: dict[str, dict[str, Any]], settings: Settings, problems: Problems
) -> None:
    platform = settings.platform
    for document in documents.values():
        if document["kind"] != "InferenceService":
            continue
        for problem in admission_problems(document, platform):
            problems.found.append(
                f"Knative {platform.knative_version} would reject the InferenceService "
                f"{document['metadata']['name']}: {problem}; declare the flag in "
                "platform.knative_features if the cluster enables it, or drop the setting"
            )


def _check_route_owners(
    documents: dict[str, dict[str, Any]], settings: Settings, problems: Problems
) -> None:
    owners = traffic.route_owners(list(documents.values()), settings)
    for (host, gateway), names in sorted(owners.items()):
        if len(names) > 1:
            problems.found.append(
                f"the VirtualServices {', '.join(names)} all bind {host} on {gateway}, which "
                "Istio reports as a conflict (IST0109); give the service another name"
            )


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
