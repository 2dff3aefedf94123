"""The monitoring images are read from the SageMaker SDK's tables as the SDK itself reads them."""

from __future__ import annotations

import json

import pytest

from components.monitoring.model_monitor import _MONITOR_IMAGES, _sdk_image_tables, monitor_image


def regions(framework: str) -> list[str]:
    table, scope, version = _MONITOR_IMAGES[framework]
    document = json.loads((_sdk_image_tables() / table).read_text())
    return sorted((document[scope] if scope else document)["versions"][version]["registries"])


@pytest.mark.parametrize("framework", sorted(_MONITOR_IMAGES))
def test_every_region_resolves_as_the_sdk_resolves_it(framework):
    from sagemaker.core import image_uris

    found = regions(framework)
    assert len(found) > 20 and "us-east-1" in found and "cn-north-1" in found
    for region in found:
        assert monitor_image(framework, region) == image_uris.retrieve(framework, region=region)


def test_a_region_without_the_image_is_one_clear_error():
    with pytest.raises(ValueError, match="SageMaker has no model-monitor image in region mars-1"):
        monitor_image("model-monitor", "mars-1")
