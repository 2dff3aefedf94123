"""The monitoring images are read from the SageMaker SDK's tables as the SDK itself reads them."""

from __future__ import annotations

import json
import re

import pytest

from mlrails_components.monitoring.monitor_images import (
    _MONITOR_IMAGES,
    _sdk_image_tables,
    monitor_image,
)
from mlrails_components.support.aws import AwsContext


def context(region: str) -> AwsContext:
    """The region's context as the provider reports it: its partition from botocore's table."""
    import botocore.loaders

    for partition in botocore.loaders.create_loader().load_data("partitions")["partitions"]:
        if region in partition["regions"] or re.match(partition["regionRegex"], region):
            suffix = partition["outputs"]["dnsSuffix"]
            return AwsContext("123456789012", partition["id"], region, suffix)
    raise AssertionError(f"botocore knows no partition of {region}")


def regions(framework: str) -> list[str]:
    table, scope, version = _MONITOR_IMAGES[framework]
    document = json.loads((_sdk_image_tables() / table).read_text())
    return sorted((document[scope] if scope else document)["versions"][version]["registries"])


@pytest.mark.slow  # every region, against the SageMaker SDK (seconds to import): `make check`
@pytest.mark.parametrize("framework", sorted(_MONITOR_IMAGES))
def test_every_region_resolves_as_the_sdk_resolves_it(framework):
    from sagemaker.core import image_uris

    found = regions(framework)
    assert len(found) > 20 and "us-east-1" in found and "cn-north-1" in found
    for region in found:
        assert monitor_image(framework, context(region)) == image_uris.retrieve(
            framework, region=region
        )


def test_a_region_without_the_image_is_one_clear_error():
    with pytest.raises(ValueError, match="SageMaker has no model-monitor image in region mars-1"):
        monitor_image("model-monitor", AwsContext("123456789012", "aws", "mars-1", "amazonaws.com"))
