"""Reading an endpoint configuration's variants (production and shadow)."""

from __future__ import annotations

from typing import Any

from mlrails_policies.framework.verdicts import NotEvaluatedError
from mlrails_policies.framework.wire import UNKNOWN, get, items

ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"


def variants(props: Any) -> list[dict[str, Any]]:
    """Every variant, production first; NotEvaluatedError if the list itself is unknown."""
    found = items(get(props, "productionVariants")) + items(get(props, "shadowProductionVariants"))
    if UNKNOWN in found:
        raise NotEvaluatedError(
            "the endpoint configuration's variants can't be known during preview"
        )
    return [v for v in found if isinstance(v, dict)]


def is_instance_variant(variant: dict[str, Any]) -> bool:
    """Backed by instances (not serverless): the variant that has volumes, counts and types."""
    return not variant.get("serverlessConfig") and (
        variant.get("instanceType") is not None or variant.get("initialInstanceCount") is not None
    )


def instance_variants(props: Any) -> list[dict[str, Any]]:
    return [v for v in variants(props) if is_instance_variant(v)]


def label(variant: dict[str, Any]) -> str:
    name = variant.get("variantName")
    return f"variant {name!r}" if isinstance(name, str) else "a variant"
