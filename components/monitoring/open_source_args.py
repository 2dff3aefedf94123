"""Arguments of OpenSourceMonitor: the endpoint part (from ModelEndpoint.monitoring_args(), as
for ModelMonitor), the job's image, and what to monitor."""

from typing import NotRequired, TypedDict

import pulumi


class OpenSourceDataQualityArgs(TypedDict):
    """Data drift of the captured requests against the training baseline."""

    baseline_dataset_uri: pulumi.Input[str]
    """S3 URI of the training baseline: CSV with a header row, or JSON records."""
    baseline_kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key of the baseline object. Default: output_kms_key_arn (baseline in the monitoring bucket)."""
    drift_thresholds: NotRequired[dict[str, float]]
    """Per feature, the drift score that counts as drift and raises an alarm. Default: none
    (Evidently's threshold for the method, and no per-feature alarm)."""
    anomaly_detection_features: NotRequired[list[str]]
    """Features whose drift score is alarmed when it leaves the band CloudWatch anomaly detection
    learns from its history, where a fixed threshold does not fit. Default: none."""
    anomaly_band_stddev: NotRequired[float]
    """Width of that band in standard deviations. Default: 2."""
    drift_method: NotRequired[str]
    """Evidently stat test: psi, ks, wasserstein, jensenshannon, kl_div, hellinger or chisquare.
    Default: psi."""
    drift_share: NotRequired[float]
    """Share of drifted features that counts as dataset drift. Default: 0.5."""


class OpenSourceModelQualityArgs(TypedDict):
    """Model quality against delayed ground truth, joined to requests by inference id."""

    problem_type: str
    """BinaryClassification, MulticlassClassification or Regression."""
    ground_truth_s3_uri: pulumi.Input[str]
    """S3 prefix where ground-truth records arrive (Model Monitor's format, yyyy/mm/dd/hh keys)."""
    ground_truth_kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key of the ground truth. Default: output_kms_key_arn."""
    inference_attribute: NotRequired[str]
    """Field of the prediction in JSON output. Default: the whole output."""
    ground_truth_delay_hours: NotRequired[int]
    """How long labels take to arrive; quality is judged on requests that old. Default: 0."""
    max_degradation: NotRequired[float]
    """Allowed drop from baseline quality (accuracy, or MAE rise for regression). Default: 0.05."""


class OpenSourceBiasArgs(TypedDict):
    """Bias as per-segment quality gaps against the baseline (needs model_quality)."""

    segments: list[str]
    """Columns whose values are segments (e.g. region): each value's quality is compared."""
    gap_threshold: NotRequired[float]
    """A segment's quality drop from its baseline quality that raises the alarm. Default: 0.1."""


class OpenSourceAttributionArgs(TypedDict):
    """Feature-attribution drift without Clarify: how strongly each feature goes with the model's
    output (rank correlation), on the baseline and on the captured window, the two rankings
    compared by NDCG as Clarify compares SHAP rankings. A surrogate, not SHAP: see
    mlrails_monitoring_job.attribution. Needs the baseline's prediction column and captured
    output."""

    ndcg_threshold: NotRequired[float]
    """NDCG below which the window counts as attribution drift and raises the alarm, in (0, 1].
    Default: 0.9 (Clarify's)."""
    inference_attribute: NotRequired[str]
    """Field of the numeric score in JSON output; as model_quality.inference_attribute (set
    both alike). Default: the whole output."""


class OpenSourceMonitorArgs(TypedDict):
    """Arguments of OpenSourceMonitor (a ModelEndpoint's monitoring_args() fills the endpoint part)."""

    endpoint_name: pulumi.Input[str]
    """The monitored endpoint."""
    data_capture_enabled: bool
    """Whether the endpoint captures data. Monitoring reads captured data, so false is refused."""
    data_capture_s3_uri: pulumi.Input[str]
    """Where the endpoint captures data: the job may list and read it, nothing else."""
    data_capture_kms_key_arn: pulumi.Input[str]
    """Key of the captured data."""
    output_s3_uri: pulumi.Input[str]
    """S3 prefix for the HTML and JSON reports (an EncryptedBucket of purpose monitoring)."""
    output_kms_key_arn: pulumi.Input[str]
    """Key the reports are written with (SSE-KMS)."""
    job_image_uri: pulumi.Input[str]
    """ECR URI, pinned by tag or digest, of the image monitoring_job/Dockerfile builds."""
    data_quality: OpenSourceDataQualityArgs
    """Data drift against the training baseline (always on: it is what the job runs)."""
    model_quality: NotRequired[OpenSourceModelQualityArgs]
    """Model quality against ground truth. Default: off."""
    model_bias: NotRequired[OpenSourceBiasArgs]
    """Per-segment quality gaps. Default: off."""
    feature_attribution: NotRequired[OpenSourceAttributionArgs]
    """Feature-attribution drift computed from capture and baseline, without Clarify.
    Default: off."""
    schedule: NotRequired[str]
    """hourly (the last full hour) or daily (the last 24 hours). Default: hourly."""
    metric_namespace: NotRequired[str]
    """CloudWatch namespace of the job's metrics. Default: mlrails/ModelMonitoring."""
    memory_size_mb: NotRequired[int]
    """Memory of the job's function, 128 to 10240 MB. Default: 2048."""
    timeout_seconds: NotRequired[int]
    """Longest run, 1 to 900 seconds. Default: 900."""
    alarm_actions: NotRequired[list[pulumi.Input[str]]]
    """Where findings and failed runs notify (an AlertTopic's topic_arn), on alarm and on OK."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for every child."""
