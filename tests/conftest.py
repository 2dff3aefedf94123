"""Shared fixtures: the test projects, the tiny test pack, and an in-process CLI runner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlrails.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
PROJECTS = TESTS / "projects"
TINY_PACK = TESTS / "packs" / "tiny"


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    """Run `mlrails ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: object) -> CliResult:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse rejects the command line this way
            code = exit_.code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
