"""k8s-resource-limits: every container requests and limits CPU and memory."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import get, is_set
from mlrails_policies.kubernetes.pods import WORKLOADS, all_containers

FIELDS = [(kind, resource) for kind in ("requests", "limits") for resource in ("cpu", "memory")]


def check(args, options):
    for label, container, _ in all_containers(args):
        missing = [f"{k}.{r}" for k, r in FIELDS if not is_set(get(container, "resources", k, r))]
        if missing:
            yield f"{label} sets no {', '.join(missing)}: it can starve its neighbours or be evicted first"


RULE = Rule(
    id="k8s-resource-limits",
    description="Workload containers and InferenceService models set cpu and memory requests and limits.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Set resources.requests and resources.limits for cpu and memory on every container "
    "(InferenceService requires them).",
    controls=Controls(nist_ai_rmf=("MANAGE 2.4",), iso_42001=("A.6.2.6",), soc2=("CC9.1",)),
    judges=WORKLOADS,
    check=check,
)
