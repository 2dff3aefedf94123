"""The platform's stack configuration: every `ml-platform:` key of Pulumi.<stack>.yaml, typed.

Each field's description is the expected form shown when a stack file gets it wrong.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import pydantic
from pydantic import AfterValidator, Field

from mlrails_components.config import ConfigModel
from mlrails_components.monitoring.schedules import schedule_expression
from mlrails_components.sagemaker import limits
from mlrails_components.sagemaker.service_model import is_instance_type
from mlrails_components.support.images import unpinned_image_problem
from mlrails_components.support.limits import Limit

REQUIRED_TAGS = ("owner", "cost-center", "data-classification")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _instance_type(value: str) -> str:
    if not is_instance_type(value):
        raise ValueError("not a SageMaker hosting instance type")
    return value


def _schedule(value: str) -> str:
    if schedule_expression(value) is None:
        raise ValueError("not a monitoring schedule")
    return value


def _pinned_image(value: str) -> str:
    problem = unpinned_image_problem(value)
    if problem is not None:
        raise ValueError(f"an image must be pinned to a version tag or digest: {problem}")
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("not an email address")
    return value


InstanceType = Annotated[str, AfterValidator(_instance_type)]
Schedule = Annotated[str, AfterValidator(_schedule)]
Email = Annotated[str, AfterValidator(_email)]
AccountId = Annotated[str, Field(pattern=r"^\d{12}$")]


def _bounded(limit: Limit, default: int | None = None) -> Any:
    """A field with the component's limit: its bounds, and its range as the expected form."""
    expected = limit.expected() if limit.step != 1 else f"an integer from {limit.expected()}"
    bounds: dict[str, Any] = {"ge": limit.low, "le": limit.high}
    if limit.step != 1:
        bounds["multiple_of"] = limit.step
    if default is None:
        return Field(description=expected, **bounds)
    return Field(default, description=expected, **bounds)


class Serverless(ConfigModel):
    memory_mb: int = _bounded(limits.SERVERLESS_MEMORY_MB)
    max_concurrency: int = _bounded(limits.SERVERLESS_MAX_CONCURRENCY)


class Serving(ConfigModel):
    """Instances (`instanceType`, `instanceCount`) or serverless, not both."""

    instance_type: InstanceType | None = Field(
        None, description="a SageMaker hosting instance type such as ml.m5.xlarge"
    )
    instance_count: int = Field(1, description="an integer from 1 to 20", ge=1, le=20)
    serverless: Serverless | None = Field(
        None, description="an object with memoryMb and maxConcurrency"
    )

    @pydantic.model_validator(mode="after")
    def _one_kind(self) -> Serving:
        if (self.instance_type is None) == (self.serverless is None):
            raise ValueError("set either instanceType (with instanceCount) or serverless")
        return self


class Rollout(ConfigModel):
    """How a new model version reaches traffic; alarms roll it back."""

    strategy: Literal["all_at_once", "canary", "linear", "rolling"] = Field(
        "canary", description="all_at_once, canary, linear or rolling"
    )
    canary_percent: int = _bounded(limits.CANARY_PERCENT, 10)
    linear_step_percent: int = _bounded(limits.LINEAR_STEP_PERCENT, 20)
    rolling_batch_percent: int = _bounded(limits.ROLLING_BATCH_PERCENT, 25)
    bake_minutes: int = _bounded(limits.BAKE_MINUTES, 10)


class Autoscaling(ConfigModel):
    """Scaling on invocations per instance. Every rollout starts the new fleet at
    serving.instanceCount (autoscaling waits until it ends): size instanceCount for that."""

    min_instances: int = Field(description="an integer of at least 1", ge=1)
    max_instances: int = Field(description="an integer of at least minInstances", ge=1)
    target_invocations_per_instance: int = Field(
        description="invocations per instance per minute, at least 1", ge=1
    )


class ModelQuality(ConfigModel):
    problem_type: Literal["BinaryClassification", "MulticlassClassification", "Regression"] = Field(
        description="BinaryClassification, MulticlassClassification or Regression"
    )
    probability_attribute: str | None = Field(
        None, description="the name of the score in the model's output"
    )
    probability_threshold: float | None = Field(
        None, description="a number from 0 to 1", ge=0, le=1
    )


