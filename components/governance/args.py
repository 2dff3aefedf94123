"""Arguments of ModelCard and ModelRegistry: the sections of the AWS model card, typed.

No `from __future__ import annotations` here (see components/support/validation.py).
"""

from typing import NotRequired, TypedDict

import pulumi


class ModelOverviewArgs(TypedDict):
    """What the model is and who owns it."""

    model_description: NotRequired[str]
    """What the model does, in a sentence or two (at most 1024 characters)."""
    model_version: NotRequired[float]
    """Version of the model, 1 or more."""
    model_owner: NotRequired[str]
    """Team or person accountable for the model."""
    model_creator: NotRequired[str]
    """Team or person who built it."""
    problem_type: NotRequired[str]
    """E.g. binary classification, regression."""
    algorithm_type: NotRequired[str]
    """E.g. gradient boosted trees."""
    model_artifacts: NotRequired[list[pulumi.Input[str]]]
    """S3 URIs of the model artifacts, at most 15."""
    container_images: NotRequired[list[pulumi.Input[str]]]
    """Images of the inference environment, at most 15."""


class IntendedUsesArgs(TypedDict):
    """What the model is for, and the risk of using it."""

    purpose_of_model: NotRequired[str]
    """Why the model exists."""
    intended_uses: NotRequired[str]
    """Uses it was built and evaluated for."""
    factors_affecting_model_efficiency: NotRequired[str]
    """Conditions under which it performs worse."""
    risk_rating: NotRequired[str]
    """High, Medium, Low or Unknown. Production stacks can require it (sagemaker-model-card)."""
    explanations_for_risk_rating: NotRequired[str]
    """Why that rating."""


class BusinessDetailsArgs(TypedDict):
    """The business problem and the people who depend on the model."""

    business_problem: NotRequired[str]
    """The problem the model solves."""
    business_stakeholders: NotRequired[str]
    """Who relies on its predictions."""
    line_of_business: NotRequired[str]
    """The line of business it serves."""


class MetricArgs(TypedDict):
    """A numeric evaluation or training metric."""

    name: str
    """Metric name, e.g. auc."""
    value: float
    """Its value."""
    notes: NotRequired[str]
    """How it was measured."""


class TrainingDetailsArgs(TypedDict):
    """How the model was trained."""

    training_job_arn: NotRequired[str]
    """The SageMaker training job."""
    training_datasets: NotRequired[list[str]]
    """S3 URIs of the training data, at most 15."""
    training_observations: NotRequired[str]
    """What was observed during training."""
    training_metrics: NotRequired[list[MetricArgs]]
    """Final training metrics."""


class MetricGroupArgs(TypedDict):
    """A named group of evaluation metrics."""

    name: str
    """Group name, e.g. holdout."""
    metrics: list[MetricArgs]
    """Metrics of the group."""


class EvaluationArgs(TypedDict):
    """One evaluation of the model."""

    name: str
    """Evaluation name (at most 63 characters)."""
    evaluation_observation: NotRequired[str]
    """What the evaluation showed."""
    evaluation_job_arn: NotRequired[str]
    """The job that ran it."""
    datasets: NotRequired[list[str]]
    """Datasets evaluated on, at most 10."""
    metric_groups: NotRequired[list[MetricGroupArgs]]
    """Its metrics."""


class AdditionalInformationArgs(TypedDict):
    """Ethics, caveats and anything else a reviewer should know."""

    ethical_considerations: NotRequired[str]
    """Ethical considerations (at most 2048 characters)."""
    caveats_and_recommendations: NotRequired[str]
    """Known limits and advice to users."""
    custom_details: NotRequired[dict[str, str]]
    """Further details, name to text."""


class ModelCardArgs(TypedDict):
    """Arguments of ModelCard. With only `card_name`, it names an existing card instead."""

    card_name: NotRequired[pulumi.Input[str]]
    """Name of the card. Default: the component name and a stable suffix of project and stack.
    In a ModelEndpoint variant, `{"card_name": card.card_name}` links an existing ModelCard."""
    model_name: NotRequired[pulumi.Input[str]]
    """The SageMaker model the card documents (ModelEndpoint fills it for its variants)."""
    status: NotRequired[str]
    """Draft, PendingReview, Approved or Archived. Default: Draft; production stacks may accept
    Approved only (sagemaker-model-card)."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key that encrypts the card's content. Default: a new key of its own."""
    model_overview: NotRequired[ModelOverviewArgs]
    """Model overview section."""
    intended_uses: NotRequired[IntendedUsesArgs]
    """Intended uses section."""
    business_details: NotRequired[BusinessDetailsArgs]
    """Business details section."""
    training_details: NotRequired[TrainingDetailsArgs]
    """Training details section."""
    evaluation_details: NotRequired[list[EvaluationArgs]]
    """Evaluations of the model."""
    additional_information: NotRequired[AdditionalInformationArgs]
    """Additional information section."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the card and its key."""


class ModelRegistryArgs(TypedDict):
    """Arguments of ModelRegistry."""

    group_name: NotRequired[str]
    """Model package group name. Default: the component name and a stable suffix."""
    description: NotRequired[str]
    """What the group holds."""
    consumer_account_ids: NotRequired[list[str]]
    """Accounts (e.g. production) that may describe and list the group's packages and create
    models from them. They see every version: deploying only approved ones is theirs to enforce
    (ModelEndpoint's require_approved_model_packages). The package's model data must be readable
    to them as well (EncryptedBucket `reader_account_ids`). Default: none."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the group and its packages."""


class ModelPackageVersionArgs(TypedDict):
    """A model version registered in the group."""

    image: pulumi.Input[str]
    """Inference image of the version."""
    model_data_url: pulumi.Input[str]
    """S3 URI of its artifacts."""
    approval_status: str
    """Approved, PendingManualApproval or Rejected. Deployments that require approved models
    refuse anything but Approved."""
    description: NotRequired[str]
    """What changed in this version."""
    content_types: NotRequired[list[str]]
    """Request content types. Default: text/csv and application/json."""
