"""What SageMaker refuses, excludes or quietly does differently, checked before registering.

Each check names the page or shape that states the behaviour. `advisories` lists what is
legal but weaker than the component's claims (reported as warnings, not refused).
"""

from __future__ import annotations

import math

from mlrails_components.sagemaker.args import DeploymentArgs, ModelEndpointArgs, VariantArgs
from mlrails_components.sagemaker.instance_facts import has_local_storage
from mlrails_components.sagemaker.model_data import ARCHIVE_SUFFIX, PREFIX_SUFFIX
from mlrails_components.support.validation import Problems, plain

MODEL_DATA_KEYS = ("model_data_url", "model_data_prefix", "model_package_model_data_url")
PACKAGE_ONLY_KEYS = (
    "model_package_image",
    "model_package_model_data_url",
    "model_package_without_model_data",
)
GUARDRAILS_PAGE = (
    "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html"
)


def validate_model_data(
    where: str, variant: VariantArgs, creates_role: bool, serverless: bool, problems: Problems
) -> None:
    """The form of the model data (F7) and what the new role must know to fetch it (F1, F2)."""
    for key in MODEL_DATA_KEYS:
        value = variant.get(key)
        if isinstance(value, str) and plain(value):
            problems.require(
                value.startswith("s3://") and len(value) > 5,
                f"{where}.{key}",
                value,
                "model data lives in S3",
                "pass an s3:// URI",
            )
    url, prefix = variant.get("model_data_url"), variant.get("model_data_prefix")
    if isinstance(url, str) and plain(url) and url.startswith("s3://"):
        # botocore ContainerDefinition.ModelDataUrl: "a single gzip compressed tar archive".
        problems.require(
            url.endswith(ARCHIVE_SUFFIX),
            f"{where}.model_data_url",
            url,
            "ModelDataUrl must name one gzip-compressed tar archive (.tar.gz)",
            "pass uncompressed model files under a prefix ending in / as model_data_prefix"
            if url.endswith(PREFIX_SUFFIX)
            else "point it at the model's .tar.gz",
        )
    if isinstance(prefix, str) and plain(prefix) and prefix.startswith("s3://"):
        # botocore S3ModelDataSource.S3DataType: a key name prefix "always ends with a /".
        problems.require(
            prefix.endswith(PREFIX_SUFFIX),
            f"{where}.model_data_prefix",
            prefix,
            "an S3 prefix of model data ends with /",
            "end it with / (or pass a .tar.gz as model_data_url)",
        )
    problems.require(
        "model_data_url" not in variant or "model_data_prefix" not in variant,
        where,
        "model_data_url and model_data_prefix",
        "a variant's model data is one archive or one prefix",
        "give one of them",
    )
    if serverless:
        # botocore ContainerDefinition.ModelDataSource: "you cannot use ModelDataSource in
        # conjunction with ... SageMaker serverless endpoints".
        problems.require(
            "model_data_prefix" not in variant,
            f"{where}.model_data_prefix",
            "set",
            "serverless endpoints take only compressed model data (no ModelDataSource)",
            "pass a .tar.gz as model_data_url",
        )
    if "model_package_arn" in variant:
        _validate_package(where, variant, creates_role, problems)
    else:
        for key in PACKAGE_ONLY_KEYS:
            problems.require(
                key not in variant,
                f"{where}.{key}",
                "set",
                "only a model package variant has a package image or package model data",
                "remove it, or deploy model_package_arn",
            )
    has_data = any(key in variant for key in MODEL_DATA_KEYS)
    s3_managed = variant.get("model_data_encrypted_with_s3_managed_key", False)
    problems.require(
        not (s3_managed and "model_data_kms_key_arn" in variant),
        f"{where}.model_data_kms_key_arn",
        "set with model_data_encrypted_with_s3_managed_key",
        "the model data is encrypted either with a customer key or with S3-managed keys",
        "keep one of them",
    )
    problems.require(
        has_data or "model_data_kms_key_arn" not in variant,
        f"{where}.model_data_kms_key_arn",
        "set without model data",
        "there is no model data for the key to decrypt",
        "remove it, or give the model data",
    )
    if creates_role and has_data:
        # S3 UG UsingKMSEncryption: reading an SSE-KMS object needs kms:Decrypt on its key;
        # DG sagemaker-roles.md: "If your input is encrypted using SSE-KMS add kms:Decrypt".
        problems.require(
            "model_data_kms_key_arn" in variant or s3_managed,
            f"{where}.model_data_kms_key_arn",
            None,
            "the execution role could not decrypt SSE-KMS model data without the key, and "
            "the model download would fail",
            "pass the key of the model data's bucket (e.g. artifacts.key_arn), or set "
            "model_data_encrypted_with_s3_managed_key for an SSE-S3 bucket",
        )


def _validate_package(where: str, variant: VariantArgs, creates_role: bool, problems) -> None:
    for key in ("model_data_url", "model_data_prefix"):
        problems.require(
            key not in variant,
            f"{where}.{key}",
            "set with model_package_arn",
            "a model package names its own model data",
            "pass the package's data as model_package_model_data_url",
        )
    if not creates_role:
        return
    # DG sagemaker-roles.md, CreateModel: the execution role reads the package's model data
    # and pulls its image, so the role needs both named.
    problems.require(
        "model_package_image" in variant,
        f"{where}.model_package_image",
        None,
        "the execution role could not pull the package's image",
        "use ModelPackageVersion.variant(), or pass the package's image URI",
    )
    problems.require(
        "model_package_model_data_url" in variant
        or variant.get("model_package_without_model_data", False),
        f"{where}.model_package_model_data_url",
        None,
        "the execution role could not read the package's model data",
        "use ModelPackageVersion.variant(), pass the package's model data URI, or set "
        "model_package_without_model_data",
    )


