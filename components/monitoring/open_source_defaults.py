"""OpenSourceMonitor's defaults, filled in once: validation judges, and the builders build, the
arguments `resolve` returns."""

from typing import Any, cast

from mlrails_components.monitoring.open_source_args import OpenSourceMonitorArgs
from mlrails_monitoring_job import metric_names as names
from mlrails_monitoring_job.settings import DEFAULT_NDCG_THRESHOLD

SCHEDULE = "hourly"
MEMORY_SIZE_MB = 2048
TIMEOUT_SECONDS = 900
DRIFT_METHOD = "psi"
DRIFT_SHARE = 0.5
ANOMALY_BAND_STDDEV = 2.0
GROUND_TRUTH_DELAY_HOURS = 0
MAX_DEGRADATION = 0.05
GAP_THRESHOLD = 0.1


def resolve(args: OpenSourceMonitorArgs) -> OpenSourceMonitorArgs:
    """`args` with every default filled; what is not a dict (a type error) is left for the
    type check to name."""
    given: dict[str, Any] = dict(args)
    output_key = given.get("output_kms_key_arn")
    given = {
        "schedule": SCHEDULE,
        "metric_namespace": names.DEFAULT_NAMESPACE,
        "memory_size_mb": MEMORY_SIZE_MB,
        "timeout_seconds": TIMEOUT_SECONDS,
        "alarm_actions": [],
        **given,
    }
    _fill(
        given,
        "data_quality",
        # The baseline lives in the monitoring bucket unless its key is given.
        baseline_kms_key_arn=output_key,
        drift_thresholds={},
        anomaly_detection_features=[],
        anomaly_band_stddev=ANOMALY_BAND_STDDEV,
        drift_method=DRIFT_METHOD,
        drift_share=DRIFT_SHARE,
    )
    _fill(
        given,
        "model_quality",
        ground_truth_kms_key_arn=output_key,
        ground_truth_delay_hours=GROUND_TRUTH_DELAY_HOURS,
        max_degradation=MAX_DEGRADATION,
    )
    _fill(given, "model_bias", gap_threshold=GAP_THRESHOLD)
    _fill(given, "feature_attribution", ndcg_threshold=DEFAULT_NDCG_THRESHOLD)
    return cast(OpenSourceMonitorArgs, given)


def _fill(args: dict[str, Any], key: str, **defaults: Any) -> None:
    part = args.get(key)
    if isinstance(part, dict):
        args[key] = {**defaults, **part}
