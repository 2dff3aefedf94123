"""Writing a command's result: to --output atomically, or to stdout (text through rich)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlrails.report.model import Report


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from mlrails.files import write_atomically

    write_atomically(output, text)


def write_report(report: Report, args: argparse.Namespace) -> None:
    """The report in --format, to --output or stdout; text on a terminal goes through rich."""
    if args.format == "text" and args.output is None:
        from rich.console import Console

        from mlrails.report.text import write_text

        # Piped, rich would assume 80 columns and squeeze the tables to a few characters.
        write_text(report, Console(width=None if sys.stdout.isatty() else 160))
        return
    from mlrails.report import render

    emit(render(report, args.format), args.output)
