"""Every check of ModelEndpoint's arguments, against SageMaker's own limits.

Names, instance types and timeouts come from botocore's SageMaker service model (see
`service_model`), the tables the AWS API validates with; the other limits are in `limits`, each
with its source. The checks judge the endpoint `defaults.resolve` describes, defaults filled.
"""

from __future__ import annotations

import re

from mlrails_components.sagemaker import defaults
from mlrails_components.sagemaker.args import ModelEndpointArgs, VariantArgs
from mlrails_components.sagemaker.defaults import resolve
from mlrails_components.sagemaker.deployment_validation import (
    validate_deployment,
    validate_rollback_alarms,
)
from mlrails_components.sagemaker.exclusions import (
    validate_guardrails,
    validate_model_data,
    validate_serverless,
)
from mlrails_components.sagemaker.limits import SAMPLING_PERCENT, VARIANTS
from mlrails_components.sagemaker.service_model import valid_name
from mlrails_components.sagemaker.variant_validation import validate_variant
from mlrails_components.support.validation import Problems, check_types, each, plain

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")


def validate(
    name: str, given: ModelEndpointArgs, endpoint_name: str, problems: Problems
) -> ModelEndpointArgs:
    """`given` with its defaults filled in (`resolve`), every problem with it added to
    `problems`; `given` itself when its types are wrong."""
    check_types(ModelEndpointArgs, given, problems)
    if problems.found:
        return given  # the checks below read values whose types are now known to be right
    args = resolve(given)
    problems.require(
        valid_name(endpoint_name),
        "endpoint_name",
        endpoint_name,
        "SageMaker names are at most 63 letters, digits and single hyphens, starting with a letter or digit",
        "pass a shorter endpoint_name or component name",
    )
    variants = args["variants"]
    problems.require(
        VARIANTS.allows(len(variants)),
        "variants",
        f"{len(variants)} variants",
        VARIANTS.problem,
        VARIANTS.fix,
    )
    labelled = [(f"variants[{i}]", v) for i, v in enumerate(variants)]
    if "shadow_variant" in args:
        labelled.append(("shadow_variant", args["shadow_variant"]))
    everything = [variant for _, variant in labelled]
    serverless = any("serverless" in v for v in everything)
    for where, variant in labelled:
        validate_variant(where, variant, problems)
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
    weights = [v["initial_variant_weight"] for v in variants]
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
    SAMPLING_PERCENT.check("shadow_sampling_percent", args["shadow_sampling_percent"], problems)
    # Filled in on instance endpoints only; an endpoint of both kinds is refused above.
    deployment = args.get("deployment") if kinds == {False} else None
    if deployment is not None:
        validate_deployment(deployment, variants, problems)
        validate_guardrails(deployment, variants, problems)
    elif serverless and "deployment" in args:
        problems.require(
            args["deployment"]["strategy"] == "all_at_once",
            "deployment.strategy",
            args["deployment"]["strategy"],
            "SageMaker has no deployment guardrails for serverless endpoints",
            "use all_at_once",
        )
    # Serverless variants get the same alarms, though there they cannot drive a rollback.
    validate_rollback_alarms(args["rollback_alarms"], deployment, problems)
    _validate_capture(args, problems)
    if args.get("require_approved_model_packages"):
        _validate_approved_packages(labelled, problems)
    for value in each(args["extra_rollback_alarm_names"]):
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
    return args


def _validate_capture(args: ModelEndpointArgs, problems: Problems) -> None:
    capture = args["data_capture"]
    SAMPLING_PERCENT.check("data_capture.sampling_percent", capture["sampling_percent"], problems)
    modes = capture["capture_modes"]
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