def validate_serverless(variants: list[VariantArgs], problems: Problems) -> None:
    """DG serverless-endpoints.md, exclusions: no multiple production variants (W10)."""
    problems.require(
        len(variants) == 1,
        "variants",
        f"{len(variants)} serverless variants",
        "Serverless Inference does not support multiple production variants "
        "(https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html)",
        "keep one serverless variant, or serve on instances",
    )


def validate_guardrails(
    deployment: DeploymentArgs, variants: list[VariantArgs], problems: Problems
) -> None:
    """Guardrail exclusions (W11) and the execution timeout against the total wait (W12)."""
    strategy = deployment["strategy"]
    if strategy == "rolling":
        problems.require(
            len(variants) == 1,
            "deployment.strategy",
            f"rolling on {len(variants)} variants",
            f"SageMaker excludes multi-variant endpoints from rolling deployments ({GUARDRAILS_PAGE})",
            "use canary or linear, or serve one variant",
        )
    waits = _wait_intervals(deployment)
    if waits is None:
        return
    bake = deployment["bake_minutes"]
    total = waits * bake + (0 if strategy == "rolling" else deployment["termination_wait_minutes"])
    timeout = deployment["maximum_execution_timeout_minutes"]
    # botocore BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds: "should be larger than
    # the total waiting time specified in TerminationWaitInSeconds and WaitIntervalInSeconds";
    # RollingUpdatePolicy's is "the time limit for the total deployment". 600-28800 s
    # (botocore MaximumExecutionTimeoutInSeconds).
    problems.require(
        total < timeout,
        "deployment.maximum_execution_timeout_minutes",
        timeout,
        f"the {strategy} update waits at least {total} minutes ({waits} x {bake} minutes of "
        "baking"
        + (
            ""
            if strategy == "rolling"
            else f" + {deployment['termination_wait_minutes']} of termination wait"
        )
        + "), so SageMaker would stop and roll back every update",
        f"raise it above {total} (at most 480) or bake shorter",
    )


def _wait_intervals(deployment: DeploymentArgs) -> int | None:
    """How many WaitIntervalInSeconds an update spends: one per traffic shift or batch.

    The last shift bakes too: DG deployment-guardrails-exclusions.md says the excluded cases
    fall back to all at once "and no final baking period", which the others have.
    """
    strategy = deployment["strategy"]
    if strategy == "all_at_once":
        return 1
    if strategy == "canary":
        return 2  # the canary, then the rest of the traffic
    if strategy == "linear":
        return math.ceil(100 / deployment["linear_step_percent"])
    if strategy == "rolling":
        return math.ceil(100 / deployment["rolling_batch_percent"])
    return None


def validate_autoscaled_rollout(where: str, variant: VariantArgs, problems: Problems) -> None:
    """W6: every update starts the variant at initial_instance_count, whatever it scaled to.

    UpdateEndpoint's RetainAllVariantProperties "The default is false" (botocore), and
    pulumi-aws's Endpoint cannot set it (hashicorp/terraform-provider-aws PR #49069, open);
    autoscaling is blocked while the update runs (DG endpoint-scaling.md, "Update endpoints
    that use automatic scaling"). The drop is accepted explicitly.
    """
    scaling = variant["autoscaling"]
    problems.require(
        scaling.get("accept_capacity_drop_during_rollout", False),
        f"{where}.autoscaling.accept_capacity_drop_during_rollout",
        None,
        "each update restarts the variant at initial_instance_count "
        f"({variant['initial_instance_count']}) however far it had "
        "scaled out, and autoscaling is blocked until the update ends",
        "size initial_instance_count for the traffic a rollout must carry and set "
        "accept_capacity_drop_during_rollout: true",
    )


def advisories(args: ModelEndpointArgs) -> list[str]:
    """Legal settings that do not do all the component's defaults claim (K4, K5), in resolved
    arguments (`defaults.resolve`)."""
    notes = []
    variants = [
        *args.get("variants", []),
        *([args["shadow_variant"]] if "shadow_variant" in args else []),
    ]
    strategy = args["deployment"]["strategy"] if "deployment" in args else "all_at_once"
    for variant in variants:
        instance_type = variant.get("instance_type")
        if instance_type is None:
            continue
        if has_local_storage(instance_type):
            # botocore CreateEndpointConfigInput.KmsKeyId: on Nitro instances with local storage
            # "the KmsKeyId parameter does not encrypt instance local storage".
            notes.append(
                f"variant {variant['name']}: {instance_type} has local instance storage, which "
                "the volume key does not encrypt (the instance's hardware module does)"
            )
        if instance_type.startswith("ml.inf1.") and strategy in ("canary", "linear"):
            # DG deployment-guardrails-exclusions.md: Inf1 instances fall back to all-at-once
            # traffic shifting with no final baking period.
            notes.append(
                f"variant {variant['name']}: SageMaker deploys {instance_type} all at once "
                f"without a final bake, not {strategy} ({GUARDRAILS_PAGE})"
            )
    return notes
