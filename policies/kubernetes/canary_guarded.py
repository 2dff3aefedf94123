"""k8s-canary-guarded: an InferenceService canary is watched by a PrometheusRule alert."""

import re

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN, get, is_set, items
from mlrails_policies.kubernetes.pods import INFERENCE_SERVICE

PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"
VIRTUAL_SERVICE = "kubernetes:networking.istio.io/*:VirtualService"
PREDICTOR_SUFFIX = "-predictor"  # KServe names a predictor's Service <isvc>-predictor


def _alert_texts(rule):
    """Expressions and labels of the rule's alerts, where an alert names what it watches."""
    texts = []
    for group in items(get(rule.props, "spec", "groups")):
        for alert in items(group.get("rules") if isinstance(group, dict) else None):
            if isinstance(alert, dict) and is_set(alert.get("alert")):
                texts.append(str(alert.get("expr", "")))
                labels = alert.get("labels")
                if isinstance(labels, dict):
                    texts.extend(str(v) for v in labels.values())
    return texts


def _named(texts) -> set[str]:
    """Names an alert may refer to: each token and its dash prefixes (fraud-predictor -> fraud)."""
    names: set[str] = set()
    for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.-]*", " ".join(texts)):
        parts = token.split("-")
        names.update("-".join(parts[: i + 1]) for i in range(len(parts)))
    return names


def _split_services(index) -> set[str]:
    """InferenceServices sharing traffic by weight in a VirtualService route: a RawDeployment
    canary, where KServe's canaryTrafficPercent does not apply and the split is Istio's."""
    split = set()
    for virtual_service in index.of_type(VIRTUAL_SERVICE):
        for route in items(get(virtual_service.props, "spec", "http")):
            hosts = [
                get(destination, "destination", "host")
                for destination in items(route.get("route") if isinstance(route, dict) else None)
            ]
            names = {
                host.split(".")[0].removesuffix(PREDICTOR_SUFFIX)
                for host in hosts
                if isinstance(host, str) and host.split(".")[0].endswith(PREDICTOR_SUFFIX)
            }
            if len(names) >= 2:
                split |= names
    return split


def check(index, options):
    watched = set()
    for rule in index.of_type(PROMETHEUS_RULE):
        watched |= _named(_alert_texts(rule))
    split = _split_services(index)
    for service in index.of_type(INFERENCE_SERVICE):
        canary = get(service.props, "spec", "predictor", "canaryTrafficPercent")
        name = get(service.props, "metadata", "name")
        if canary is None and name not in split:
            continue
        guarded = bool(index.referrers(service, PROMETHEUS_RULE)) or (
            isinstance(name, str) and name in watched
        )
        if guarded:
            continue
        if name is UNKNOWN:
            yield NotEvaluated(
                service.urn,
                "its name can't be known during preview, so no alert can be matched to it",
            )
        else:
            yield Violation(
                service.urn,
                f"InferenceService {name} sends a canary share of traffic but no PrometheusRule "
                "alert watches it: a bad revision would not be noticed or rolled back",
            )


RULE = Rule(
    id="k8s-canary-guarded",
    description="Each InferenceService with a canary has a PrometheusRule alert on it.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Add a PrometheusRule with error-rate and latency alerts on the service "
    "(components.kubernetes.InferenceService creates one).",
    controls=Controls(
        eu_ai_act=("Art. 14",),
        nist_ai_rmf=("MANAGE 4.1",),
        iso_42001=("A.6.2.6",),
        soc2=("CC7.2",),
    ),
    judges=(INFERENCE_SERVICE,),
    reads=(PROMETHEUS_RULE, VIRTUAL_SERVICE),
    check=check,
    stack=True,
)
