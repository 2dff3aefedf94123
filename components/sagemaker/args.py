"""Arguments of ModelEndpoint: typed, flat, in AWS terms with units.

No `from __future__ import annotations` here: Pulumi's component analyzer and TypedDict's
required/optional keys both need the annotations evaluated.
"""

from typing import NotRequired, TypedDict

import pulumi

from mlrails_components.governance.args import ModelCardArgs


class ServerlessArgs(TypedDict):
    """Serverless capacity of a variant (instead of instances)."""

    memory_size_mb: int
    """Memory per worker: 1024, 2048, 3072, 4096, 5120 or 6144 MB."""
    max_concurrency: int
    """Concurrent invocations the variant serves, 1 to 200."""
    provisioned_concurrency: NotRequired[int]
    """Warm workers kept ready, at most max_concurrency. Default: none (cold starts possible)."""


class AutoscalingArgs(TypedDict):
    """Target-tracking autoscaling of an instance variant on invocations per instance."""

    min_instances: int
    """Fewest instances the variant scales in to."""
    max_instances: int
    """Most instances the variant scales out to."""
    target_invocations_per_instance: int
    """Invocations per instance per minute the policy keeps the variant at."""
    scale_in_cooldown_seconds: NotRequired[int]
    """Seconds after a scale-in before the next one. Default: 300, so a dip does not shed capacity."""
    scale_out_cooldown_seconds: NotRequired[int]
    """Seconds after a scale-out before the next one. Default: 60."""
    accept_capacity_drop_during_rollout: NotRequired[bool]
    """Must be true: every update of the endpoint restarts this variant at
    initial_instance_count, however far it had scaled out, and autoscaling is blocked until the
    update ends (pulumi-aws cannot send UpdateEndpoint's RetainAllVariantProperties). Size
    initial_instance_count for the traffic a rollout must carry."""


