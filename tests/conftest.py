"""Shared fixtures: the test projects, the tiny test pack, and an in-process CLI runner."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
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


def pytest_collection_modifyitems(config, items):
    """Every parametrized case has an id that says what it is: pytest names a value it cannot
    render (a dict, a list, an object) after its argument and position (`args3`), which tells a
    reader of a failure nothing. Such a case stops the run before any test starts."""
    unnamed = [item.nodeid for item in items if _has_positional_id(item)]
    if unnamed:
        raise pytest.UsageError(
            "parametrized cases without an id (give them pytest.param(..., id=...) or ids=):\n  "
            + "\n  ".join(unnamed)
        )


def _has_positional_id(item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return False
    positional = re.compile("|".join(rf"{re.escape(name)}\d+" for name in callspec.params))
    return any(positional.fullmatch(part) for part in callspec.id.split("-"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files with what the code produces now (review the diff, then commit)",
    )


@pytest.fixture
def golden(request):
    """Compare text with a golden file; with --update-golden, write it instead.

    Golden files change only deliberately: a difference fails with the diff and the command
    that accepts it.
    """
    update = request.config.getoption("--update-golden")

    def check(path: Path, text: str) -> None:
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            return
        if not path.exists():
            pytest.fail(f"{path} is missing; create it with pytest --update-golden", pytrace=False)
        expected = path.read_text()
        if text != expected:
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    str(path),
                    "now",
                    n=2,
                )
            )
            pytest.fail(
                f"{path} differs from what the code produces now:\n{diff}\n"
                "If the change is intended, run pytest with --update-golden and commit the file.",
                pytrace=False,
            )

    return check


def packages_imported_by(project: Path, stack: str, candidates: tuple[str, ...]) -> list[str]:
    """Which of `candidates` running the project's program imports, in a fresh interpreter."""
    script = (
        "import json, pathlib, sys\n"
        "from mlrails.engine.run import run_program\n"
        "from mlrails.project import load_project\n"
        f"run_program(load_project(pathlib.Path({str(project)!r}), {stack!r}))\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    imported = json.loads(completed.stdout.strip().splitlines()[-1])
    return [package for package in candidates if package in imported]


@functools.cache
def resolved_plan(directory: Path, stack: str):
    """A project's plan in resolved mode, run once per test session (read-only: copy to change)."""
    from mlrails.engine.run import run_program
    from mlrails.project import load_project

    return run_program(load_project(directory, stack), "resolved")
