"""vCPUs and local instance storage of the SageMaker hosting instance types.

botocore's SageMaker model names the types but says nothing about them. An `ml.<type>`
hosting instance runs on the EC2 instance type `<type>` (the SageMaker pricing page lists the
same vCPUs and instance storage for both), so the facts come from EC2's DescribeInstanceTypes
(`VCpuInfo.DefaultVCpus`, `InstanceStorageSupported`), as recorded in moto's
`ec2/resources/instance_types.json`. They are kept in `instance_facts.json`, written by
`python -m mlrails_components.sagemaker.instance_facts` (moto is a development dependency); a test
fails when the snapshot differs from the installed moto. Types EC2's table lacks have no entry:
their facts are unknown, never guessed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from mlrails_components.sagemaker.service_model import snapshot as service_model_snapshot

SNAPSHOT = Path(__file__).with_name("instance_facts.json")


def extract() -> dict[str, Any]:
    """The facts of every hosting type botocore knows, read from moto's copy of EC2's table."""
    from moto.ec2.models.instance_types import INSTANCE_TYPES

    facts = {}
    for hosting_type in service_model_snapshot()["instance_types"]:
        ec2 = INSTANCE_TYPES.get(hosting_type.removeprefix("ml."))
        if ec2 is not None:
            facts[hosting_type] = {
                "vcpus": ec2["VCpuInfo"]["DefaultVCpus"],
                "local_storage": bool(ec2.get("InstanceStorageSupported", False)),
            }
    return facts


@functools.cache
def snapshot() -> dict[str, Any]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def vcpus(instance_type: str) -> int | None:
    """vCPUs of a hosting type, or None when EC2's table does not know it."""
    facts = snapshot().get(instance_type)
    return None if facts is None else facts["vcpus"]


def has_local_storage(instance_type: str) -> bool | None:
    """Whether the type has instance store volumes (local NVMe), or None when unknown."""
    facts = snapshot().get(instance_type)
    return None if facts is None else facts["local_storage"]


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(extract(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