class VariantArgs(TypedDict):
    """A production (or shadow) variant: one model version behind the endpoint."""

    name: str
    """Variant name, unique in the endpoint (SageMaker name rules, at most 63 characters)."""
    image: NotRequired[pulumi.Input[str]]
    """Container image URI. Give exactly one of image, framework or model_package_arn."""
    framework: NotRequired[str]
    """SageMaker framework or algorithm (xgboost, sklearn, pytorch, ...), resolved offline to the
    AWS image URI for the region with sagemaker.core.image_uris."""
    framework_version: NotRequired[str]
    """Version of the framework, e.g. 1.7-1 for xgboost. Required with framework."""
    python_version: NotRequired[str]
    """Python version of framework images that need one, e.g. py310."""
    model_package_arn: NotRequired[pulumi.Input[str]]
    """A versioned model package from the model registry, instead of an image."""
    model_package_approval_status: NotRequired[str]
    """The package's approval status (ModelPackageVersion.variant() fills it). Endpoints that
    require approved models refuse anything but Approved. Default: unknown."""
    model_package_image: NotRequired[pulumi.Input[str]]
    """The model package's inference image (ModelPackageVersion.variant() fills it). The
    execution role may pull it. Required with model_package_arn when the component creates the
    role."""
    model_package_model_data_url: NotRequired[pulumi.Input[str]]
    """S3 URI of the model package's model data (ModelPackageVersion.variant() fills it). The
    execution role may read it. Required with model_package_arn when the component creates the
    role, unless the package has no model data (model_package_without_model_data)."""
    model_package_without_model_data: NotRequired[bool]
    """The model package's container has no model data (the image carries the model). Default:
    false."""
    model_data_url: NotRequired[pulumi.Input[str]]
    """S3 URI of one gzip-compressed tar archive of the model (`.tar.gz`), passed as ModelDataUrl.
    The execution role may read only this object."""
    model_data_prefix: NotRequired[pulumi.Input[str]]
    """S3 prefix (ending in `/`) of uncompressed model files, instead of model_data_url: passed as
    ModelDataSource (S3Prefix, no compression). The execution role may list and read only this
    prefix. Not on serverless variants."""
    model_data_kms_key_arn: NotRequired[pulumi.Input[str]]
    """KMS key that encrypts the model data (model_data_url, model_data_prefix or the package's
    model data), e.g. the artifacts EncryptedBucket's key_arn. The execution role may decrypt
    with it through S3 only. Required with model data when the component creates the role,
    unless model_data_encrypted_with_s3_managed_key."""
    model_data_encrypted_with_s3_managed_key: NotRequired[bool]
    """The model data's bucket encrypts with S3-managed keys (SSE-S3), not a customer key, so
    no KMS grant is made. Anyone with S3 read on the objects can read the model. Default: false."""
    environment: NotRequired[dict[str, pulumi.Input[str]]]
    """Environment variables of the model container."""
    instance_type: NotRequired[str]
    """ML instance type, checked against botocore's SageMaker service model."""
    initial_instance_count: NotRequired[int]
    """Instances the variant starts with. Default: 2, so one instance can fail."""
    serverless: NotRequired[ServerlessArgs]
    """Serverless capacity instead of instances. Default: instances."""
    initial_variant_weight: NotRequired[float]
    """Share of traffic relative to the other production variants. Default: 1."""
    volume_size_gb: NotRequired[int]
    """ML storage volume per instance, 1 to 512 GB. Default: the instance type's default."""
    container_startup_health_check_timeout_seconds: NotRequired[int]
    """Seconds the container may take to pass its health check, 60 to 3600. Default: SageMaker's."""
    model_data_download_timeout_seconds: NotRequired[int]
    """Seconds to download the model data, 60 to 3600. Default: SageMaker's."""
    routing_strategy: NotRequired[str]
    """LEAST_OUTSTANDING_REQUESTS or RANDOM. Default: LEAST_OUTSTANDING_REQUESTS."""
    autoscaling: NotRequired[AutoscalingArgs]
    """Target-tracking autoscaling. Default: none (fixed instance count). Not on ml.t* types."""
    model_card: NotRequired[ModelCardArgs]
    """The model card of this variant's model: its sections (a ModelCard is created and names
    the model), or only the card_name of an existing card (`{"card_name": card.card_name}` for a
    ModelCard of this program). The model is tagged
    `model-card=<card name>`. Default: none (the sagemaker-model-card rule reports the model)."""


class DeploymentArgs(TypedDict):
    """How an update reaches traffic, and when SageMaker rolls it back."""

    strategy: str
    """all_at_once, canary, linear or rolling. Default: canary."""
    canary_percent: NotRequired[int]
    """Canary size as a share of the fleet, 1 to 50. Default: 10 (when no canary_instances)."""
    canary_instances: NotRequired[int]
    """Canary size in instances, at most half the fleet. Default: none (canary_percent)."""
    linear_step_percent: NotRequired[int]
    """Traffic shifted per linear step, 10 to 50. Default: 20."""
    rolling_batch_percent: NotRequired[int]
    """Capacity replaced per rolling batch, 5 to 50. Default: 20."""
    bake_minutes: NotRequired[int]
    """Minutes traffic bakes on the new fleet (canary), per step (linear) or per batch
    (rolling), while the rollback alarms watch it. 0 to 60. Default: 10."""
    termination_wait_minutes: NotRequired[int]
    """Minutes the old fleet stays up after the switch, for a fast manual rollback. 0 to 60.
    Default: 5."""
    maximum_execution_timeout_minutes: NotRequired[int]
    """Minutes the whole update may take before SageMaker stops and rolls it back, 10 to 480.
    Default: 60."""


