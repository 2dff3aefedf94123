"""The policy pack's entry point: `pulumi preview --policy-pack policies` runs this file.

The Pulumi engine starts it as `python -m pulumi.policy <engine> <this directory>`; building
the PolicyPack starts the gRPC server and never returns, so it happens only here, under
`__main__`. Everything else imports the `mlrails_policies` package, which serves nothing.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from pulumi_policy import EnforcementLevel, PolicyPack


def _this_pack() -> ModuleType:
    """This directory as the `mlrails_policies` package.

    The engine puts only this directory on sys.path, and its pack virtualenv holds the policy
    SDK, not mlrails; so unless mlrails is installed (or the package already loaded), the
    package is loaded from here under its distinctive import name, which no user package
    shadows (a folder named `policies` in a program would).
    """
    try:
        import mlrails_policies
    except ImportError:
        here = Path(__file__).resolve().parent
        spec = importlib.util.spec_from_file_location(
            "mlrails_policies", here / "__init__.py", submodule_search_locations=[str(here)]
        )
        assert spec is not None and spec.loader is not None  # a file location always has both
        module = importlib.util.module_from_spec(spec)
        sys.modules["mlrails_policies"] = module
        spec.loader.exec_module(module)
        return module
    return mlrails_policies


if __name__ == "__main__":
    pack = _this_pack()
    PolicyPack(
        name=pack.PACK_NAME,
        enforcement_level=EnforcementLevel.ADVISORY,
        policies=pack.policies(),
        description="ML governance for SageMaker, S3, KMS, IAM and KServe: model cards, "
        "encryption, data capture, monitoring, alarms, safe rollout, least privilege, tags.",
    )
