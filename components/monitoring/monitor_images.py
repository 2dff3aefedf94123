"""The Model Monitor and Clarify images of a region, read from the SageMaker SDK's own tables."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

from mlrails_components.support.aws import AwsContext

# (image table, scope, version) of the two monitoring images in the SDK's image_uri_config.
_MONITOR_IMAGES = {
    "model-monitor": ("model-monitor.json", None, ""),
    "clarify": ("clarify.json", "processing", "1.0"),
}


@functools.lru_cache(maxsize=32)
def monitor_image(framework: str, context: AwsContext) -> str:
    """The Model Monitor or Clarify image of the context's region, read from the SageMaker SDK's
    own image tables. Importing the SDK to call `image_uris.retrieve` costs about two seconds of
    every program run; tests/components/monitoring checks both agree in every region."""
    table, scope, version = _MONITOR_IMAGES[framework]
    document = json.loads(_sdk_image_tables().joinpath(table).read_text(encoding="utf-8"))
    entry = (document[scope] if scope else document)["versions"][version]
    account = entry["registries"].get(context.region)
    if account is None:
        raise ValueError(f"SageMaker has no {framework} image in region {context.region}")
    uri = f"{account}.dkr.ecr.{context.region}.{context.dns_suffix}/{entry['repository']}"
    return f"{uri}:{version}" if version else uri


@functools.cache
def _sdk_image_tables() -> Path:
    """The SDK's image_uri_config directory, found without importing the SDK."""
    spec = importlib.util.find_spec("sagemaker")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the sagemaker-core package is not installed; reinstall mlrails")
    return Path(spec.submodule_search_locations[0]) / "core" / "image_uri_config"