class Monitoring(ConfigModel):
    """Which Model Monitor jobs watch the endpoint; baselines live in the artifacts bucket."""

    schedule: Schedule = Field("daily", description="hourly, daily or a cron(...) expression")
    data_quality: bool = Field(True, description="true or false")
    model_quality: ModelQuality | None = Field(
        None, description="an object with problemType (and, for scores, probabilityAttribute)"
    )
    bias: bool = Field(False, description="true or false (needs modelQuality's ground truth)")
    bias_segments: list[str] = Field(
        default_factory=list,
        description="with the open-source backend, the columns whose values are the segments "
        "bias compares, e.g. [region]",
    )
    explainability: bool = Field(
        False,
        description="true or false: feature-attribution drift (model-monitor: Clarify's SHAP; "
        "open-source: the job's Clarify-free surrogate, rank association with the output)",
    )
    drift_thresholds: dict[str, float] = Field(
        default_factory=dict, description="feature name to drift distance, e.g. {income: 0.2}"
    )


class Card(ConfigModel):
    """The model card: what the model is for, who owns it, its risk."""

    status: Literal["Draft", "PendingReview", "Approved", "Archived"] = Field(
        "Draft", description="Draft, PendingReview, Approved or Archived"
    )
    description: str = Field(description="what the model does, at most 1024 characters")
    owner: str = Field(description="the team accountable for the model")
    problem_type: str | None = Field(None, description="e.g. Binary classification")
    algorithm: str | None = Field(None, description="e.g. XGBoost")
    intended_uses: str | None = Field(None, description="the uses it was built for")
    risk_rating: Literal["High", "Medium", "Low", "Unknown"] | None = Field(
        None, description="High, Medium, Low or Unknown"
    )
    risk_explanation: str | None = Field(None, description="why that rating")
    ethical_considerations: str | None = Field(None, description="text")
    caveats: str | None = Field(None, description="text")


class Model(ConfigModel):
    """One model: its registered version, card, endpoint, rollout and monitoring."""

    name: str = Field(
        description="lower-case letters, digits and hyphens, starting with a letter, at most "
        "24 characters",
        pattern=_NAME.pattern,
    )
    version: int = Field(description="the model version, an integer of at least 1", ge=1)
    image: Annotated[str, AfterValidator(_pinned_image)] = Field(
        description="the inference image URI, pinned to a tag or digest"
    )
    model_data: str = Field(
        description="the key of model.tar.gz in the artifacts bucket, e.g. churn/v7/model.tar.gz",
        pattern=r"^[^/\s][^\s]*\.tar\.gz$",
    )
    approval_status: Literal["Approved", "PendingManualApproval", "Rejected"] = Field(
        "PendingManualApproval", description="Approved, PendingManualApproval or Rejected"
    )
    card: Card = Field(description="an object with at least description and owner")
    serving: Serving = Field(description="an object with instanceType or serverless")
    rollout: Rollout = Field(default_factory=Rollout, description="an object with strategy")
    autoscaling: Autoscaling | None = Field(
        None, description="an object with minInstances, maxInstances, targetInvocationsPerInstance"
    )
    monitoring: Monitoring | None = Field(
        None, description="an object with the monitors to run (instance endpoints only)"
    )

    @pydantic.model_validator(mode="after")
    def _consistent(self) -> Model:
        serverless = self.serving.serverless is not None
        if serverless and self.monitoring is not None:
            raise ValueError(
                "a serverless endpoint cannot capture data, so it cannot be monitored: drop "
                "monitoring or serve on instances"
            )
        rollout = self.rollout
        if not serverless and rollout.strategy == "canary":
            fleet = self.serving.instance_count
            if not limits.canary_fits(fleet, rollout.canary_percent):
                raise ValueError(
                    f"rollout.canaryPercent {rollout.canary_percent} on serving.instanceCount "
                    f"{fleet}: the canary would take more than half of the fleet; run at least 2 "
                    "instances with canaryPercent at most 50, or use strategy rolling"
                )
        if serverless and self.autoscaling is not None:
            raise ValueError("autoscaling applies to instances; serverless scales by itself")
        scaling = self.autoscaling
        if scaling and scaling.min_instances > scaling.max_instances:
            raise ValueError("autoscaling.minInstances is greater than maxInstances")
        monitoring = self.monitoring
        if monitoring and not (
            monitoring.data_quality
            or monitoring.model_quality
            or monitoring.bias
            or monitoring.explainability
        ):
            raise ValueError("monitoring enables no monitor: enable one, or drop monitoring")
        if monitoring and monitoring.bias and monitoring.model_quality is None:
            raise ValueError("bias monitoring needs modelQuality (its ground truth)")
        return self


