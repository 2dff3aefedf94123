"""The endpoint's deployment_config: traffic shifting with automatic rollback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from mlrails_components.sagemaker.args import DeploymentArgs

if TYPE_CHECKING:
    from pulumi_aws.sagemaker import (
        EndpointDeploymentConfigArgsDict,
        EndpointDeploymentConfigAutoRollbackConfigurationArgsDict,
        EndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationArgsDict,
        EndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationCanarySizeArgsDict,
    )

STRATEGIES = ("all_at_once", "canary", "linear", "rolling")


def deployment_config(
    deployment: DeploymentArgs, rollback_alarm_names: list[pulumi.Input[str]]
) -> EndpointDeploymentConfigArgsDict:
    """pulumi-aws `deployment_config` for the strategy, rolling back on the given alarms."""
    bake = deployment["bake_minutes"] * 60
    timeout = deployment["maximum_execution_timeout_minutes"] * 60
    rollback: EndpointDeploymentConfigAutoRollbackConfigurationArgsDict = {
        "alarms": [{"alarm_name": name} for name in rollback_alarm_names]
    }
    strategy = deployment["strategy"]
    if strategy == "rolling":
        return {
            "rolling_update_policy": {
                "maximum_batch_size": _percent(deployment["rolling_batch_percent"]),
                "wait_interval_in_seconds": bake,
                "maximum_execution_timeout_in_seconds": timeout,
                # A rollback restores the whole fleet at once: the old model is known good.
                "rollback_maximum_batch_size": _percent(100),
            },
            "auto_rollback_configuration": rollback,
        }
    routing: EndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationArgsDict = {
        "type": strategy.upper(),
        "wait_interval_in_seconds": bake,
    }
    if strategy == "canary":
        routing["canary_size"] = (
            {"type": "INSTANCE_COUNT", "value": deployment["canary_instances"]}
            if "canary_instances" in deployment
            else _percent(deployment["canary_percent"])
        )
    elif strategy == "linear":
        routing["linear_step_size"] = _percent(deployment["linear_step_percent"])
    return {
        "blue_green_update_policy": {
            "traffic_routing_configuration": routing,
            "termination_wait_in_seconds": deployment["termination_wait_minutes"] * 60,
            "maximum_execution_timeout_in_seconds": timeout,
        },
        "auto_rollback_configuration": rollback,
    }


def _percent(
    value: int,
) -> EndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationCanarySizeArgsDict:
    """A capacity share; every size field of the deployment config has these two keys."""
    return {"type": "CAPACITY_PERCENT", "value": value}
