"""SageMaker: models, endpoint configurations, endpoints, model cards, monitoring schedules and
job definitions, as the pulumi-aws (and, for three job kinds, pulumi-aws-native) inputs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlrails.audit.scan import Listed, Reader, Scan
from mlrails.audit.wire import UNREAD_OBJECT, camel, record

SERVICE = "sagemaker"
MODEL = "aws:sagemaker/model:Model"
ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
MODEL_CARD = "aws:sagemaker/modelCard:ModelCard"
SCHEDULE = "aws:sagemaker/monitoringSchedule:MonitoringSchedule"


def tags(scan: Scan, arn: str) -> Any:
    return scan.tags(SERVICE, "ListTags", arn, ResourceArn=arn)


def _renamed(inputs: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    return {renames.get(k, k): v for k, v in inputs.items()}


@dataclass(frozen=True)
class Listing:
    """One SageMaker List* operation: its item key and the members naming each item."""

    operation: str
    key: str
    name: str
    arn: str


def listed(scan: Scan, listing: Listing, type_: str) -> Iterable[Listed]:
    for summary in scan.pages(SERVICE, listing.operation, listing.key, types=(type_,)):
        yield Listed(summary[listing.arn], type_, summary[listing.name], summary)


class Models:
    types = (MODEL,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        return listed(scan, Listing("ListModels", "Models", "ModelName", "ModelArn"), MODEL)

    def read(self, scan: Scan, item: Listed) -> None:
        model = scan.call(SERVICE, "DescribeModel", about=item.arn, ModelName=item.name)
        inputs = _renamed(camel(model), {"modelName": "name"})
        inputs.pop("modelArn", None)
        inputs["tags"] = tags(scan, item.arn)
        scan.add(record(item.arn, MODEL, item.name, inputs))


# The provider spells a few members differently from the API.
_VARIANT_RENAMES = {"volumeSizeInGB": "volumeSizeInGb"}
_SERVERLESS_RENAMES = {"memorySizeInMB": "memorySizeInMb"}


def _variant(variant: dict[str, Any]) -> dict[str, Any]:
    out = _renamed(variant, _VARIANT_RENAMES)
    if isinstance(out.get("serverlessConfig"), dict):
        out["serverlessConfig"] = _renamed(out["serverlessConfig"], _SERVERLESS_RENAMES)
    return out


class EndpointConfigurations:
    types = (ENDPOINT_CONFIGURATION,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        listing = Listing(
            "ListEndpointConfigs", "EndpointConfigs", "EndpointConfigName", "EndpointConfigArn"
        )
        return listed(scan, listing, ENDPOINT_CONFIGURATION)

    def read(self, scan: Scan, item: Listed) -> None:
        config = scan.call(
            SERVICE, "DescribeEndpointConfig", about=item.arn, EndpointConfigName=item.name
        )
        inputs = _renamed(camel(config), {"endpointConfigName": "name", "kmsKeyId": "kmsKeyArn"})
        inputs.pop("endpointConfigArn", None)
        for key in ("productionVariants", "shadowProductionVariants"):
            if isinstance(inputs.get(key), list):
                inputs[key] = [_variant(v) for v in inputs[key]]
        inputs["tags"] = tags(scan, item.arn)
        scan.add(record(item.arn, ENDPOINT_CONFIGURATION, item.name, inputs))


class Endpoints:
    types = (ENDPOINT,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        listing = Listing("ListEndpoints", "Endpoints", "EndpointName", "EndpointArn")
        return listed(scan, listing, ENDPOINT)

    def read(self, scan: Scan, item: Listed) -> None:
        endpoint = scan.describe(
            SERVICE, "DescribeEndpoint", about=item.arn, EndpointName=item.name
        )
        inputs = {
            "name": endpoint["EndpointName"],
            "endpointConfigName": endpoint.get("EndpointConfigName"),
            # The policy the endpoint's updates run under: what `deployment_config` sets.
            "deploymentConfig": camel(endpoint.get("LastDeploymentConfig")),
            "tags": tags(scan, item.arn),
        }
        scan.add(record(item.arn, ENDPOINT, item.name, inputs))


class ModelCards:
    types = (MODEL_CARD,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        listing = Listing("ListModelCards", "ModelCardSummaries", "ModelCardName", "ModelCardArn")
        return listed(scan, listing, MODEL_CARD)

    def read(self, scan: Scan, item: Listed) -> None:
        card = scan.describe(SERVICE, "DescribeModelCard", about=item.arn, ModelCardName=item.name)
        inputs = {
            "modelCardName": card["ModelCardName"],
            "modelCardStatus": card.get("ModelCardStatus"),
            "content": card.get("Content"),
            "securityConfig": camel(card.get("SecurityConfig")),
            "tags": tags(scan, item.arn),
        }
        scan.add(record(item.arn, MODEL_CARD, item.name, inputs))


class MonitoringSchedules:
    types = (SCHEDULE,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        listing = Listing(
            "ListMonitoringSchedules",
            "MonitoringScheduleSummaries",
            "MonitoringScheduleName",
            "MonitoringScheduleArn",
        )
        return listed(scan, listing, SCHEDULE)

    def read(self, scan: Scan, item: Listed) -> None:
        schedule = scan.describe(
            SERVICE, "DescribeMonitoringSchedule", about=item.arn, MonitoringScheduleName=item.name
        )
        inputs = {
            "name": schedule["MonitoringScheduleName"],
            "monitoringScheduleConfig": camel(schedule.get("MonitoringScheduleConfig")),
            # Not a provider input, but what the API says the schedule watches.
            "endpointName": schedule.get("EndpointName"),
            "tags": tags(scan, item.arn),
        }
        scan.add(record(item.arn, SCHEDULE, item.name, inputs))


@dataclass(frozen=True)
class JobDefinitions:
    """One of the four monitoring job kinds. Data quality is a pulumi-aws resource (named by
    `name`); the others exist only in pulumi-aws-native (named by `jobDefinitionName`)."""

    kind: str  # DataQuality, ModelQuality, ModelBias, ModelExplainability
    type: str

    @property
    def types(self) -> tuple[str, ...]:
        return (self.type,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        listing = Listing(
            f"List{self.kind}JobDefinitions",
            "JobDefinitionSummaries",
            "MonitoringJobDefinitionName",
            "MonitoringJobDefinitionArn",
        )
        return listed(scan, listing, self.type)

    def read(self, scan: Scan, item: Listed) -> None:
        job = scan.call(
            SERVICE,
            f"Describe{self.kind}JobDefinition",
            about=item.arn,
            JobDefinitionName=item.name,
        )
        inputs = camel(job)
        inputs.pop("jobDefinitionArn", None)
        found = tags(scan, item.arn)
        if self.type.startswith("aws:"):
            inputs["name"] = inputs.pop("jobDefinitionName")
            inputs["tags"] = found
        elif found is UNREAD_OBJECT:
            inputs["tags"] = found
        else:  # pulumi-aws-native takes tags as a list, like CloudFormation
            inputs["tags"] = [{"key": k, "value": v} for k, v in sorted(found.items())]
        scan.add(record(item.arn, self.type, item.name, inputs))


READERS: list[Reader] = [
    Models(),
    EndpointConfigurations(),
    Endpoints(),
    ModelCards(),
    MonitoringSchedules(),
    JobDefinitions(
        "DataQuality", "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
    ),
    JobDefinitions("ModelQuality", "aws-native:sagemaker:ModelQualityJobDefinition"),
    JobDefinitions("ModelBias", "aws-native:sagemaker:ModelBiasJobDefinition"),
    JobDefinitions("ModelExplainability", "aws-native:sagemaker:ModelExplainabilityJobDefinition"),
]
