"""Checks of ModelEndpoint's rollout: deployment strategy and sizes, rollback alarm windows."""

from __future__ import annotations

import math

from mlrails_components.sagemaker.args import DeploymentArgs, RollbackAlarmArgs, VariantArgs
from mlrails_components.sagemaker.deployment import STRATEGIES
from mlrails_components.sagemaker.limits import (
    CANARY_PERCENT,
    LINEAR_STEP_PERCENT,
    ROLLING_BATCH_PERCENT,
    canary_fits,
    canary_instances,
)
from mlrails_components.sagemaker.service_model import limits
from mlrails_components.support.validation import Problems


def validate_deployment(
    deployment: DeploymentArgs, variants: list[VariantArgs], problems: Problems
) -> None:
    """The strategy and its sizes against the fleet, the waits against SageMaker's limits."""
    strategy = deployment["strategy"]
    problems.require(
        strategy in STRATEGIES,
        "deployment.strategy",
        strategy,
        "unknown strategy",
        f"use one of {', '.join(STRATEGIES)}",
    )
    fleet = min(v["initial_instance_count"] for v in variants)
    if strategy == "canary":
        if "canary_instances" in deployment:
            size = deployment["canary_instances"]
            problems.require(
                1 <= size <= fleet // 2,
                "deployment.canary_instances",
                size,
                f"a canary is at most half of the fleet ({fleet} instances)",
                f"use 1 to {max(fleet // 2, 1)}" if fleet >= 2 else "run at least 2 instances",
            )
        else:
            percent = deployment["canary_percent"]
            CANARY_PERCENT.check("deployment.canary_percent", percent, problems)
            problems.require(
                canary_fits(fleet, percent),
                "deployment.canary_percent",
                percent,
                f"on a fleet of {fleet} instance(s) the canary would take "
                f"{canary_instances(fleet, percent)} of them, more than half",
                "run at least 2 instances per variant, or deploy all_at_once or rolling",
            )
    elif strategy == "linear":
        LINEAR_STEP_PERCENT.check(
            "deployment.linear_step_percent", deployment["linear_step_percent"], problems
        )
    elif strategy == "rolling":
        ROLLING_BATCH_PERCENT.check(
            "deployment.rolling_batch_percent", deployment["rolling_batch_percent"], problems
        )
    for key, minutes, shape in (
        ("bake_minutes", deployment["bake_minutes"], "WaitIntervalInSeconds"),
        (
            "termination_wait_minutes",
            deployment["termination_wait_minutes"],
            "TerminationWaitInSeconds",
        ),
        (
            "maximum_execution_timeout_minutes",
            deployment["maximum_execution_timeout_minutes"],
            "MaximumExecutionTimeoutInSeconds",
        ),
    ):
        low, high = limits(shape)
        seconds = minutes * 60
        problems.require(
            low <= seconds <= high,
            f"deployment.{key}",
            minutes,
            f"SageMaker allows {low} to {high} seconds",
            f"choose {math.ceil(low / 60)} to {high // 60} minutes",
        )


def validate_rollback_alarms(
    alarms: RollbackAlarmArgs, deployment: DeploymentArgs | None, problems: Problems
) -> None:
    """The alarms' settings; with a deployment (instance endpoints), that they fire in its bake."""
    period = alarms["period_seconds"]
    evaluations = alarms["evaluation_periods"]
    datapoints = alarms["datapoints_to_alarm"]
    problems.require(
        period >= 60 and period % 60 == 0,
        "rollback_alarms.period_seconds",
        period,
        "SageMaker endpoint metrics are per minute",
        "use 60 or a multiple of 60",
    )
    problems.require(
        1 <= datapoints <= evaluations,
        "rollback_alarms.datapoints_to_alarm",
        datapoints,
        f"at most evaluation_periods ({evaluations})",
        "lower it",
    )
    for key in ("error_rate_percent", "latency_p99_ms"):
        problems.require(
            alarms[key] > 0,
            f"rollback_alarms.{key}",
            alarms[key],
            "a threshold is positive",
            "raise it",
        )
    if deployment is None:
        return
    window, bake = period * evaluations, deployment["bake_minutes"] * 60
    problems.require(
        window <= bake,
        "rollback_alarms",
        f"{evaluations} x {period}s",
        f"the alarms need {window}s of data but the deployment bakes {bake}s, so they could not fire "
        "before traffic moves on",
        f"bake at least {math.ceil(window / 60)} minutes or shorten the window",
    )
