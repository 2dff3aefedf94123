"""`mlrails diff`: compare the JSON of two previews, as a pull request comment or text."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlrails.cli.arguments import add_output_arguments, not_negative
from mlrails.cli.output import emit


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "diff",
        help="compare two preview JSON files (resources and policy violations)",
        description="Compare the JSON of two previews (base and head of a pull request). Exits 1 "
        "when the head introduces a mandatory violation.",
    )
    parser.add_argument("base", metavar="BASE.json", type=Path)
    parser.add_argument("head", metavar="HEAD.json", type=Path)
    parser.add_argument(
        "--max-chars",
        type=not_negative,
        default=60_000,
        metavar="N",
        help="keep the Markdown within N characters (default: 60000, under GitHub's 65536 "
        "for a comment): details are cut first, with a count of what was left out; 0: no limit",
    )
    add_output_arguments(parser, ("markdown", "text", "json"), "markdown")


def run(args: argparse.Namespace) -> int:
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
    emit(render_diff(result, args.format, args.max_chars, full), args.output)
    return result.exit_code
