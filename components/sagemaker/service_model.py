"""What validation needs from botocore's SageMaker service model, without loading it each run.

Reading botocore's model costs a large import and a megabyte of JSON per process. The facts
ModelEndpoint checks (hosting instance types, the name rule, timeout limits) are kept in
`sagemaker_service_model.json`, extracted from botocore by `python -m
components.sagemaker.service_model`; a test fails when it differs from the installed botocore.
An instance type missing from the snapshot is looked up in botocore's model itself, so a newer
botocore's types are accepted and every rejection is botocore's.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("sagemaker_service_model.json")
LIMIT_SHAPES = (
    "WaitIntervalInSeconds",
    "TerminationWaitInSeconds",
    "MaximumExecutionTimeoutInSeconds",
    "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds",
    "ProductionVariantModelDataDownloadTimeoutInSeconds",
)


def extract() -> dict[str, Any]:
    """The facts, read from the installed botocore's SageMaker model."""
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("sagemaker", "service-2")["shapes"]
    return {
        "instance_types": sorted(shapes["ProductionVariantInstanceType"]["enum"]),
        "name_pattern": shapes["EndpointName"]["pattern"],
        "name_max_length": shapes["EndpointName"]["max"],
        "limits": {s: [shapes[s].get("min", 0), shapes[s]["max"]] for s in LIMIT_SHAPES},
    }


@functools.cache
def snapshot() -> dict[str, Any]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@functools.cache
def _botocore_instance_types() -> frozenset[str]:
    return frozenset(extract()["instance_types"])


def is_instance_type(value: str) -> bool:
    if value in snapshot()["instance_types"]:
        return True
    return value in _botocore_instance_types()


@functools.cache
def name_rule() -> re.Pattern:
    return re.compile(f"^{snapshot()['name_pattern']}$")


def valid_name(value: str) -> bool:
    return len(value) <= snapshot()["name_max_length"] and bool(name_rule().match(value))


def limits(shape: str) -> tuple[int, int]:
    low, high = snapshot()["limits"][shape]
    return low, high


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(extract(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
