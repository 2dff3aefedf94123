"""Plain pulumi-aws arguments of ModelEndpoint's children, built from its resolved arguments
(`defaults.resolve`: every default filled)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi

from mlrails_components.monitoring import alarm_specs
from mlrails_components.sagemaker.args import (
    AutoscalingArgs,
    DataCaptureArgs,
    RollbackAlarmArgs,
    VariantArgs,
)

if TYPE_CHECKING:
    from pulumi_aws.appautoscaling import PolicyTargetTrackingScalingPolicyConfigurationArgsDict
    from pulumi_aws.sagemaker import (
        EndpointConfigurationDataCaptureConfigArgsDict,
        EndpointConfigurationProductionVariantArgsDict,
        EndpointConfigurationProductionVariantServerlessConfigArgsDict,
    )


def variant_config(
    variant: VariantArgs, model_name: pulumi.Input[str], weight: float
) -> EndpointConfigurationProductionVariantArgsDict:
    """A production (or shadow) variant of the endpoint configuration (the shadow's has the
    same fields: EndpointConfigurationShadowProductionVariantArgsDict)."""
    config: EndpointConfigurationProductionVariantArgsDict = {
        "variant_name": variant["name"],
        "model_name": model_name,
        "initial_variant_weight": weight,
    }
    if "serverless" in variant:
        serverless = variant["serverless"]
        serverless_config: EndpointConfigurationProductionVariantServerlessConfigArgsDict = {
            "memory_size_in_mb": serverless["memory_size_mb"],
            "max_concurrency": serverless["max_concurrency"],
        }
        if "provisioned_concurrency" in serverless:
            serverless_config["provisioned_concurrency"] = serverless["provisioned_concurrency"]
        config["serverless_config"] = serverless_config
        return config
    config["instance_type"] = variant["instance_type"]
    config["initial_instance_count"] = variant["initial_instance_count"]
    config["routing_configs"] = [{"routing_strategy": variant["routing_strategy"]}]
    if "volume_size_gb" in variant:
        config["volume_size_in_gb"] = variant["volume_size_gb"]
    if "container_startup_health_check_timeout_seconds" in variant:
        config["container_startup_health_check_timeout_in_seconds"] = variant[
            "container_startup_health_check_timeout_seconds"
        ]
    if "model_data_download_timeout_seconds" in variant:
        config["model_data_download_timeout_in_seconds"] = variant[
            "model_data_download_timeout_seconds"
        ]
    return config


def data_capture_config(
    capture: DataCaptureArgs, destination: pulumi.Input[str], key: pulumi.Input[str]
) -> EndpointConfigurationDataCaptureConfigArgsDict:
    return {
        "enable_capture": True,
        "initial_sampling_percentage": capture["sampling_percent"],
        "destination_s3_uri": destination,
        "kms_key_id": key,
        "capture_options": [{"capture_mode": m} for m in capture["capture_modes"]],
        "capture_content_type_header": {
            "csv_content_types": capture["csv_content_types"],
            "json_content_types": capture["json_content_types"],
        },
    }


def rollback_alarm_definitions(
    endpoint_name: str, variant: str, settings: RollbackAlarmArgs, endpoint_config_name: Any
) -> list[tuple[str, dict[str, Any]]]:
    """(role, MetricAlarm arguments) of a variant's error-rate and latency alarms."""
    window = (
        settings["period_seconds"],
        settings["evaluation_periods"],
        settings["datapoints_to_alarm"],
    )
    return [
        (
            "error-rate",
            alarm_specs.error_rate_alarm(
                endpoint_name,
                variant,
                settings["error_rate_percent"],
                *window,
                endpoint_config_name=endpoint_config_name,
            ),
        ),
        (
            "latency",
            alarm_specs.latency_alarm(
                endpoint_name,
                variant,
                settings["latency_p99_ms"],
                *window,
                endpoint_config_name=endpoint_config_name,
            ),
        ),
    ]


def target_tracking(
    scaling: AutoscalingArgs,
) -> PolicyTargetTrackingScalingPolicyConfigurationArgsDict:
    """Target tracking on SageMakerVariantInvocationsPerInstance (DG
    endpoint-auto-scaling-add-code-define.md)."""
    return {
        "predefined_metric_specification": {
            "predefined_metric_type": "SageMakerVariantInvocationsPerInstance"
        },
        "target_value": float(scaling["target_invocations_per_instance"]),
        "scale_in_cooldown": scaling["scale_in_cooldown_seconds"],
        "scale_out_cooldown": scaling["scale_out_cooldown_seconds"],
    }
