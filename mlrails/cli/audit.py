"""`mlrails audit`: judge what runs in a live AWS account with the same rules, read-only."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlrails.cli.arguments import FORMATS, add_output_arguments, positive
from mlrails.cli.output import write_report


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "audit",
        help="judge what runs in a live AWS account with the same rules (read-only)",
        description="Read SageMaker, CloudWatch, S3, KMS, SNS and IAM resources of an AWS "
        "account and region (read-only calls only) and evaluate the policy pack on them. "
        "Resource ids are ARNs. Exits 2 when some reads failed and the audit is incomplete, "
        "unless --allow-incomplete.",
    )
    parser.add_argument("--region", help="region to audit (default: the profile's or AWS_REGION)")
    parser.add_argument("--profile", help="AWS profile (default: the environment's credentials)")
    parser.add_argument(
        "--endpoint-url", metavar="URL", help="send every AWS call to URL (an emulator, a proxy)"
    )
    parser.add_argument(
        "--policy-pack", type=Path, metavar="DIR", help="pack directory (default: mlrails' own)"
    )
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy configuration, the JSON of `pulumi preview --policy-pack-config`",
    )
    parser.add_argument(
        "--workers",
        type=positive,
        default=8,
        metavar="N",
        help="parallel reads (default: 8)",
    )
    parser.add_argument(
        "--max-attempts",
        type=positive,
        default=8,
        metavar="N",
        help="attempts per call under botocore's adaptive retries (default: 8)",
    )
    parser.add_argument(
        "--deadline",
        type=positive,
        default=1800,
        metavar="SECONDS",
        help="stop the audit (exit 2) if it has not finished after SECONDS (default: 1800); "
        "each call also times out after 5 s to connect and 30 s to answer",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="exit 0/1 by the violations even if some reads failed (they are still reported)",
    )
    add_output_arguments(parser, FORMATS, "text")


def run(args: argparse.Namespace) -> int:
    from mlrails.audit.clients import Clients
    from mlrails.audit.run import progress_bar, run_audit
    from mlrails.files import check_output
    from mlrails.policy.pack import load_pack
    from mlrails.policy.selection import named_or_bundled_pack, policy_settings

    check_output(args.output, [p for p in (args.policy_pack, args.policy_config) if p])
    packs = [load_pack(named_or_bundled_pack(args.policy_pack))]
    settings = policy_settings(packs, args.policy_config)
    clients = Clients(
        region=args.region,
        profile=args.profile,
        endpoint_url=args.endpoint_url,
        workers=args.workers,
        max_attempts=args.max_attempts,
        deadline=args.deadline,
    )
    bar, update = progress_bar(enabled=args.format != "json")
    if bar is not None:
        bar.start()
    try:
        report = run_audit(
            clients,
            packs,
            settings,
            workers=args.workers,
            progress=update,
            allow_incomplete=args.allow_incomplete,
        )
    finally:
        if bar is not None:
            bar.stop()
    write_report(report, args)
    return report.exit_code
