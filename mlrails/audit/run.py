"""An audit from start to report: who we are, the scan, the rules, the gaps."""

from __future__ import annotations

import sys
from collections.abc import Callable

from mlrails.audit.clients import Clients
from mlrails.audit.gaps import account_for_faults
from mlrails.audit.readers import READERS
from mlrails.audit.scan import Reader, ReadFailed, Scan
from mlrails.errors import UserError
from mlrails.plan import Plan
from mlrails.policy.evaluate import evaluate
from mlrails.policy.pack import LoadedPack
from mlrails.report.model import AUDIT, Report


def run_audit(
    clients: Clients,
    packs: list[LoadedPack],
    settings: dict,
    *,
    workers: int,
    readers: list[Reader] | None = None,
    progress: Callable[[int, int], None] | None = None,
    allow_incomplete: bool = False,
) -> Report:
    scan = Scan(clients, account=_account(clients))
    result = scan.run(READERS if readers is None else readers, workers, progress)
    plan = Plan(
        project=f"aws-account-{result.account}",
        stack=result.region,
        mode=AUDIT,
        resources=result.records,
    )
    findings = evaluate(plan, packs, settings) if packs else []
    findings = account_for_faults(findings, result.faults, plan, packs, settings)
    return Report(
        plan=plan,
        findings=findings,
        packs=packs,
        policies_evaluated=bool(packs),
        faults=result.faults,
        allow_incomplete=allow_incomplete,
        api_calls=result.calls,
    )


def _account(clients: Clients) -> str:
    """The account under audit; without it no ARN can be formed, so a failure here stops."""
    probe = Scan(clients, account="")
    try:
        identity = probe.call("sts", "GetCallerIdentity")
    except ReadFailed as failed:
        raise UserError(
            f"cannot tell which AWS account to audit: {failed.fault.describe()}. Check the "
            "credentials (--profile, AWS_PROFILE) and --endpoint-url."
        ) from None
    except (KeyError, TypeError, ValueError) as err:
        # botocore could not parse the answer: the endpoint is not an AWS API (an HTML page).
        raise UserError(
            "cannot tell which AWS account to audit: sts:GetCallerIdentity got an answer that "
            f"is not an AWS API response ({type(err).__name__}: {err}). Check --endpoint-url "
            "and any proxy in between."
        ) from None
    account = identity.get("Account") if isinstance(identity, dict) else None
    if not isinstance(account, str) or not account:
        # An endpoint that answers 200 with something else (an HTML page, a proxy's login).
        raise UserError(
            "cannot tell which AWS account to audit: sts:GetCallerIdentity answered without an "
            "account id, so the endpoint is not an AWS API. Check --endpoint-url and any proxy."
        )
    return account


def progress_bar(enabled: bool):
    """A progress bar on stderr, or None when stderr is not a terminal."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("resources read"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("audit", total=None)

    def update(done: int, found: int) -> None:
        bar.update(task, completed=done, total=max(found, 1))

    return bar, update
