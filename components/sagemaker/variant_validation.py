"""Checks of one ModelEndpoint variant: its model, instances or serverless capacity, scaling."""

from __future__ import annotations

from mlrails_components.sagemaker.args import ServerlessArgs, VariantArgs
from mlrails_components.sagemaker.exclusions import validate_autoscaled_rollout
from mlrails_components.sagemaker.limits import SERVERLESS_LIMITS, VARIANT_LIMITS
from mlrails_components.sagemaker.service_model import is_instance_type, limits, valid_name
from mlrails_components.support.limits import check_limits
from mlrails_components.support.validation import Problems

# botocore sagemaker ProductionVariantRoutingConfig.RoutingStrategy (shape RoutingStrategy).
ROUTING_STRATEGIES = ("LEAST_OUTSTANDING_REQUESTS", "RANDOM")


def validate_variant(where: str, variant: VariantArgs, problems: Problems) -> None:
    """One variant (production or shadow), its defaults filled in."""
    name = variant["name"]
    problems.require(
        valid_name(name),
        f"{where}.name",
        name,
        "not a valid SageMaker name",
        "use letters, digits and single hyphens, at most 63",
    )
    sources = [k for k in ("image", "framework", "model_package_arn") if k in variant]
    problems.require(
        len(sources) == 1,
        where,
        sources or "no model",
        "a variant runs exactly one model: an image, a framework or a model package",
        "give exactly one of image, framework, model_package_arn",
    )
    if "framework" in variant:
        problems.require(
            "framework_version" in variant,
            f"{where}.framework_version",
            None,
            "a framework image needs its version",
            "pass framework_version, e.g. '1.7-1'",
        )
    if "serverless" in variant:
        problems.require(
            "instance_type" not in variant and "initial_instance_count" not in variant,
            where,
            "serverless with instance settings",
            "a variant is serverless or on instances",
            "drop instance_type and initial_instance_count",
        )
        _validate_serverless(where, variant["serverless"], problems)
        problems.require(
            "autoscaling" not in variant,
            f"{where}.autoscaling",
            "set",
            "serverless variants scale by concurrency, not instances",
            "remove autoscaling",
        )
    else:
        instance_type = variant.get("instance_type")
        problems.require(
            instance_type is not None,
            f"{where}.instance_type",
            None,
            "an instance variant needs an instance type",
            "pass e.g. 'ml.m5.large', or serverless",
        )
        if instance_type is not None:
            problems.require(
                is_instance_type(instance_type),
                f"{where}.instance_type",
                instance_type,
                "not a SageMaker hosting instance type (botocore's service model)",
                "choose a ml.* hosting type, e.g. ml.m5.large",
            )
        count = variant["initial_instance_count"]
        problems.require(
            count >= 1,
            f"{where}.initial_instance_count",
            count,
            "a variant needs an instance",
            "use 1 or more",
        )
        if "autoscaling" in variant:
            _validate_autoscaling(where, variant, count, problems)
            validate_autoscaled_rollout(where, variant, problems)
    check_limits(VARIANT_LIMITS, variant, problems, prefix=f"{where}.")
    for key, seconds, shape in (
        (
            "container_startup_health_check_timeout_seconds",
            variant.get("container_startup_health_check_timeout_seconds"),
            "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds",
        ),
        (
            "model_data_download_timeout_seconds",
            variant.get("model_data_download_timeout_seconds"),
            "ProductionVariantModelDataDownloadTimeoutInSeconds",
        ),
    ):
        if seconds is not None:
            low, high = limits(shape)
            problems.require(
                low <= seconds <= high,
                f"{where}.{key}",
                seconds,
                f"SageMaker allows {low} to {high} seconds",
                f"choose {low} to {high}",
            )
    routing = variant.get("routing_strategy")  # filled on instance variants
    if routing is not None:
        problems.require(
            routing in ROUTING_STRATEGIES,
            f"{where}.routing_strategy",
            routing,
            "unknown routing strategy",
            f"use one of {', '.join(ROUTING_STRATEGIES)}",
        )
    weight = variant["initial_variant_weight"]
    problems.require(
        weight >= 0,
        f"{where}.initial_variant_weight",
        weight,
        "weights are not negative",
        "use 0 or more",
    )


def _validate_serverless(where: str, serverless: ServerlessArgs, problems: Problems) -> None:
    check_limits(SERVERLESS_LIMITS, serverless, problems, prefix=f"{where}.serverless.")
    concurrency = serverless["max_concurrency"]
    # botocore ServerlessProvisionedConcurrency: "should be less than or equal to MaxConcurrency".
    provisioned = serverless.get("provisioned_concurrency")
    if provisioned is not None:
        problems.require(
            1 <= provisioned <= concurrency,
            f"{where}.serverless.provisioned_concurrency",
            provisioned,
            "provisioned concurrency is 1 to max_concurrency",
            "lower it",
        )


def _validate_autoscaling(where: str, variant: VariantArgs, count: int, problems: Problems) -> None:
    scaling = variant["autoscaling"]
    instance_type = variant.get("instance_type", "")
    problems.require(
        not instance_type.startswith("ml.t"),
        f"{where}.autoscaling",
        instance_type,
        "burstable ml.t* instances cannot be autoscaled (their CPU credits distort load)",
        "use a non-burstable type or remove autoscaling",
    )
    low, high = scaling["min_instances"], scaling["max_instances"]
    problems.require(
        1 <= low <= high,
        f"{where}.autoscaling",
        f"min {low}, max {high}",
        "autoscaling needs 1 <= min_instances <= max_instances",
        "fix the bounds",
    )
    problems.require(
        low <= count <= high,
        f"{where}.initial_instance_count",
        count,
        f"the variant starts outside its autoscaling bounds {low}-{high}",
        "start within min_instances and max_instances",
    )
    problems.require(
        scaling["target_invocations_per_instance"] > 0,
        f"{where}.autoscaling.target_invocations_per_instance",
        scaling["target_invocations_per_instance"],
        "the target must be positive",
        "use 1 or more",
    )
    for key in ("scale_in_cooldown_seconds", "scale_out_cooldown_seconds"):
        if key in scaling:
            problems.require(
                scaling[key] >= 0,
                f"{where}.autoscaling.{key}",
                scaling[key],
                "cooldowns are not negative",
                "use 0 or more",
            )
