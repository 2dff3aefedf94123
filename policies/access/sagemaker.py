"""Following SageMaker's own links: endpoint -> configuration -> models -> execution roles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import PolicyResource

from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.roles import Role
from mlrails_policies.framework.wire import UNKNOWN, get, items, to_plain
from mlrails_policies.sagemaker.common import ENDPOINT, MODEL
from mlrails_policies.sagemaker.variants import ENDPOINT_CONFIGURATION

MODEL_PACKAGE = "aws-native:sagemaker:ModelPackage"
ENDPOINTS = (ENDPOINT, "aws-native:sagemaker:Endpoint")


def containers(props: Any) -> list[Any]:
    """The primary container and the inference pipeline's containers (UNKNOWN if unknown)."""
    found = [get(props, "primaryContainer"), *items(get(props, "containers"))]
    return [c for c in found if c is UNKNOWN or isinstance(c, dict)]


def data_sources(container: dict) -> Iterator[tuple[Any, bool]]:
    """(S3 URI, is a prefix) of the model data a container downloads.

    ContainerDefinition.ModelDataUrl is one .tar.gz; ModelDataSource.S3DataSource with
    S3DataType S3Prefix is every object under a prefix (botocore sagemaker service-2.json,
    `ContainerDefinition`, `S3ModelDataSource`). pulumi-aws lists sources in `s3DataSources`,
    pulumi-aws-native has one `s3DataSource`.
    """
    url = container.get("modelDataUrl")
    if url is UNKNOWN or isinstance(url, str):
        yield url, isinstance(url, str) and url.endswith("/")
    source = container.get("modelDataSource")
    if source is UNKNOWN:
        yield UNKNOWN, False
    elif isinstance(source, dict):
        listed = items(source.get("s3DataSources")) + items(source.get("s3DataSource"))
        for entry in listed:
            if entry is UNKNOWN:
                yield UNKNOWN, False
            elif isinstance(entry, dict):
                yield entry.get("s3Uri"), entry.get("s3DataType") == "S3Prefix"


def package_containers(plan: AccessPlan, model: PolicyResource, container: dict) -> Any:
    """The containers of the registry package a model deploys: a list, UNKNOWN, or None when
    the package is not declared in this program."""
    reference = container.get("modelPackageName")
    linked = plan.targets(model, "primaryContainer", (MODEL_PACKAGE,))
    if len(linked) != 1:
        linked = plan.targets(model, "containers", (MODEL_PACKAGE,))
    if len(linked) != 1:
        if reference is UNKNOWN:
            return UNKNOWN
        return None
    spec = get(linked[0].props, "inferenceSpecification")
    if spec is UNKNOWN:
        return UNKNOWN
    found = items(to_plain(spec.get("containers"))) if isinstance(spec, dict) else []
    return [c for c in found if c is UNKNOWN or isinstance(c, dict)]


def configuration_of(plan: AccessPlan, endpoint: PolicyResource) -> PolicyResource | None:
    name = get(endpoint.props, "endpointConfigName")
    return plan.resolve(endpoint, "endpointConfigName", name, (ENDPOINT_CONFIGURATION,), "name")


def models_of(plan: AccessPlan, configuration: PolicyResource) -> list[Any]:
    """The models a configuration's variants (production and shadow) serve; UNKNOWN for one
    that can't be found yet, None for one not declared in this program."""
    found: list[Any] = []
    for prop in ("productionVariants", "shadowProductionVariants"):
        variants = items(get(configuration.props, prop))
        linked = plan.targets(configuration, prop, (MODEL,))
        for variant in variants:
            if variant is UNKNOWN:
                found.append(UNKNOWN)
                continue
            name = variant.get("modelName") if isinstance(variant, dict) else None
            model = next((m for m in plan.by_name((MODEL,), name)), None)
            if model is None and len(linked) == 1:
                model = linked[0]
            if model is None and name is UNKNOWN and linked:
                found.extend(linked)
                continue
            found.append(model)
    return list({id(m): m for m in found}.values())


def execution_role(plan: AccessPlan, model: PolicyResource) -> Role | None:
    return plan.role(model, "executionRoleArn", get(model.props, "executionRoleArn"))
