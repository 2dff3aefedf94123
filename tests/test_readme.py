"""The README's promise: two commands set everything up, and CI runs the second verbatim."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import REPO

README = (REPO / "README.md").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_the_quick_start_is_two_commands():
    assert quick_start_commands() == ["make preview", "make check"]


def test_the_fast_suite_is_the_whole_suite_without_the_slow_tests():
    makefile = (REPO / "Makefile").read_text()
    fast = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert '\t$(BIN)/python -m pytest -q -m "not slow" -n 2 --dist loadfile' in fast
    check = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    # Everything, the slow tests too (no marker filter), on the same two workers.
    assert check.startswith(" lint\n")
    assert "\t$(BIN)/python -m pytest -q -n 2 --dist loadfile\n" in check + "\n"


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert quick_start_commands()[1] in [line.strip() for line in ci]


@pytest.mark.slow  # `make preview` itself, as a user runs it
def test_the_main_job_prints_the_tree_the_compliance_view_and_a_verdict():
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", quick_start_commands()[0].split()[1]],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "pulumi:pulumi:Stack  ml-platform-prod" in out
    assert "mlrails:index:ModelEndpoint  churn" in out
    assert "Compliance by control" in out and "EU AI Act" in out
    assert out.rstrip().splitlines()[-1].startswith("PASS  0 mandatory")


def test_the_documents_the_readme_links_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (REPO / target).exists(), target
