"""Model quality against ground truth, and bias as per-segment quality gaps, both compared with
the quality the model had on the baseline (which carries the label and prediction columns).

Quality is accuracy for classification and mean absolute error for regression; a degradation
is how much worse the window is than the baseline, in the metric's own unit, so a larger number
is always worse. A segment is one value of a segment column ("gender=f"); segments with fewer
than MIN_SEGMENT_ROWS labelled rows in the window are left out, as too few to judge.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mlrails_monitoring_job.settings import Settings

MIN_SEGMENT_ROWS = 10
# A binary classifier's probability counts as the positive class above 0.5, SageMaker's own
# default probability threshold for model quality (API reference, EndpointInput
# ProbabilityThresholdAttribute).
PROBABILITY_THRESHOLD = 0.5


def metric_name(problem_type: str) -> str:
    return "MAE" if problem_type == "Regression" else "Accuracy"


def degradation(frame: pd.DataFrame, baseline: pd.DataFrame, settings: Settings) -> float | None:
    if frame.empty or baseline.empty:
        return None
    now = _quality(frame["label"], frame["prediction"], settings.problem_type)
    then = _quality(baseline["label"], baseline["prediction"], settings.problem_type)
    return now - then if settings.problem_type == "Regression" else then - now


def assess(joined: pd.DataFrame, baseline: pd.DataFrame, settings: Settings) -> dict[str, Any]:
    """Quality findings of the labelled window rows (`joined`: features, label, prediction)."""
    reference = baseline.rename(
        columns={settings.label_column: "label", settings.prediction_column: "prediction"}
    )
    overall = degradation(joined, reference, settings)
    segments: dict[str, float] = {}
    for column in settings.segments:
        for value, rows in joined.groupby(column):
            if len(rows) < MIN_SEGMENT_ROWS:
                continue
            gap = degradation(rows, reference[reference[column] == value], settings)
            if gap is not None:
                segments[f"{column}={value}"] = gap
    return {
        "metric": metric_name(settings.problem_type),
        "matched": len(joined),
        "degradation": overall,
        "violation": overall is not None and overall > settings.quality_max_degradation,
        "segments": segments,
        "bias_violation": any(g > settings.segment_gap_threshold for g in segments.values()),
    }


def _quality(labels: pd.Series, predictions: pd.Series, problem_type: str) -> float:
    if problem_type == "Regression":
        return float((pd.to_numeric(labels) - pd.to_numeric(predictions)).abs().mean())
    if problem_type == "BinaryClassification":
        predictions = predictions.map(_binary)
        labels = labels.map(_binary)
    return float((labels.map(_class) == predictions.map(_class)).mean())


def _binary(value: Any) -> Any:
    if isinstance(value, float) and 0.0 <= value <= 1.0:
        return int(value > PROBABILITY_THRESHOLD)
    return value


def _class(value: Any) -> str:
    """One spelling per class: CSV gives 2.0 where JSON gives 2."""
    if isinstance(value, int | float) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()
