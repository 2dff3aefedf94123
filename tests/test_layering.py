"""Dependencies run one way: the engine and the CLI (`mlrails`) use the components and the pack,
never the reverse, so a user's program and the real Pulumi engine's pack load without mlrails.

Each package is imported, every module of it, in a fresh interpreter; what that interpreter
loaded is the evidence (an import in a function body counts once it runs, so the pack's rules
are also built, as its `__main__.py` does).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

# Imports every module of the package except entry points, runs `then`, and prints the names of
# the loaded modules that belong to mlrails.
PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module({package!r})
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
{then}
print(json.dumps(sorted(m for m in sys.modules if m == "mlrails" or m.startswith("mlrails."))))
"""

PACKAGES = [
    pytest.param("mlrails_policies", "package.policies()", id="policies-and-its-rules-built"),
    pytest.param("mlrails_components", "", id="components"),
]


@pytest.mark.parametrize(("package", "then"), PACKAGES)
def test_the_package_loads_no_mlrails_module(package, then):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(package=package, then=then)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_the_probe_sees_an_mlrails_import():
    """The check can fail: importing the CLI is reported."""
    probe = PROBE.format(package="mlrails_policies", then="import mlrails.cli")
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "mlrails.cli" in json.loads(result.stdout.splitlines()[-1])
