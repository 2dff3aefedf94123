"""What the faults of a scan mean for the rules: which verdicts could not be reached.

A listing that failed leaves every rule that depends on its types unevaluated for the whole
account: their findings (a rule would see no schedules and call every endpoint unmonitored)
are replaced by one "not evaluated" finding naming the fault. A read that failed for one
resource does the same for that resource only. Findings left undecided by a value that could
not be read say which read failed, instead of the preview's wording.
"""

from __future__ import annotations

import fnmatch

from pulumi_policy import EnforcementLevel

from mlrails.audit.faults import Fault
from mlrails.plan import Plan
from mlrails.policy.evaluate import NOT_EVALUATED, NOT_EVALUATED_PREFIX, Finding, not_evaluated
from mlrails.policy.pack import LoadedPack

_UNREAD = "could not read it: "


def account_for_faults(
    findings: list[Finding],
    faults: list[Fault],
    plan: Plan,
    packs: list[LoadedPack],
    settings: dict,
) -> list[Finding]:
    gaps = [f for f in faults if f.blocks_completeness]
    if not gaps:
        return findings
    types_by_urn = {r.urn: r.type for r in plan.resources}
    listings = [f for f in gaps if f.resource is None]
    by_resource: dict[str, list[Fault]] = {}
    for fault in gaps:
        if fault.resource is not None:
            by_resource.setdefault(fault.resource, []).append(fault)
    unseen_rules: set[tuple[str, str]] = set()  # (pack, policy): none of its verdicts stands
    undecided: set[tuple[str, str, str]] = set()  # (pack, policy, urn): that verdict does not
    unevaluated: list[Finding] = []
    for pack in packs:
        for policy in pack.policies:
            rule = getattr(policy, "rule", None)
            level = settings[(pack.name, policy.name)].enforcement
            if rule is None or level == EnforcementLevel.DISABLED:
                continue
            listing = next((f for f in listings if _depends(rule, f)), None)
            if listing is not None:
                reason = f"{listing.describe()} (no {', '.join(listing.types)} could be listed)"
                unevaluated.append(not_evaluated(pack, policy, level, None, reason))
                if rule.stack:
                    # Its verdicts rest on resources it could not see: none of them stands.
                    unseen_rules.add((pack.name, policy.name))
                    continue
            for urn, resource_faults in by_resource.items():
                own_type = types_by_urn.get(urn, "")
                fault = next((f for f in resource_faults if _needs(rule, f, own_type)), None)
                if fault is None or not rule.judges_type(own_type):
                    continue
                undecided.add((pack.name, policy.name, urn))
                unevaluated.append(
                    not_evaluated(pack, policy, level, urn, f"{_UNREAD}{fault.describe()}")
                )
    kept = [
        f
        for f in findings
        if (f.pack, f.policy) not in unseen_rules and (f.pack, f.policy, f.urn) not in undecided
    ]
    return [_explained(f, by_resource) for f in kept + unevaluated]


def _depends(rule, fault: Fault) -> bool:
    return any(rule.depends_on_type(t) for t in fault.types)


def _needs(rule, fault: Fault, own_type: str) -> bool:
    """Whether a rule's verdict on one resource needs what a fault left unread about it: the
    resource itself, or a type the rule names (not one it covers by a glob such as `aws:*`, so
    a bucket's unread encryption leaves its tag verdict standing)."""
    return any(
        t == own_type
        or t in rule.judges
        or any(fnmatch.fnmatchcase(t, pattern) for pattern in rule.reads)
        for t in fault.types
    )


def _explained(finding: Finding, by_resource: dict[str, list[Fault]]) -> Finding:
    """A finding left undecided by an unread value names the read that failed."""
    faults = by_resource.get(finding.urn or "")
    if finding.status != NOT_EVALUATED or not faults or _UNREAD in finding.message:
        return finding
    reasons = "; ".join(f.describe() for f in faults)
    finding.message = f"{NOT_EVALUATED_PREFIX}{_UNREAD}{reasons}"
    return finding
