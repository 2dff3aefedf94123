"""ModelEndpoint's defaults, filled in once by `resolve`: validation judges, and the builders
build, the endpoint it returns."""

from __future__ import annotations

from typing import Any, cast

from mlrails_components.sagemaker.args import (
    AutoscalingArgs,
    DataCaptureArgs,
    DeploymentArgs,
    ModelEndpointArgs,
    RollbackAlarmArgs,
    VariantArgs,
)

INSTANCE_COUNT = 2
"""Instances per variant: a canary needs at least two to be less than the whole fleet."""
VARIANT_WEIGHT = 1.0
SAMPLING_PERCENT = 100
"""Share of requests a shadow variant receives, and share of traffic captured."""
CAPTURE_MODES = ("Input", "Output")
CSV_CONTENT_TYPES = ("text/csv",)
JSON_CONTENT_TYPES = ("application/json",)
ROUTING_STRATEGY = "LEAST_OUTSTANDING_REQUESTS"
SCALE_IN_COOLDOWN_SECONDS = 300
"""A dip in traffic does not shed capacity at once."""
SCALE_OUT_COOLDOWN_SECONDS = 60
ROLLBACK_ALARMS: RollbackAlarmArgs = {
    "period_seconds": 60,
    "evaluation_periods": 3,
    "datapoints_to_alarm": 2,
    "error_rate_percent": 1.0,
    "latency_p99_ms": 1000.0,
}
DEPLOYMENT: DeploymentArgs = {
    "strategy": "canary",
    "canary_percent": 10,
    "linear_step_percent": 20,
    "rolling_batch_percent": 20,
    "bake_minutes": 10,
    "termination_wait_minutes": 5,
    "maximum_execution_timeout_minutes": 60,
}


def resolve(args: ModelEndpointArgs) -> ModelEndpointArgs:
    """A copy of `args` (their types already checked) with every default filled in.

    Left out, because their absence means something: the deployment of a serverless endpoint
    (it has none), capture destination and key (a new bucket), instance settings of a
    serverless variant, and every optional setting SageMaker itself defaults.
    """
    variants = [_variant(v) for v in args["variants"]]
    serverless = any("serverless" in v for v in variants)
    resolved: dict[str, Any] = {
        **args,
        "variants": variants,
        "shadow_sampling_percent": args.get("shadow_sampling_percent", SAMPLING_PERCENT),
        "rollback_alarms": {**ROLLBACK_ALARMS, **args.get("rollback_alarms", {})},
        "data_capture": _data_capture(args.get("data_capture", {})),
        "alarm_actions": list(args.get("alarm_actions", [])),
        "extra_rollback_alarm_names": list(args.get("extra_rollback_alarm_names", [])),
    }
    if "shadow_variant" in args:
        resolved["shadow_variant"] = _variant(args["shadow_variant"])
    if not serverless:
        resolved["deployment"] = _deployment(args.get("deployment"))
    return cast(ModelEndpointArgs, resolved)


def _variant(variant: VariantArgs) -> VariantArgs:
    resolved: dict[str, Any] = {
        **variant,
        "initial_variant_weight": variant.get("initial_variant_weight", VARIANT_WEIGHT),
    }
    if "serverless" not in variant:
        resolved["initial_instance_count"] = variant.get("initial_instance_count", INSTANCE_COUNT)
        resolved["routing_strategy"] = variant.get("routing_strategy", ROUTING_STRATEGY)
    if "autoscaling" in variant:
        resolved["autoscaling"] = _autoscaling(variant["autoscaling"])
    return cast(VariantArgs, resolved)


def _autoscaling(scaling: AutoscalingArgs) -> AutoscalingArgs:
    return {
        **scaling,
        "scale_in_cooldown_seconds": scaling.get(
            "scale_in_cooldown_seconds", SCALE_IN_COOLDOWN_SECONDS
        ),
        "scale_out_cooldown_seconds": scaling.get(
            "scale_out_cooldown_seconds", SCALE_OUT_COOLDOWN_SECONDS
        ),
    }


def _data_capture(capture: DataCaptureArgs) -> DataCaptureArgs:
    return {
        **capture,
        "sampling_percent": capture.get("sampling_percent", SAMPLING_PERCENT),
        "capture_modes": list(capture.get("capture_modes", CAPTURE_MODES)),
        "csv_content_types": list(capture.get("csv_content_types", CSV_CONTENT_TYPES)),
        "json_content_types": list(capture.get("json_content_types", JSON_CONTENT_TYPES)),
    }


def _deployment(deployment: DeploymentArgs | None) -> DeploymentArgs:
    """The defaults under what is given; a canary sized in instances has no percentage."""
    given: dict[str, Any] = dict(deployment or {})
    resolved: dict[str, Any] = {**DEPLOYMENT, **given}
    if "canary_instances" in given and "canary_percent" not in given:
        del resolved["canary_percent"]
    return cast(DeploymentArgs, resolved)
