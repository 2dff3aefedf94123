"""Every check of ModelEndpoint's arguments, against SageMaker's own limits.

Names, instance types and timeouts come from botocore's SageMaker service model (see
`service_model`), the tables the AWS API validates with; the deployment limits are those of
the SageMaker guide.
"""

from __future__ import annotations

import math
import re
from typing import Any

from components.sagemaker import defaults
from components.sagemaker.args import (
    DeploymentArgs,
    ModelEndpointArgs,
    RollbackAlarmArgs,
    VariantArgs,
)
from components.sagemaker.deployment import STRATEGIES, with_defaults
from components.sagemaker.exclusions import (
    validate_autoscaled_rollout,
    validate_guardrails,
    validate_model_data,
    validate_serverless,
)
from components.sagemaker.service_model import is_instance_type, limits, valid_name
from components.support.validation import Problems, check_types, each, plain

MAX_VARIANTS = 10
SERVERLESS_MEMORY_MB = (1024, 2048, 3072, 4096, 5120, 6144)
ROUTING_STRATEGIES = ("LEAST_OUTSTANDING_REQUESTS", "RANDOM")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")


def validate(name: str, args: ModelEndpointArgs, endpoint_name: str, problems: Problems) -> None:
    check_types(ModelEndpointArgs, args, problems)
    if problems.found:
        return  # the checks below read values whose types are now known to be right
    problems.require(
        valid_name(endpoint_name),
        "endpoint_name",
        endpoint_name,
        "SageMaker names are at most 63 letters, digits and single hyphens, starting with a letter or digit",
        "pass a shorter endpoint_name or component name",
    )
    variants = args["variants"]
    problems.require(
        1 <= len(variants) <= MAX_VARIANTS,
        "variants",
        f"{len(variants)} variants",
        f"an endpoint has 1 to {MAX_VARIANTS} production variants",
        "give between 1 and 10",
    )
    labelled = [(f"variants[{i}]", v) for i, v in enumerate(variants)]
    if "shadow_variant" in args:
        labelled.append(("shadow_variant", args["shadow_variant"]))
    everything = [variant for _, variant in labelled]
    serverless = any("serverless" in v for v in everything)
    for where, variant in labelled:
        _validate_variant(where, variant, problems)
        validate_model_data(where, variant, "execution_role_arn" not in args, serverless, problems)
    names = [v["name"] for v in everything]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    problems.require(
        not duplicates,
        "variants",
        duplicates,
        "variant names must be unique",
        "rename the duplicates",
    )
    weights = [v.get("initial_variant_weight", defaults.VARIANT_WEIGHT) for v in variants]
    problems.require(
        any(w > 0 for w in weights),
        "variants[].initial_variant_weight",
        weights,
        "no variant would receive traffic",
        "give at least one variant a weight above 0",
    )
    kinds = {"serverless" in v for v in everything}
    problems.require(
        len(kinds) <= 1,
        "variants",
        "serverless and instance variants",
        "an endpoint's variants are all serverless or all on instances",
        "choose one kind",
    )
    serverless = kinds == {True}
    if serverless:
        validate_serverless(variants, problems)
    if "shadow_variant" in args:
        problems.require(
            len(variants) == 1,
            "shadow_variant",
            args["shadow_variant"]["name"],
            "a shadow variant shadows exactly one production variant",
            "keep one production variant",
        )
    sampling = args.get("shadow_sampling_percent", defaults.SAMPLING_PERCENT)
    problems.require(
        1 <= sampling <= 100,
        "shadow_sampling_percent",
        sampling,
        "a share is 1 to 100",
        "choose 1 to 100",
    )
    deployment = None if serverless else with_defaults(args.get("deployment"))
    if deployment is not None:
        _validate_deployment(deployment, variants, problems)
        validate_guardrails(deployment, variants, problems)
    elif "deployment" in args:
        problems.require(
            args["deployment"].get("strategy") == "all_at_once",
            "deployment.strategy",
            args["deployment"].get("strategy"),
            "SageMaker has no deployment guardrails for serverless endpoints",
            "use all_at_once",
        )
    # Serverless variants get the same alarms, though there they cannot drive a rollback.
    _validate_rollback_alarms(
        defaults.rollback_alarms_with_defaults(args.get("rollback_alarms")), deployment, problems
    )
    _validate_capture(args, problems)
    if args.get("require_approved_model_packages"):
        _validate_approved_packages(labelled, problems)
    for value in each(args.get("extra_rollback_alarm_names", [])):
        problems.require(
            bool(value), "extra_rollback_alarm_names", value, "empty alarm name", "remove it"
        )
    subnets, groups = args.get("vpc_subnet_ids"), args.get("vpc_security_group_ids")
    problems.require(
        bool(subnets) == bool(groups),
        "vpc_subnet_ids / vpc_security_group_ids",
        (subnets, groups),
        "a VPC placement needs both subnets and security groups",
        "give both or neither",
    )
    role = args.get("execution_role_arn")
    if isinstance(role, str):
        problems.require(
            bool(_ROLE_ARN.match(role)),
            "execution_role_arn",
            role,
            "not an IAM role ARN",
            "pass arn:aws:iam::<account>:role/<name>",
        )


