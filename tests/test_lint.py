"""The tree stays clean under ruff, with the project's own configuration."""

import shutil
import subprocess
import sys

from tests.conftest import REPO


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(REPO / ".venv" / "bin")) or shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*command, "check", "--output-format", "concise", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
