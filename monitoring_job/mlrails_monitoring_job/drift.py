"""Data drift of the captured window against the baseline, decided by Evidently's drift preset.

Evidently (pinned in requirements.txt) runs one stat test per feature; its per-column test fails
when the score crosses the threshold in the test's own direction (a p-value below it, a distance
at or above it), so the job never has to know which kind of score a method returns.
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("DO_NOT_TRACK", "1")  # Evidently's usage telemetry stays off in the job

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

from mlrails_monitoring_job.settings import Settings

_VALUE_DRIFT = "evidently:metric_v2:ValueDrift"


def detect_drift(
    reference: pd.DataFrame, current: pd.DataFrame, settings: Settings
) -> tuple[dict[str, Any], Any]:
    """({dataset_drift, drifted_share, features: {name: {score, drifted, threshold}}}, snapshot)."""
    features = list(current.columns)
    preset = DataDriftPreset(
        columns=features,
        method=settings.drift_method,
        threshold=settings.drift_threshold,
        per_column_threshold=dict(settings.feature_drift_thresholds) or None,
        drift_share=settings.drift_share,
    )
    snapshot = Report([preset], include_tests=True).run(current, reference[features])
    document = snapshot.dict()
    scores = {
        m["config"]["column"]: m["value"]
        for m in document["metrics"]
        if m["config"].get("type") == _VALUE_DRIFT
    }
    failed = {
        t["metric_config"]["params"]["column"]
        for t in document["tests"]
        if t["metric_config"]["params"].get("type") == _VALUE_DRIFT and t["status"] == "FAIL"
    }
    results = {
        feature: {
            "score": float(scores[feature]),
            "drifted": feature in failed,
            "threshold": settings.feature_drift_thresholds.get(feature, settings.drift_threshold),
        }
        for feature in features
        if feature in scores
    }
    share = sum(r["drifted"] for r in results.values()) / max(len(results), 1)
    return (
        {
            "method": settings.drift_method,
            "drift_share": settings.drift_share,
            "drifted_share": share,
            "dataset_drift": share >= settings.drift_share,
            "features": results,
        },
        snapshot,
    )
