"""`mlrails preview`: run a Pulumi Python project offline and judge what it would create."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mlrails.cli.arguments import FORMATS, MODES, add_output_arguments
from mlrails.cli.output import write_report
from mlrails.errors import UserError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "preview",
        help="run a Pulumi Python project offline and judge it with the policy pack",
        description="Run a Pulumi Python project in-process under mocks (no cloud credentials, "
        "no Pulumi CLI) and evaluate policy packs on what it would create.",
    )
    parser.add_argument("project_dir", metavar="PROJECT_DIR", type=Path)
    parser.add_argument(
        "--stack",
        help="stack whose Pulumi.<stack>.yaml configures the run (default: $PULUMI_STACK, or "
        "the only stack file in the project)",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="resolved",
        help="resolved: computed values filled deterministically (default); preview: computed "
        "values unknown, as in a first `pulumi preview`",
    )
    parser.add_argument(
        "--policy-pack",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="policy pack directory, repeatable (default: the governance pack bundled with "
        "mlrails; nothing is discovered from the project or its parent folders)",
    )
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy configuration, the JSON of `pulumi preview --policy-pack-config`",
    )
    parser.add_argument("--no-policy", action="store_true", help="skip policy evaluation")
    parser.add_argument(
        "--stack-outputs",
        type=Path,
        metavar="FILE",
        help="JSON object of stack name to outputs, for the stacks the program reads with "
        "StackReference (default: their outputs are unknown)",
    )
    parser.add_argument(
        "--no-fast-path",
        action="store_true",
        help="run the Pulumi SDK's own code where the engine takes shortcuts (same result, "
        "slower; for debugging the engine; also MLRAILS_NO_FAST_PATH=1)",
    )
    add_output_arguments(parser, FORMATS, "text")


def run(args: argparse.Namespace) -> int:
    from mlrails.engine.fast_path import no_final_collection, program_garbage_set_aside
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
    project = load_project(args.project_dir, args.stack or default_stack(args.project_dir))
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
        write_report(report, args)
    if not args.no_fast_path:
        no_final_collection()
    return report.exit_code


def default_stack(project_dir: Path) -> str:
    from_env = os.environ.get("PULUMI_STACK")
    if from_env:
        return from_env
    from mlrails.project import stack_names

    stacks = stack_names(project_dir)
    if len(stacks) == 1:
        return stacks[0]
    listing = ", ".join(stacks) if stacks else "none"
    raise UserError(f"{project_dir}: which stack? Pass --stack NAME (stack files: {listing}).")
