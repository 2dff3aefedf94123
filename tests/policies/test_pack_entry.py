"""The pack's entry point under the Pulumi engine: the engine runs `__main__.py` with only the
pack's folder on the import path and the pack's own virtualenv (policies/requirements.txt),
where mlrails is not installed; the pack must load its rules from that folder."""

import shutil
import subprocess
import sys

import pytest

from mlrails_policies import RULES
from tests.conftest import REPO

# mlrails's installed packages are refused (as in the pack's virtualenv); PolicyPack records
# its policies instead of serving them; then __main__.py runs as the engine runs it.
PROBE = """
import importlib.abc, runpy, sys
import pulumi_policy

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in ("mlrails", "mlrails_components", "mlrails_policies"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
built = []
pulumi_policy.PolicyPack = lambda **kwargs: built.append(kwargs)
sys.path.insert(0, sys.argv[1])
runpy.run_path(sys.argv[1], run_name="__main__")
pack = sys.modules["mlrails_policies"]
print(len(built[0]["policies"]), pack.__file__, sys.modules["mlrails_policies.framework.rule"].__file__)
print(sorted(m for m in sys.modules if m == "mlrails" or m.startswith(("mlrails.", "mlrails_c"))))
"""


@pytest.mark.slow  # a fresh interpreter (`make check`)
def test_the_pack_loads_its_rules_from_its_own_folder_without_mlrails_installed(tmp_path):
    pack = tmp_path / "policies"
    shutil.copytree(REPO / "policies", pack, ignore=shutil.ignore_patterns("__pycache__"))

    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(pack)], capture_output=True, text=True, check=False
    )

    assert completed.returncode == 0, completed.stderr
    counted, others = completed.stdout.splitlines()
    # Every rule, from the copy's own files (its modules too, not the installed ones).
    assert counted.split() == [
        str(len(RULES)),
        str(pack / "__init__.py"),
        str(pack / "framework" / "rule.py"),
    ]
    assert others == "[]"
