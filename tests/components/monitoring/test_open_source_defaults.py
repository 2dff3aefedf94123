"""OpenSourceMonitor's defaults are filled once, by resolve; given values win."""

from mlrails_components.monitoring.open_source_defaults import resolve

MINIMAL = {
    "endpoint_name": "credit",
    "data_capture_enabled": True,
    "data_capture_s3_uri": "s3://capture/credit/",
    "data_capture_kms_key_arn": "capture-key",
    "output_s3_uri": "s3://monitoring/credit",
    "output_kms_key_arn": "monitoring-key",
    "job_image_uri": "image",
    "data_quality": {"baseline_dataset_uri": "s3://artifacts/baseline.csv"},
}


def test_every_default_is_filled_and_keys_of_the_baseline_and_labels_follow_the_output_key():
    resolved = resolve(
        {
            **MINIMAL,
            "model_quality": {"problem_type": "Regression", "ground_truth_s3_uri": "s3://t"},
        }
    )
    assert {k: resolved[k] for k in ("schedule", "memory_size_mb", "timeout_seconds")} == {
        "schedule": "hourly",
        "memory_size_mb": 2048,
        "timeout_seconds": 900,
    }
    assert resolved["alarm_actions"] == []
    assert resolved["data_quality"]["baseline_kms_key_arn"] == "monitoring-key"
    assert resolved["data_quality"]["drift_method"] == "psi"
    assert resolved["model_quality"]["ground_truth_kms_key_arn"] == "monitoring-key"
    assert "model_bias" not in resolved
    assert "feature_attribution" not in resolved


def test_given_values_win_and_the_arguments_are_not_changed():
    args = {**MINIMAL, "schedule": "daily", "feature_attribution": {"ndcg_threshold": 0.8}}
    resolved = resolve(args)
    assert resolved["schedule"] == "daily"
    assert resolved["feature_attribution"] == {"ndcg_threshold": 0.8}
    assert "memory_size_mb" not in args
    assert args["data_quality"] == {"baseline_dataset_uri": "s3://artifacts/baseline.csv"}