def _validate_variant(where: str, variant: VariantArgs, problems: Problems) -> None:
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
        count = variant.get("initial_instance_count", defaults.INSTANCE_COUNT)
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
    volume = variant.get("volume_size_gb")
    if volume is not None:
        problems.require(
            1 <= volume <= 512,
            f"{where}.volume_size_gb",
            volume,
            "volumes are 1 to 512 GB",
            "choose 1 to 512",
        )
    for key, shape in (
        (
            "container_startup_health_check_timeout_seconds",
            "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds",
        ),
        (
            "model_data_download_timeout_seconds",
            "ProductionVariantModelDataDownloadTimeoutInSeconds",
        ),
    ):
        if key in variant:
            low, high = limits(shape)
            problems.require(
                low <= variant[key] <= high,
                f"{where}.{key}",
                variant[key],
                f"SageMaker allows {low} to {high} seconds",
                f"choose {low} to {high}",
            )
    routing = variant.get("routing_strategy")
    if routing is not None:
        problems.require(
            routing in ROUTING_STRATEGIES,
            f"{where}.routing_strategy",
            routing,
            "unknown routing strategy",
            f"use one of {', '.join(ROUTING_STRATEGIES)}",
        )
    weight = variant.get("initial_variant_weight", defaults.VARIANT_WEIGHT)
    problems.require(
        weight >= 0,
        f"{where}.initial_variant_weight",
        weight,
        "weights are not negative",
        "use 0 or more",
    )


def _validate_serverless(where: str, serverless: Any, problems: Problems) -> None:
    memory = serverless["memory_size_mb"]
    problems.require(
        memory in SERVERLESS_MEMORY_MB,
        f"{where}.serverless.memory_size_mb",
        memory,
        "serverless memory comes in 1 GB steps from 1024 to 6144 MB",
        f"use one of {', '.join(map(str, SERVERLESS_MEMORY_MB))}",
    )
    concurrency = serverless["max_concurrency"]
    problems.require(
        1 <= concurrency <= 200,
        f"{where}.serverless.max_concurrency",
        concurrency,
        "SageMaker allows 1 to 200",
        "choose 1 to 200",
    )
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


def _validate_deployment(
    deployment: DeploymentArgs, variants: list[VariantArgs], problems: Problems
) -> None:
    strategy = deployment["strategy"]
    problems.require(
        strategy in STRATEGIES,
        "deployment.strategy",
        strategy,
        "unknown strategy",
        f"use one of {', '.join(STRATEGIES)}",
    )
    fleet = min(
        (v.get("initial_instance_count", defaults.INSTANCE_COUNT) for v in variants),
        default=defaults.INSTANCE_COUNT,
    )
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
            problems.require(
                1 <= percent <= 50,
                "deployment.canary_percent",
                percent,
                "a canary is at most 50% of the fleet",
                "choose 1 to 50",
            )
            problems.require(
                math.ceil(fleet * percent / 100) <= fleet / 2,
                "deployment.canary_percent",
                percent,
                f"on a fleet of {fleet} instance(s) the canary would take {math.ceil(fleet * percent / 100)} of them, "
                "more than half",
                "run at least 2 instances per variant, or deploy all_at_once or rolling",
            )
    elif strategy == "linear":
        step = deployment["linear_step_percent"]
        problems.require(
            10 <= step <= 50,
            "deployment.linear_step_percent",
            step,
            "linear steps are 10% to 50% of the fleet",
            "choose 10 to 50",
        )
    elif strategy == "rolling":
        batch = deployment["rolling_batch_percent"]
        problems.require(
            5 <= batch <= 50,
            "deployment.rolling_batch_percent",
            batch,
            "rolling batches are 5% to 50% of the fleet",
            "choose 5 to 50",
        )
    for key, shape in (
        ("bake_minutes", "WaitIntervalInSeconds"),
        ("termination_wait_minutes", "TerminationWaitInSeconds"),
        ("maximum_execution_timeout_minutes", "MaximumExecutionTimeoutInSeconds"),
    ):
        low, high = limits(shape)
        seconds = deployment[key] * 60
        problems.require(
            low <= seconds <= high,
            f"deployment.{key}",
            deployment[key],
            f"SageMaker allows {low} to {high} seconds",
            f"choose {math.ceil(low / 60)} to {high // 60} minutes",
        )


def _validate_rollback_alarms(
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


def _validate_capture(args: ModelEndpointArgs, problems: Problems) -> None:
    capture = args.get("data_capture", {})
    sampling = capture.get("sampling_percent", defaults.SAMPLING_PERCENT)
    problems.require(
        1 <= sampling <= 100,
        "data_capture.sampling_percent",
        sampling,
        "a share is 1 to 100",
        "choose 1 to 100",
    )
    modes = capture.get("capture_modes", list(defaults.CAPTURE_MODES))
    problems.require(
        bool(modes) and set(modes) <= set(defaults.CAPTURE_MODES),
        "data_capture.capture_modes",
        modes,
        "capture Input, Output or both",
        "use ['Input', 'Output']",
    )
    if "destination_s3_uri" in capture:
        problems.require(
            "kms_key_arn" in capture,
            "data_capture.kms_key_arn",
            None,
            "captured data must be encrypted with a customer key",
            "pass the destination's key ARN",
        )
        destination = capture["destination_s3_uri"]
        if isinstance(destination, str) and plain(destination):
            problems.require(
                destination.startswith("s3://"),
                "data_capture.destination_s3_uri",
                destination,
                "capture goes to S3",
                "pass an s3:// URI",
            )


def _validate_approved_packages(
    labelled: list[tuple[str, VariantArgs]], problems: Problems
) -> None:
    for where, variant in labelled:
        if "model_package_arn" in variant:
            status = variant.get("model_package_approval_status", "unknown")
            problems.require(
                status == "Approved",
                f"{where}.model_package_approval_status",
                status,
                "this endpoint requires approved models and the package is not Approved",
                "approve the version in the model registry, or deploy an approved one",
            )
