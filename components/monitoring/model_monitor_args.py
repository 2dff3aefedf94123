"""Arguments of ModelMonitor: typed, flat, in AWS terms with units.

No `from __future__ import annotations` here: Pulumi's component analyzer and TypedDict's
required/optional keys both need the annotations evaluated.
"""

from typing import NotRequired, TypedDict

import pulumi


class DataQualityArgs(TypedDict):
    """Data quality: do the features the endpoint receives drift from the training baseline?"""

    baseline_constraints_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of constraints.json from a baselining job. Required."""
    baseline_statistics_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of statistics.json from a baselining job. Required."""
    schedule: NotRequired[str]
    """hourly, daily or a SageMaker cron expression. Default: hourly."""
    drift_thresholds: NotRequired[dict[str, float]]
    """Per feature, the baseline drift distance that raises an alarm. Default: none."""


class ModelQualityArgs(TypedDict):
    """Model quality: do predictions still match ground truth as well as at training time?"""

    problem_type: str
    """BinaryClassification, MulticlassClassification or Regression."""
    ground_truth_s3_uri: pulumi.Input[str]
    """S3 prefix where labelled ground truth for captured requests is delivered."""
    baseline_constraints_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of the model quality constraints.json. Required."""
    inference_attribute: NotRequired[str]
    """Field of the prediction in the endpoint's output. Default: the whole output."""
    probability_attribute: NotRequired[str]
    """Field of the probability in the endpoint's output (classification)."""
    probability_threshold: NotRequired[float]
    """Probability above which a binary prediction is positive. Default: SageMaker's 0.5."""
    schedule: NotRequired[str]
    """hourly, daily or a cron expression. Default: daily (ground truth arrives later)."""
    start_time_offset: NotRequired[str]
    """Start of the analysed window before each run, an ISO 8601 duration such as -PT25H or -P2D.
    Default: the end offset plus one schedule period (-PT48H for daily runs)."""
    end_time_offset: NotRequired[str]
    """End of the analysed window before each run (-PT0H: up to the run). Default: -PT24H, so
    ground truth labelled within a day of the request is there when the run merges it."""


class ClarifyArgs(TypedDict):
    """Bias or explainability drift, analysed by SageMaker Clarify."""

    analysis_config_uri: pulumi.Input[str]
    """S3 URI of the Clarify analysis configuration (facets, label, SHAP baseline)."""
    baseline_constraints_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of the Clarify baseline constraints. Required."""
    ground_truth_s3_uri: NotRequired[pulumi.Input[str]]
    """S3 prefix of ground truth; bias monitoring requires it."""
    schedule: NotRequired[str]
    """hourly, daily or a cron expression. Default: daily."""
    start_time_offset: NotRequired[str]
    """Bias only: start of the analysed window before each run (ISO 8601, e.g. -PT48H).
    Default: the end offset plus one schedule period."""
    end_time_offset: NotRequired[str]
    """Bias only: end of the analysed window before each run. Default: -PT24H (ground truth
    labelled within a day)."""


class ModelMonitorArgs(TypedDict):
    """Arguments of ModelMonitor (a ModelEndpoint's monitoring_args() fills the endpoint part)."""

    endpoint_name: pulumi.Input[str]
    """The monitored endpoint."""
    data_capture_enabled: bool
    """Whether the endpoint captures data. Monitoring reads captured data, so false is refused."""
    data_capture_s3_uri: pulumi.Input[str]
    """Where the endpoint captures data: the monitoring role may read it, nothing else."""
    data_capture_kms_key_arn: pulumi.Input[str]
    """Key of the captured data (the jobs decrypt it)."""
    baselines_kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key of the bucket holding the baselines and Clarify analysis configurations, e.g. the
    artifacts EncryptedBucket's key_arn: the jobs decrypt them with it. Default: none, for
    baselines in a bucket without a customer key."""
    ground_truth_kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key of the bucket receiving ground truth (model quality, bias). Default: none, for ground
    truth in a bucket without a customer key."""
    output_s3_uri: pulumi.Input[str]
    """S3 prefix for reports and violations (an EncryptedBucket of purpose monitoring)."""
    output_kms_key_arn: pulumi.Input[str]
    """Key that encrypts the reports and the jobs' processing volumes."""
    data_quality: NotRequired[DataQualityArgs]
    """Monitor data quality. Default: off."""
    model_quality: NotRequired[ModelQualityArgs]
    """Monitor model quality. Default: off."""
    model_bias: NotRequired[ClarifyArgs]
    """Monitor bias drift. Default: off."""
    model_explainability: NotRequired[ClarifyArgs]
    """Monitor feature attribution drift. Default: off."""
    instance_type: NotRequired[str]
    """Processing instance of the jobs. Default: ml.m5.xlarge."""
    volume_size_gb: NotRequired[int]
    """Processing volume, 1 to 16384 GB. Default: 20."""
    max_runtime_minutes: NotRequired[int]
    """Longest run of a job, at most its schedule's period; for hourly model quality and bias
    schedules at most 30, shared by the ground-truth merge and the analysis. Default: 50, and 30
    for hourly model quality and bias."""
    role_arn: NotRequired[pulumi.Input[str]]
    """An existing role for the jobs. Default: a new least-privilege role."""
    alarm_actions: NotRequired[list[pulumi.Input[str]]]
    """Where drift alarms and violations notify (an AlertTopic's topic_arn). Default: none."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for every child."""
