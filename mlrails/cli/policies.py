"""`mlrails policies`: the rule catalogue of a policy pack."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlrails.cli.arguments import add_output_arguments
from mlrails.cli.output import emit


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "policies",
        help="print the rule catalogue of the policy pack",
        description="Print the rules of the policy pack: id, enforcement, severity, controls.",
    )
    parser.add_argument(
        "--policy-pack", type=Path, metavar="DIR", help="pack directory (default: mlrails' own)"
    )
    add_output_arguments(parser, ("text", "json", "markdown"), "text")


def run(args: argparse.Namespace) -> int:
    from mlrails.catalogue import render_catalogue
    from mlrails.files import check_output
    from mlrails.policy.pack import load_pack
    from mlrails.policy.selection import named_or_bundled_pack

    check_output(args.output, [args.policy_pack] if args.policy_pack else [])
    directory = named_or_bundled_pack(args.policy_pack)
    emit(render_catalogue(load_pack(directory), args.format), args.output)
    return 0
