"""What the faults of a scan mean for the rules: which verdicts could not be reached.

A listing that failed leaves every rule that depends on its types not evaluated for the whole
account: their findings (a rule would see no schedules and call every endpoint unmonitored)
are replaced by one "not evaluated" finding naming the fault. A read that failed for one
resource does the same for that resource only. Findings not evaluated for want of a value that
could not be read say which read failed, instead of the preview's wording.
"""

from __future__ import annotations

import fnmatch

from mlrails.audit.faults import Fault
from mlrails.plan import Plan
from mlrails.policy.active import Settings, active_policies
from mlrails.policy.findings import NOT_EVALUATED_PREFIX, Finding
from mlrails.policy.pack import LoadedPack
from mlrails_policies.framework.rule import Rule

_UNREAD = "could not read it: "


def account_for_faults(
    findings: list[Finding],
    faults: list[Fault],
    plan: Plan,
    packs: list[LoadedPack],
    settings: Settings,
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
    unseen: set[tuple[str, str, str]] = set()  # (pack, policy, urn): that verdict does not
    not_evaluated: list[Finding] = []
    for active in active_policies(packs, settings):
        rule = active.rule
        if rule is None:
            continue
        listing = next((f for f in listings if _depends(rule, f)), None)
        if listing is not None:
            reason = f"{listing.describe()} (no {', '.join(listing.types)} could be listed)"
            not_evaluated.append(active.not_evaluated(None, reason))
            if rule.stack:
                # Its verdicts rest on resources it could not see: none of them stands.
                unseen_rules.add((active.pack.name, active.name))
                continue
        for urn, resource_faults in by_resource.items():
            own_type = types_by_urn.get(urn, "")
            unread = next((f for f in resource_faults if _needs(rule, f, own_type)), None)
            if unread is None or not rule.judges_type(own_type):
                continue
            unseen.add((active.pack.name, active.name, urn))
            not_evaluated.append(active.not_evaluated(urn, f"{_UNREAD}{unread.describe()}"))
    kept = [
        f
        for f in findings
        if (f.pack, f.policy) not in unseen_rules and (f.pack, f.policy, f.urn) not in unseen
    ]
    return [_explained(f, by_resource) for f in kept + not_evaluated]


def _depends(rule: Rule, fault: Fault) -> bool:
    return any(rule.depends_on_type(t) for t in fault.types)


def _needs(rule: Rule, fault: Fault, own_type: str) -> bool:
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
    """A finding not evaluated for want of an unread value names the read that failed."""
    faults = by_resource.get(finding.urn or "")
    if not finding.is_not_evaluated or not faults or _UNREAD in finding.message:
        return finding
    reasons = "; ".join(f.describe() for f in faults)
    finding.message = f"{NOT_EVALUATED_PREFIX}{_UNREAD}{reasons}"
    return finding
