"""The job's settings: where to read and write, and the thresholds that decide a finding.

The Lambda function receives them as environment variables (the component sets them); the CLI
takes the same names as options. Structured settings travel as one JSON object in
MONITOR_SETTINGS. Every problem is reported at once, naming the setting, the value and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlrails_monitoring_job.errors import JobInputError

PROBLEM_TYPES = ("BinaryClassification", "MulticlassClassification", "Regression")
# Evidently's stat tests the job accepts (evidently 0.7 legacy/calculations/stattests): each
# decides per column whether its score means drift, so direction (p-value or distance) is its own.
DRIFT_METHODS = ("psi", "ks", "wasserstein", "jensenshannon", "kl_div", "hellinger", "chisquare")
# PutMetricData: a namespace may not start with "AWS/" (reserved for AWS services); 1-255
# characters (botocore cloudwatch PutMetricData Namespace shape, pattern [^:].*; CloudWatch API
# reference, PutMetricData).
RESERVED_NAMESPACE_PREFIX = "AWS/"
# Clarify alerts when the NDCG of the feature-attribution ranking is below 0.90 (developer guide,
# "Feature attribution drift for models in production",
# https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-feature-attribution-drift.html).
DEFAULT_NDCG_THRESHOLD = 0.9
# Labels awaited longer than a month are not joined: the window is listed by hour prefix.
MAX_GROUND_TRUTH_DELAY_HOURS = 24 * 30

REQUIRED = (
    "endpoint_name",
    "monitor_name",
    "capture_s3_uri",
    "baseline_s3_uri",
    "report_s3_uri",
    "report_kms_key_arn",
)
OPTIONAL_URIS = ("ground_truth_s3_uri",)


@dataclass(frozen=True)
class Settings:
    endpoint_name: str
    monitor_name: str
    capture_s3_uri: str
    baseline_s3_uri: str
    report_s3_uri: str
    report_kms_key_arn: str
    metric_namespace: str = "mlrails/ModelMonitoring"
    ground_truth_s3_uri: str | None = None
    window_hours: int = 1
    ground_truth_delay_hours: int = 0
    features: list[str] | None = None
    label_column: str = "label"
    prediction_column: str = "prediction"
    inference_attribute: str | None = None
    drift_method: str = "psi"
    drift_threshold: float | None = None
    feature_drift_thresholds: dict[str, float] = field(default_factory=dict)
    drift_share: float = 0.5
    problem_type: str | None = None
    quality_max_degradation: float = 0.05
    segments: list[str] = field(default_factory=list)
    segment_gap_threshold: float = 0.1
    attribution_ndcg_threshold: float | None = None
    """Set: feature-attribution drift is judged (attribution.py), drift below this NDCG."""


def settings_from(values: Mapping[str, Any]) -> Settings:
    """Settings from plain values (environment or CLI), every problem reported at once."""
    problems: list[str] = []
    plain = {k: v for k, v in values.items() if v not in (None, "")}
    for name in REQUIRED:
        if name not in plain:
            problems.append(f"setting {name.upper()} is missing: set it (the component does)")
    for name in (*REQUIRED[2:5], *OPTIONAL_URIS):
        uri = plain.get(name)
        if uri is not None and not str(uri).startswith("s3://"):
            problems.append(
                f"setting {name.upper()}={uri!r} is not an S3 URI: use s3://bucket/prefix"
            )
    extra = plain.pop("settings", None)
    if extra is not None:
        plain.update(_structured(extra, problems))
    known = Settings.__dataclass_fields__
    for name in sorted(set(plain) - set(known)):
        problems.append(f"setting {name!r} is unknown: use one of {', '.join(sorted(known))}")
    if problems:
        raise JobInputError(problems)
    settings = Settings(**{k: v for k, v in plain.items() if k in known})
    _check(settings, problems)
    if problems:
        raise JobInputError(problems)
    return settings


def _structured(text: Any, problems: list[str]) -> dict[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else text
    except json.JSONDecodeError as error:
        problems.append(f"MONITOR_SETTINGS is not JSON ({error}): pass a JSON object")
        return {}
    if not isinstance(value, dict):
        problems.append(f"MONITOR_SETTINGS is {type(value).__name__}: pass a JSON object")
        return {}
    return value


def _check(s: Settings, problems: list[str]) -> None:
    def need(condition: bool, message: str) -> None:
        if not condition:
            problems.append(message)

    need(
        1 <= len(s.metric_namespace) <= 255
        and not s.metric_namespace.startswith(RESERVED_NAMESPACE_PREFIX)
        and not s.metric_namespace.startswith(":"),
        f"metric_namespace {s.metric_namespace!r}: CloudWatch takes 1-255 characters, not "
        "starting with 'AWS/' or ':'; use e.g. mlrails/ModelMonitoring",
    )
    need(
        isinstance(s.window_hours, int) and 1 <= s.window_hours <= 24 * 7,
        f"window_hours {s.window_hours!r}: use 1 to 168 hours of capture",
    )
    need(
        isinstance(s.ground_truth_delay_hours, int)
        and 0 <= s.ground_truth_delay_hours <= MAX_GROUND_TRUTH_DELAY_HOURS,
        f"ground_truth_delay_hours {s.ground_truth_delay_hours!r}: "
        f"use 0 to {MAX_GROUND_TRUTH_DELAY_HOURS}",
    )
    need(
        s.drift_method in DRIFT_METHODS,
        f"drift_method {s.drift_method!r} is not one the job knows: use one of "
        f"{', '.join(DRIFT_METHODS)}",
    )
    need(0 < s.drift_share <= 1, f"drift_share {s.drift_share!r}: use a share in (0, 1]")
    for feature, threshold in s.feature_drift_thresholds.items():
        need(
            isinstance(threshold, int | float) and threshold > 0,
            f"feature_drift_thresholds.{feature} {threshold!r}: use a positive number",
        )
    need(
        s.problem_type is None or s.problem_type in PROBLEM_TYPES,
        f"problem_type {s.problem_type!r}: use one of {', '.join(PROBLEM_TYPES)}",
    )
    need(
        s.problem_type is not None or not s.segments,
        "segments are set but problem_type is not: bias is a per-segment quality gap, so "
        "set problem_type (and ground_truth_s3_uri)",
    )
    need(
        s.problem_type is None or s.ground_truth_s3_uri is not None,
        "problem_type is set but ground_truth_s3_uri is not: model quality needs labels; "
        "set GROUND_TRUTH_S3_URI",
    )
    need(
        s.attribution_ndcg_threshold is None
        or (
            isinstance(s.attribution_ndcg_threshold, int | float)
            and 0 < s.attribution_ndcg_threshold <= 1
        ),
        f"attribution_ndcg_threshold {s.attribution_ndcg_threshold!r}: NDCG lies in [0, 1], so "
        f"use a threshold in (0, 1], e.g. {DEFAULT_NDCG_THRESHOLD} (Clarify's)",
    )
    need(s.segment_gap_threshold > 0, "segment_gap_threshold: use a positive number")
    need(s.quality_max_degradation >= 0, "quality_max_degradation: use 0 or more")
