"""k8s-non-root: containers run as a non-root user without privilege escalation."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluatedError
from mlrails_policies.framework.wire import UNKNOWN, get, is_true
from mlrails_policies.kubernetes.pods import WORKLOADS, all_containers


def check(args, options):
    for label, container, pod in all_containers(args):
        # The container's runAsNonRoot overrides the pod's, which applies only when it is unset.
        run_as_non_root = get(container, "securityContext", "runAsNonRoot")
        if run_as_non_root is None:
            run_as_non_root = get(pod, "securityContext", "runAsNonRoot")
        non_root = is_true(run_as_non_root)
        escalation = get(container, "securityContext", "allowPrivilegeEscalation")
        privileged = is_true(get(container, "securityContext", "privileged"))
        if UNKNOWN in (non_root, escalation, privileged):
            raise NotEvaluatedError(
                f"the security context of {label} can't be known during preview"
            )
        if not non_root:
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
