"""Recorded wire inputs translated to AWS API requests, for botocore's own validator.

The provider sends AWS requests that mirror its inputs: camelCase becomes PascalCase, with a
few renamed members (a Terraform list of one block for a structure, `kmsKeyArn` for KmsKeyId,
tag maps for tag lists). Translating by walking botocore's input shape keeps the mapping honest:
a member the shape does not have is an error, and numbers take the shape's type.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session


@functools.cache
def operation_input(service: str, operation: str):
    return (
        botocore.session.get_session()
        .get_service_model(service)
        .operation_model(operation)
        .input_shape
    )


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def translate(value: Any, shape, renames: dict[str, str], where: str = "inputs") -> Any:
    if shape.type_name == "structure":
        if isinstance(value, list):  # Terraform's one-element block list for a structure
            value = value[0] if value else {}
        out = {}
        consumed = set()
        for member_name, member_shape in shape.members.items():
            wire_key = renames.get(member_name) or _camel(member_name)
            if wire_key not in value:
                # Terraform spells acronyms in lower case: MemorySizeInMb for MemorySizeInMB.
                wire_key = next((k for k in value if k.lower() == wire_key.lower()), wire_key)
            if wire_key in value:
                consumed.add(wire_key)
                if value[wire_key] is not None:
                    out[member_name] = translate(
                        value[wire_key], member_shape, renames, f"{where}.{wire_key}"
                    )
        unknown = sorted(set(value) - consumed)
        if unknown:
            raise AssertionError(f"{where} has {unknown}, which {shape.name} has no member for")
        return out
    if shape.type_name == "list":
        if (
            shape.member.type_name == "structure"
            and isinstance(value, dict)
            and "Key" in shape.member.members
        ):
            return [{"Key": k, "Value": v} for k, v in value.items()]  # tag and dimension maps
        if (
            shape.member.type_name == "structure"
            and isinstance(value, dict)
            and "Name" in shape.member.members
        ):
            return [{"Name": k, "Value": v} for k, v in value.items()]
        return [translate(v, shape.member, renames, f"{where}[]") for v in value]
    if shape.type_name == "integer" or shape.type_name == "long":
        return int(value)
    if shape.type_name in ("float", "double"):
        return float(value)
    return value


def create_endpoint_config(inputs: dict[str, Any]) -> dict[str, Any]:
    shape = operation_input("sagemaker", "CreateEndpointConfig")
    renames = {
        "EndpointConfigName": "name",
        "KmsKeyId": "kmsKeyArn",
        "RoutingConfig": "routingConfigs",
    }
    # The capture destination's key is kmsKeyId inside dataCaptureConfig, not the volume key.
    capture = dict(inputs.get("dataCaptureConfig") or {})
    capture_key = capture.pop("kmsKeyId", None)
    request = translate({**inputs, "dataCaptureConfig": capture or None}, shape, renames)
    if capture_key is not None:
        request["DataCaptureConfig"]["KmsKeyId"] = capture_key
    return request


def put_metric_alarm(inputs: dict[str, Any]) -> dict[str, Any]:
    shape = operation_input("cloudwatch", "PutMetricAlarm")
    renames = {
        "AlarmName": "name",
        "Metrics": "metricQueries",
        "MetricStat": "metric",
        "Stat": "stat",
    }
    # pulumi-aws flattens MetricStat{Metric{...}, Period, Stat, Unit} into `metric`.
    queries = [
        {k: v for k, v in q.items() if k != "metric"} for q in inputs.get("metricQueries", [])
    ]
    request = translate({**inputs, "metricQueries": queries or None}, shape, renames)
    for query, wire in zip(
        request.get("Metrics", []), inputs.get("metricQueries", []), strict=True
    ):
        metric = wire.get("metric")
        if metric:
            query["MetricStat"] = {
                "Metric": {
                    "Namespace": metric["namespace"],
                    "MetricName": metric["metricName"],
                    "Dimensions": [
                        {"Name": k, "Value": v} for k, v in metric.get("dimensions", {}).items()
                    ],
                },
                "Period": int(metric["period"]),
                "Stat": metric["stat"],
            }
    return request


def validate(service: str, operation: str, request: dict[str, Any]) -> None:
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(request, operation_input(service, operation))
    if report.has_errors():
        raise AssertionError(report.generate_report())
