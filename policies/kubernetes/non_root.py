"""k8s-non-root: containers run as a non-root user without privilege escalation."""

from pulumi_policy import EnforcementLevel, Severity

from policies.framework.rule import Controls, Rule
from policies.framework.wire import UNKNOWN, get, is_true, undecided
from policies.kubernetes.pods import WORKLOADS, all_containers


def check(args, options):
    for label, container, pod in all_containers(args):
        # runAsNonRoot may be set on the container or inherited from the pod.
        non_root = {
            is_true(get(container, "securityContext", "runAsNonRoot")),
            is_true(get(pod, "securityContext", "runAsNonRoot")),
        }
        escalation = get(container, "securityContext", "allowPrivilegeEscalation")
        privileged = is_true(get(container, "securityContext", "privileged"))
        if (True not in non_root and UNKNOWN in non_root) or UNKNOWN in (escalation, privileged):
            raise undecided(f"the security context of {label} can't be known during preview")
        if True not in non_root:
            yield f"{label} may run as root: set securityContext.runAsNonRoot=true"
        if escalation is None or is_true(escalation):
            yield f"{label} allows privilege escalation: set securityContext.allowPrivilegeEscalation=false"
        if privileged:
            yield f"{label} runs privileged"


RULE = Rule(
    id="k8s-non-root",
    description="Pod specs and InferenceServices run as non-root without privilege escalation.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Set runAsNonRoot=true and allowPrivilegeEscalation=false in the container "
    "securityContext (InferenceService hardens its pods by default).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        hipaa=("164.312(a)(1)",),
        soc2=("CC6.1", "CC6.3"),
    ),
    judges=WORKLOADS,
    check=check,
)