class KServeResources(ConfigModel):
    cpu_request: str = Field(description="a CPU quantity such as 500m")
    memory_request: str = Field(description="a memory quantity such as 1Gi")
    cpu_limit: str = Field(description="a CPU quantity such as 2")
    memory_limit: str = Field(description="a memory quantity such as 2Gi")


class KServe(ConfigModel):
    """A model served by KServe on the cluster of the `kubernetes:` provider configuration."""

    name: str = Field(
        description="lower-case letters, digits and hyphens, starting with a letter",
        pattern=_NAME.pattern,
    )
    namespace: str = Field(
        description="the namespace to create for the model", pattern=_NAME.pattern
    )
    model_format: str = Field(description="a KServe model format such as sklearn or xgboost")
    storage_uri: str = Field(description="the model's storage URI, pinned to a version")
    resources: KServeResources = Field(
        description="an object with cpuRequest, memoryRequest, cpuLimit and memoryLimit"
    )
    min_replicas: int = Field(2, description="an integer of at least 1", ge=1)
    max_replicas: int = Field(4, description="an integer of at least minReplicas", ge=1)
    canary_percent: int | None = Field(
        None,
        description="0 to 100: the new revision's share during a rollout (remove to promote, 0 "
        "to roll back)",
        ge=0,
        le=100,
    )
    monitoring_labels: dict[str, str] = Field(
        default_factory=dict, description="labels your Prometheus selects ServiceMonitors by"
    )


class PlatformConfig(ConfigModel):
    """Everything under `ml-platform:` in a stack file."""

    tags: dict[str, str] = Field(
        description="an object with at least owner, cost-center and data-classification"
    )
    alert_emails: list[Email] = Field(
        description="a list of at least one email address", min_length=1
    )
    alert_webhook_url: pydantic.SecretStr | None = Field(
        None,
        description="an https URL set with `pulumi config set --secret alertWebhookUrl`",
    )
    registry_consumer_accounts: list[AccountId] = Field(
        default_factory=list, description="a list of 12-digit AWS account ids"
    )
    require_approved_models: bool = Field(False, description="true or false")
    capture_retention_days: int = Field(
        400, description="an integer of at least 183 (six months of logs)", ge=183
    )
    models: list[Model] = Field(description="a list of at least one model", min_length=1)
    kserve: KServe | None = Field(
        None,
        description="an object describing a model served by KServe (needs a cluster in the "
        "kubernetes: provider configuration)",
    )
    # Model Monitor is closed to new AWS customers (developer guide, "Amazon SageMaker Model
    # Monitor availability change"): new stacks monitor with the open-source job.
    monitoring_backend: Literal["open-source", "model-monitor"] = Field(
        "open-source",
        description="open-source (the monitoring job on Lambda; the default) or model-monitor "
        "(SageMaker Model Monitor, for accounts that already have it)",
    )
    monitoring_job_image: Annotated[str, AfterValidator(_pinned_image)] | None = Field(
        None,
        description="the ECR URI of the monitoring job's image (monitoring_job/Dockerfile), "
        "pinned to a tag or digest; needed by the open-source backend",
    )

    @pydantic.field_validator("tags")
    @classmethod
    def _required_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        missing = [t for t in REQUIRED_TAGS if not tags.get(t)]
        if missing:
            raise ValueError(f"missing tag(s) {', '.join(missing)}")
        return tags

    @pydantic.model_validator(mode="after")
    def _unique_models(self) -> PlatformConfig:
        names = [m.name for m in self.models]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"model names must be unique; repeated: {', '.join(duplicates)}")
        return self

    @pydantic.model_validator(mode="after")
    def _backend_supports_the_monitors(self) -> PlatformConfig:
        if self.monitoring_backend != "open-source":
            return self
        monitored = [m for m in self.models if m.monitoring is not None]
        if monitored and self.monitoring_job_image is None:
            raise ValueError(
                "the open-source monitoring backend runs the monitoring job's image: set "
                "monitoringJobImage to its pinned ECR URI, or monitoringBackend: model-monitor"
            )
        for model in monitored:
            if model.monitoring.bias and not model.monitoring.bias_segments:
                raise ValueError(
                    f"model {model.name}: open-source bias compares segments: set "
                    "monitoring.biasSegments to the columns that define them"
                )
            if model.monitoring.schedule not in ("hourly", "daily"):
                raise ValueError(
                    f"model {model.name}: the open-source backend runs hourly or daily, not "
                    f"{model.monitoring.schedule}"
                )
        return self
