"""InferenceService: a KServe model server with canary or shadow rollout, alerts and hardened pods."""

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.kubernetes import manifests, monitoring, traffic
from components.kubernetes.args import InferenceServiceArgs
from components.kubernetes.schemas import manifest_problems
from components.kubernetes.validation import validate
from components.support.tokens import renamed_from, token
from components.support.validation import Problems

_CORE_KINDS = {
    ("v1", "Namespace"): k8s.core.v1.Namespace,
    ("v1", "ServiceAccount"): k8s.core.v1.ServiceAccount,
    ("networking.k8s.io/v1", "NetworkPolicy"): k8s.networking.v1.NetworkPolicy,
    ("policy/v1", "PodDisruptionBudget"): k8s.policy.v1.PodDisruptionBudget,
}


class InferenceService(pulumi.ComponentResource):
    """A KServe InferenceService (serving.kserve.io/v1beta1) on Knative, guarded and hardened.

    Defaults: a namespace enforcing the restricted Pod Security Standard; pods that run as a
    non-root user with a read-only root filesystem, no privilege escalation, every capability
    dropped and the RuntimeDefault seccomp profile; a ServiceAccount without an API token; two
    to four pods autoscaled on concurrency, with a PodDisruptionBudget; a NetworkPolicy that
    admits only the ingress gateway, Knative's activator and the monitoring namespace; a
    ServiceMonitor and a PrometheusRule with error-rate and p99-latency alerts on the predictor,
    on a canary revision separately, and on a shadow.

    Rollout: set `canary_traffic_percent` with a new model to send that share to the new
    revision (KServe supports canaries in its Serverless mode); remove it to promote, set 0 to
    roll back. Or set `shadow` to mirror a share of live requests to a candidate whose answers
    are dropped.
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
        self._settings = manifests.resolve(name, args)
        self._documents = self._manifests(args)
        _check_schemas(self._documents, problems)
        problems.raise_if_any()

        self.namespace = self._create_namespace()
        self.service_account = self._create_service_account()
        self.inference_service = self._create_custom("inference-service")
        self.shadow_service = self._create_custom("shadow")
        self.mirror = self._create_custom("mirror")
        self.alert_rule = self._create_custom("alerts")
        monitors = [self._create_custom(r) for r in ("service-monitor", "shadow-service-monitor")]
        self.service_monitors = [m for m in monitors if m is not None]
        self.network_policy = self._create_core("network-policy")
        self.disruption_budget = self._create_core("disruption-budget")

        settings = self._settings
        self.service_name = self.inference_service.metadata.apply(lambda m: m["name"])
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

    # --- manifests -------------------------------------------------------------------------

    def _manifests(self, args: InferenceServiceArgs) -> dict[str, dict[str, Any]]:
        """Every object by its role; the child of a role is named `<name>-<role>`."""
        settings = self._settings
        documents: dict[str, dict[str, Any]] = {}
        if args.get("create_namespace", True):
            documents["namespace"] = manifests.namespace(settings)
        if settings.create_service_account:
            documents["service-account"] = manifests.service_account(settings)
        documents["inference-service"] = manifests.inference_service(settings, settings.primary)
        if settings.shadow:
            documents["shadow"] = manifests.inference_service(settings, settings.shadow)
            documents["mirror"] = traffic.mirror(settings)
        documents["alerts"] = monitoring.prometheus_rule(settings)
        documents["service-monitor"] = monitoring.service_monitor(settings, settings.primary)
        if settings.shadow:
            documents["shadow-service-monitor"] = monitoring.service_monitor(
                settings, settings.shadow
            )
        documents["network-policy"] = traffic.network_policy(settings)
        # With one pod a budget would block node drains; from two on, all but one stay up.
        if settings.primary.min_replicas >= 2:
            documents["disruption-budget"] = manifests.disruption_budget(settings)
        return documents

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


def _check_schemas(documents: dict[str, dict[str, Any]], problems: Problems) -> None:
    for document in documents.values():
        for problem in manifest_problems(document):
            problems.found.append(
                f"the {document['kind']} {document['metadata']['name']} would not pass its "
                f"schema: {problem}; check the arguments it is built from"
            )


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
