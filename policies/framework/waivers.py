"""Waivers: an accepted, time-boxed exception to a rule for named resources.

A waiver lives in the policy configuration under the rule it waives, so the same file works
with `pulumi preview --policy-pack-config` and with `mlrails preview --policy-config`:

    {"s3-bucket-versioning": {"waivers": [
        {"resource": "*scratch*", "reason": "throwaway data, JIRA ML-42", "expires": "2027-03-31"}]}}

`resource` is a URN or a glob over URNs and logical names. A waiver holds through its expiry
date; once expired it counts as no waiver and the violation says so. The pack honours waivers
itself under the real engine (`policies.framework.rule`), so they are parsed here; the offline
engine imports the same parser to mark waived findings in its reports.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from typing import Any

WAIVERS_OPTION = "waivers"

WAIVERS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "Accepted exceptions: {resource (URN or glob), reason, expires (YYYY-MM-DD)}.",
    "items": {
        "type": "object",
        "properties": {
            "policy": {"type": "string"},
            "resource": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 1},
            "expires": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
        "required": ["resource", "reason", "expires"],
        "additionalProperties": False,
    },
    "default": [],
}


class WaiverError(ValueError):
    """A waiver that cannot be honoured as written."""


@dataclass(frozen=True)
class Waiver:
    policy: str
    resource: str
    reason: str
    expires: dt.date

    def covers(self, urn: str | None) -> bool:
        if urn is None:
            return self.resource in ("*", "(stack)")
        name = urn.rsplit("::", 1)[-1]
        return fnmatch.fnmatchcase(urn, self.resource) or fnmatch.fnmatchcase(name, self.resource)

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def note(self) -> str:
        return f"waiver expired on {self.expires.isoformat()}: {self.reason}"


def parse_waivers(policy: str, raw: Any) -> tuple[Waiver, ...]:
    """Waivers of `policy` from its configuration; WaiverError names what is wrong."""
    if raw in (None, []):
        return ()
    if not isinstance(raw, list):
        raise WaiverError(f"`{policy}.waivers` must be a list of waivers, not {raw!r}")
    waivers = []
    for index, item in enumerate(raw):
        where = f"`{policy}.waivers[{index}]`"
        if not isinstance(item, dict):
            raise WaiverError(f"{where} must be an object, not {item!r}")
        missing = [k for k in ("resource", "reason", "expires") if not item.get(k)]
        if missing:
            raise WaiverError(
                f"{where} has no {', '.join(missing)}; every waiver needs the resource it "
                "covers, a reason and an expiry date (YYYY-MM-DD)"
            )
        if item.get("policy", policy) != policy:
            raise WaiverError(
                f"{where} names policy {item['policy']!r} but sits under {policy!r}; move it"
            )
        try:
            expires = dt.date.fromisoformat(str(item["expires"]))
        except ValueError as err:
            raise WaiverError(
                f"{where}.expires is {item['expires']!r}; use a date such as 2027-03-31"
            ) from err
        waivers.append(Waiver(policy, str(item["resource"]), str(item["reason"]), expires))
    return tuple(waivers)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def find_waiver(
    waivers: tuple[Waiver, ...], urn: str | None, on: dt.date
) -> tuple[Waiver | None, Waiver | None]:
    """(the active waiver covering `urn`, else an expired one that did), for one violation."""
    expired = None
    for waiver in waivers:
        if waiver.covers(urn):
            if not waiver.expired(on):
                return waiver, None
            expired = expired or waiver
    return None, expired


def unmatched(waivers: tuple[Waiver, ...], urns: list[str]) -> list[Waiver]:
    """The waivers that cover none of `urns` (nor the stack): a typo, or a resource gone."""
    return [w for w in waivers if not w.covers(None) and not any(w.covers(u) for u in urns)]
