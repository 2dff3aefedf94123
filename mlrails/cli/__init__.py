"""The `mlrails` command line.

Exit codes: 0 no mandatory violation; 1 at least one mandatory violation; 2 the command line,
the project, its configuration or the program is wrong, or an audit could not read everything
it needed. Heavy modules (the Pulumi SDK, providers, rich) are imported by the command that
needs them, so `mlrails --help` is instant.
"""

from __future__ import annotations

import argparse
import sys

from mlrails import __version__
from mlrails.cli import audit, diff, policies, preview
from mlrails.cli.arguments import FORMATS, MODES
from mlrails.errors import UserError

__all__ = ["FORMATS", "MODES", "build_parser", "main"]

# The commands, in the order `mlrails --help` lists them; each module adds its own arguments.
COMMANDS = {"preview": preview, "diff": diff, "audit": audit, "policies": policies}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlrails",
        description="Offline preview, policy reports and audits for ML infrastructure on Pulumi.",
    )
    parser.add_argument("--version", action="version", version=f"mlrails {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS.values():
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command].run(args)
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
