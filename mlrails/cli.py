"""The `mlrails` command line.

Exit codes: 0 no mandatory violation; 1 at least one mandatory violation; 2 the command line,
the project, its configuration or the program is wrong, or an audit could not read everything
it needed. Heavy modules (the Pulumi SDK, providers, rich) are imported by the command that
needs them, so `mlrails --help` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mlrails import __version__
from mlrails.errors import UserError

if TYPE_CHECKING:
    from mlrails.report.model import Report

FORMATS = ("text", "json", "markdown", "sarif", "junit")
MODES = ("resolved", "preview")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlrails",
        description="Offline preview, policy reports and audits for ML infrastructure on Pulumi.",
    )
    parser.add_argument("--version", action="version", version=f"mlrails {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    preview = commands.add_parser(
        "preview",
        help="run a Pulumi Python project offline and judge it with the policy pack",
        description="Run a Pulumi Python project in-process under mocks (no cloud credentials, "
        "no Pulumi CLI) and evaluate policy packs on what it would create.",
    )
    preview.add_argument("project_dir", metavar="PROJECT_DIR", type=Path)
    preview.add_argument(
        "--stack",
        help="stack whose Pulumi.<stack>.yaml configures the run (default: $PULUMI_STACK, or "
        "the only stack file in the project)",
    )
    preview.add_argument(
        "--mode",
        choices=MODES,
        default="resolved",
        help="resolved: computed values filled deterministically (default); preview: computed "
        "values unknown, as in a first `pulumi preview`",
    )
    preview.add_argument(
        "--policy-pack",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="policy pack directory, repeatable (default: the governance pack bundled with "
        "mlrails; nothing is discovered from the project or its parent folders)",
    )
    preview.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy configuration, the JSON of `pulumi preview --policy-pack-config`",
    )
    preview.add_argument("--no-policy", action="store_true", help="skip policy evaluation")
    preview.add_argument(
        "--stack-outputs",
        type=Path,
        metavar="FILE",
        help="JSON object of stack name to outputs, for the stacks the program reads with "
        "StackReference (default: their outputs are unknown)",
    )
    preview.add_argument(
        "--no-fast-path",
        action="store_true",
        help="run the Pulumi SDK's own code where the engine takes shortcuts (same result, "
        "slower; for debugging the engine; also MLRAILS_NO_FAST_PATH=1)",
    )
    _add_output_arguments(preview, FORMATS, "text")

    diff = commands.add_parser(
        "diff",
        help="compare two preview JSON files (resources and policy violations)",
        description="Compare the JSON of two previews (base and head of a pull request). Exits 1 "
        "when the head introduces a mandatory violation.",
    )
    diff.add_argument("base", metavar="BASE.json", type=Path)
    diff.add_argument("head", metavar="HEAD.json", type=Path)
    diff.add_argument(
        "--max-chars",
        type=_not_negative,
        default=60_000,
        metavar="N",
        help="keep the Markdown within N characters (default: 60000, under GitHub's 65536 "
        "for a comment): details are cut first, with a count of what was left out; 0: no limit",
    )
    _add_output_arguments(diff, ("markdown", "text", "json"), "markdown")

    audit = commands.add_parser(
        "audit",
        help="judge what runs in a live AWS account with the same rules (read-only)",
        description="Read SageMaker, CloudWatch, S3, KMS, SNS and IAM resources of an AWS "
        "account and region (read-only calls only) and evaluate the policy pack on them. "
        "Resource ids are ARNs. Exits 2 when some reads failed and the audit is incomplete, "
        "unless --allow-incomplete.",
    )
    audit.add_argument("--region", help="region to audit (default: the profile's or AWS_REGION)")
    audit.add_argument("--profile", help="AWS profile (default: the environment's credentials)")
    audit.add_argument(
        "--endpoint-url", metavar="URL", help="send every AWS call to URL (an emulator, a proxy)"
    )
    audit.add_argument(
        "--policy-pack", type=Path, metavar="DIR", help="pack directory (default: mlrails' own)"
    )
    audit.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy configuration, the JSON of `pulumi preview --policy-pack-config`",
    )
    audit.add_argument(
        "--workers",
        type=_positive,
        default=8,
        metavar="N",
        help="parallel reads (default: 8)",
    )
    audit.add_argument(
        "--max-attempts",
        type=_positive,
        default=8,
        metavar="N",
        help="attempts per call under botocore's adaptive retries (default: 8)",
    )
    audit.add_argument(
        "--deadline",
        type=_positive,
        default=1800,
        metavar="SECONDS",
        help="stop the audit (exit 2) if it has not finished after SECONDS (default: 1800); "
        "each call also times out after 5 s to connect and 30 s to answer",
    )
    audit.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="exit 0/1 by the violations even if some reads failed (they are still reported)",
    )
    _add_output_arguments(audit, FORMATS, "text")

    policies = commands.add_parser(
        "policies",
        help="print the rule catalogue of the policy pack",
        description="Print the rules of the policy pack: id, enforcement, severity, controls.",
    )
    policies.add_argument(
        "--policy-pack", type=Path, metavar="DIR", help="pack directory (default: mlrails' own)"
    )
    _add_output_arguments(policies, ("text", "json", "markdown"), "text")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _not_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 0")
    return value


def _add_output_arguments(parser: argparse.ArgumentParser, formats, default: str) -> None:
    parser.add_argument("--format", choices=formats, default=default, help=f"default: {default}")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report to FILE (atomically)"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks for errors in programs and packs"
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "preview":
            return _preview(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "audit":
            return _audit(args)
        return _policies(args)
    except UserError as err:
        if args.debug:
            import traceback

            traceback.print_exception(err)
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BaseException as err:
        # Programs and packs are contained where they run; this is the last line, so that
        # nothing (a SystemExit from a library, a defect of mlrails) ends with a traceback or
        # with an exit code that reads as a verdict.
        if args.debug:
            import traceback

            traceback.print_exception(err)
        print(
            f"error: mlrails stopped on {type(err).__name__}: {str(err).rstrip('.')}. This is "
            "not a verdict; run again with --debug for the traceback.",
            file=sys.stderr,
        )
        return 2


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from mlrails.files import write_atomically

    write_atomically(output, text)


def _default_stack(project_dir: Path) -> str:
    from_env = os.environ.get("PULUMI_STACK")
    if from_env:
        return from_env
    from mlrails.project import stack_names

    stacks = stack_names(project_dir)
    if len(stacks) == 1:
        return stacks[0]
    listing = ", ".join(stacks) if stacks else "none"
    raise UserError(f"{project_dir}: which stack? Pass --stack NAME (stack files: {listing}).")


def _write_report(report: Report, args: argparse.Namespace) -> None:
    """The report in --format, to --output or stdout; text on a terminal goes through rich."""
    if args.format == "text" and args.output is None:
        from rich.console import Console

        from mlrails.report.text import write_text

        # Piped, rich would assume 80 columns and squeeze the tables to a few characters.
        write_text(report, Console(width=None if sys.stdout.isatty() else 160))
        return
    from mlrails.report import render

    _emit(render(report, args.format), args.output)


def _preview(args: argparse.Namespace) -> int:
    from mlrails.engine.fast_path import program_garbage_set_aside
    from mlrails.engine.run import run_program
    from mlrails.engine.stack_outputs import read_stack_outputs
    from mlrails.files import check_output
    from mlrails.policy.evaluate import evaluate
    from mlrails.policy.runtime import configure_policy_runtime
    from mlrails.policy.selection import (
        load_packs,
        named_or_bundled_pack,
        policy_settings,
        warn_unmatched_waivers,
    )
    from mlrails.project import load_project
    from mlrails.report.model import Report

    if args.no_policy and (args.policy_pack or args.policy_config):
        raise UserError(
            "--no-policy skips policy evaluation, so --policy-pack and --policy-config have no "
            "effect with it; drop one or the other."
        )
    # Read every input before running anything: a wrong flag must not cost a program run.
    project = load_project(args.project_dir, args.stack or _default_stack(args.project_dir))
    inputs = [project.directory / "Pulumi.yaml", project.program, *args.policy_pack]
    check_output(
        args.output,
        [p for p in [*inputs, project.stack_file, args.policy_config, args.stack_outputs] if p],
    )
    configure_policy_runtime(project)
    packs, settings = [], {}
    if not args.no_policy:
        packs = load_packs(args.policy_pack or [named_or_bundled_pack(None)])
        settings = policy_settings(packs, args.policy_config)
    stack_outputs = read_stack_outputs(args.stack_outputs) if args.stack_outputs else None
    plan = run_program(project, args.mode, stack_outputs, fast=not args.no_fast_path)
    with program_garbage_set_aside():
        findings = evaluate(plan, packs, settings) if packs else []
        warn_unmatched_waivers(plan, settings)
        report = Report(plan=plan, findings=findings, packs=packs, policies_evaluated=bool(packs))
        _write_report(report, args)
    return report.exit_code


def _audit(args: argparse.Namespace) -> int:
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
    _write_report(report, args)
    return report.exit_code


def _diff(args: argparse.Namespace) -> int:
    from mlrails.diff import diff_previews, load_preview, render_diff
    from mlrails.errors import warn
    from mlrails.files import check_output
    from mlrails.preview_document import projects_differ

    check_output(args.output, [args.base, args.head])
    base, head = load_preview(args.base), load_preview(args.head)
    if projects_differ(base, head):
        warn(
            f"{args.base} is a preview of project {base['project']!r} and {args.head} of "
            f"{head['project']!r}: every resource shows as removed and added. Compare two "
            "previews of the same project."
        )
    result = diff_previews(base, head)
    full = f"mlrails diff {args.base} {args.head} --format text"
    _emit(render_diff(result, args.format, args.max_chars, full), args.output)
    return result.exit_code


def _policies(args: argparse.Namespace) -> int:
    from mlrails.catalogue import render_catalogue
    from mlrails.files import check_output
    from mlrails.policy.pack import load_pack
    from mlrails.policy.selection import named_or_bundled_pack

    check_output(args.output, [args.policy_pack] if args.policy_pack else [])
    directory = named_or_bundled_pack(args.policy_pack)
    _emit(render_catalogue(load_pack(directory), args.format), args.output)
    return 0
