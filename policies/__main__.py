"""The policy pack's entry point: `pulumi preview --policy-pack policies` runs this file.

The Pulumi engine starts it as `python -m pulumi.policy <engine> <this directory>`; building
the PolicyPack starts the gRPC server and never returns, so it happens only here, under
`__main__`. Everything else imports the `policies` package, which serves nothing.
"""

import sys
from pathlib import Path

# The engine puts only this directory on sys.path; the `policies` and `mlrails` packages live
# one level up in a checkout, and in site-packages when mlrails is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

import policies

if __name__ == "__main__":
    PolicyPack(
        name=policies.PACK_NAME,
        enforcement_level=EnforcementLevel.ADVISORY,
        policies=policies.policies(),
        description="ML governance for SageMaker, S3, KMS, IAM and KServe: model cards, "
        "encryption, data capture, monitoring, alarms, safe rollout, least privilege, tags.",
    )
