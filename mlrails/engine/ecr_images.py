"""The ECR registry account of each SageMaker prebuilt image, per region.

Read from sagemaker-core's image URI configuration (`sagemaker/core/image_uri_config/*.json`,
the table `sagemaker.image_uris.retrieve` uses): every entry names its ECR `repository` and
its `registries` (region -> account). Algorithm images, framework images (PyTorch,
TensorFlow, HuggingFace: the Deep Learning Containers account) and Model Monitor live in
different accounts, and each has its own list of regions.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any


@functools.cache
def registries() -> dict[str, dict[str, str]]:
    """ECR repository name -> {region: registry account}."""
    spec = importlib.util.find_spec("sagemaker.core")
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations))) / "image_uri_config"
    index: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        _collect(json.loads(path.read_text(encoding="utf-8")), index)
    return index


def _collect(node: Any, index: dict[str, dict[str, str]]) -> None:
    if isinstance(node, dict):
        repository, accounts = node.get("repository"), node.get("registries")
        if isinstance(repository, str) and isinstance(accounts, dict):
            index.setdefault(repository, {}).update(accounts)
        for value in node.values():
            _collect(value, index)
    elif isinstance(node, list):
        for value in node:
            _collect(value, index)


def registry_account(repository: str, region: str) -> str | None:
    return registries().get(repository, {}).get(region)
