"""What every command's arguments share: the report formats, output flags and number types."""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("text", "json", "markdown", "sarif", "junit")
MODES = ("resolved", "preview")


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def not_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 0")
    return value


def add_output_arguments(
    parser: argparse.ArgumentParser, formats: tuple[str, ...], default: str
) -> None:
    parser.add_argument("--format", choices=formats, default=default, help=f"default: {default}")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report to FILE (atomically)"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks for errors in programs and packs"
    )