class DataCaptureArgs(TypedDict):
    """Where and how inference requests and responses are captured."""

    destination_s3_uri: NotRequired[pulumi.Input[str]]
    """S3 URI (a prefix) for captured data. Default: a new EncryptedBucket for capture data
    (kept at least 183 days), prefix `<endpoint name>/`."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key that encrypts captured data; required with destination_s3_uri. Default: the capture
    bucket's key."""
    sampling_percent: NotRequired[int]
    """Share of requests captured, 1 to 100. Default: 100."""
    capture_modes: NotRequired[list[str]]
    """Input, Output or both. Default: both."""
    csv_content_types: NotRequired[list[str]]
    """Content types captured as CSV. Default: text/csv."""
    json_content_types: NotRequired[list[str]]
    """Content types captured as JSON. Default: application/json."""


class RollbackAlarmArgs(TypedDict):
    """Thresholds of the alarms that roll a deployment back."""

    error_rate_percent: NotRequired[float]
    """5XX responses as a share of invocations that trips rollback. Default: 1%."""
    latency_p99_ms: NotRequired[float]
    """p99 model latency in milliseconds that trips rollback. Default: 1000 ms."""
    period_seconds: NotRequired[int]
    """Metric period, 60 or a multiple of 60. Default: 60."""
    evaluation_periods: NotRequired[int]
    """Periods evaluated; their window must end within the bake time. Default: 3."""
    datapoints_to_alarm: NotRequired[int]
    """Breaching periods (of evaluation_periods) that trip the alarm. Default: 2."""


class ModelEndpointArgs(TypedDict):
    """Arguments of ModelEndpoint."""

    endpoint_name: NotRequired[str]
    """Endpoint name. Default: the component name and a stable suffix of the project and stack,
    so stacks never collide and alarms can name the endpoint before it exists."""
    variants: list[VariantArgs]
    """One to ten production variants."""
    shadow_variant: NotRequired[VariantArgs]
    """A shadow variant that receives a copy of production traffic; its responses are captured,
    never returned. Requires exactly one production variant."""
    shadow_sampling_percent: NotRequired[int]
    """Share of production requests copied to the shadow variant, 1 to 100. Default: 100."""
    deployment: NotRequired[DeploymentArgs]
    """Update strategy. Default: canary 10% with a 10-minute bake and automatic rollback.
    Serverless endpoints support all_at_once only."""
    rollback_alarms: NotRequired[RollbackAlarmArgs]
    """Thresholds of the rollback alarms created per variant (5XX rate and p99 latency)."""
    extra_rollback_alarm_names: NotRequired[list[pulumi.Input[str]]]
    """More CloudWatch alarms whose firing rolls a deployment back."""
    alarm_actions: NotRequired[list[pulumi.Input[str]]]
    """Where the rollback alarms notify (e.g. an AlertTopic ARN). Default: none; the
    sagemaker-endpoint-alarms rule then asks for EndpointAlarms or an action here."""
    data_capture: NotRequired[DataCaptureArgs]
    """Data capture settings. Default: on, 100% of requests and responses, into a new
    encrypted capture bucket."""
    disable_data_capture_unmonitorable: NotRequired[bool]
    """Turn data capture off. The endpoint can then be neither monitored nor audited; the
    sagemaker-data-capture rule reports it. Default: false."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key that encrypts the instances' ML storage volumes. Default: a new EncryptionKey."""
    execution_role_arn: NotRequired[pulumi.Input[str]]
    """An existing execution role for the models. It must allow what the new role would: read
    and decrypt the model data, pull the images, write capture, and cloudwatch:DescribeAlarms
    on the rollback alarms. Default: a new least-privilege role with exactly that."""
    vpc_subnet_ids: NotRequired[list[pulumi.Input[str]]]
    """Private subnets the model containers run in. Default: none (SageMaker's network)."""
    vpc_security_group_ids: NotRequired[list[pulumi.Input[str]]]
    """Security groups of the model containers; required with vpc_subnet_ids."""
    allow_model_network_access: NotRequired[bool]
    """Let model containers make outbound network calls (network isolation off). They could
    then send inference data anywhere. Default: false."""
    require_approved_model_packages: NotRequired[bool]
    """Refuse variants whose model package is not Approved. Default: false; production stacks
    set it."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags merged into every child."""
