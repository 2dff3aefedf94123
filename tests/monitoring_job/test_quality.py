"""Model quality and per-segment gaps against the baseline, on frames built in the test."""

from __future__ import annotations

import pandas as pd
import pytest

from mlrails_monitoring_job.quality import MIN_SEGMENT_ROWS, assess
from mlrails_monitoring_job.settings import Settings


def settings(**changes) -> Settings:
    base = {
        "endpoint_name": "e",
        "monitor_name": "m",
        "capture_s3_uri": "s3://c/p",
        "baseline_s3_uri": "s3://b/base.csv",
        "report_s3_uri": "s3://r/p",
        "report_kms_key_arn": "k",
        "ground_truth_s3_uri": "s3://g/p",
        "problem_type": "MulticlassClassification",
    }
    return Settings(**{**base, **changes})


def test_classes_spelled_as_json_integers_and_csv_floats_are_the_same_class():
    window = pd.DataFrame({"label": [2.0, 1.0, 0.0], "prediction": [2, 1, 0]})
    baseline = pd.DataFrame({"label": [2, 1], "prediction": [2, 1]})
    result = assess(window, baseline, settings())
    assert result["degradation"] == 0.0 and result["violation"] is False


def test_binary_probabilities_count_as_positive_above_one_half():
    window = pd.DataFrame({"label": [1.0, 0.0, 1.0, 0.0], "prediction": [0.9, 0.2, 0.4, 0.6]})
    baseline = pd.DataFrame({"label": [1, 0], "prediction": [1, 0]})
    result = assess(window, baseline, settings(problem_type="BinaryClassification"))
    assert result["degradation"] == pytest.approx(0.5)
    assert result["violation"] is True


def test_a_regression_gets_worse_when_its_absolute_error_grows():
    window = pd.DataFrame({"label": [10.0, 20.0], "prediction": [12.0, 17.0]})
    baseline = pd.DataFrame({"label": [10.0, 20.0], "prediction": [10.5, 19.5]})
    result = assess(window, baseline, settings(problem_type="Regression"))
    assert result["metric"] == "MAE"
    assert result["degradation"] == pytest.approx(2.5 - 0.5)


def test_segments_with_too_few_labelled_rows_are_not_judged():
    rows = MIN_SEGMENT_ROWS
    window = pd.DataFrame(
        {
            "region": ["north"] * rows + ["south"] * (rows - 1),
            "label": [1] * (2 * rows - 1),
            "prediction": [1] * rows + [0] * (rows - 1),
        }
    )
    baseline = pd.DataFrame({"region": ["north", "south"], "label": [1, 1], "prediction": [1, 1]})
    result = assess(window, baseline, settings(segments=["region"]))
    assert result["segments"] == {"region=north": 0.0}
    assert result["bias_violation"] is False
