"""The Clarify-free feature-attribution surrogate and its NDCG, on data built here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlrails_monitoring_job import attribution
from mlrails_monitoring_job.errors import JobInputError


def test_ndcg_reproduces_clarifys_worked_example():
    # The college-admission example of the developer guide's feature-attribution drift page:
    # the ranking reverses, and "the NDCG value is 0.69".
    training = {"SAT score": 0.70, "GPA": 0.50, "Class rank": 0.05}
    live = {"SAT score": 0.10, "GPA": 0.20, "Class rank": 0.70}
    assert round(attribution.ndcg(training, live), 2) == 0.69


def test_the_same_ranking_is_ndcg_one_whatever_the_scores():
    assert attribution.ndcg({"a": 0.9, "b": 0.3, "c": 0.1}, {"a": 0.2, "b": 0.1, "c": 0.0}) == 1


def test_ties_in_the_window_keep_the_baselines_order():
    assert attribution.ndcg({"a": 0.9, "b": 0.3}, {"a": 0.5, "b": 0.5}) == 1


def test_a_swap_among_features_the_baseline_barely_used_costs_little():
    baseline = {"a": 0.9, "b": 0.02, "c": 0.01}
    assert attribution.ndcg(baseline, {"a": 0.9, "b": 0.01, "c": 0.02}) > 0.99
    assert attribution.ndcg(baseline, {"a": 0.01, "b": 0.9, "c": 0.02}) < 0.9


def frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "noise": rng.normal(size=n),
            "colour": rng.choice(["red", "green", "blue"], n),
        }
    )


def test_a_monotonic_output_credits_its_feature_fully_and_noise_barely():
    data = frame()
    scores = attribution.attributions(data, np.exp(data["x"]), {"x", "noise"})
    assert scores["x"] == pytest.approx(1.0)
    assert scores["noise"] < 0.15 and scores["colour"] < 0.15


def test_an_output_set_by_a_category_credits_that_category_fully():
    data = frame()
    output = data["colour"].map({"red": 3.0, "green": 1.0, "blue": 2.0})
    assert attribution.attributions(data, output, {"x", "noise"})["colour"] == pytest.approx(1.0)


def test_a_two_valued_category_scores_as_its_rank_correlation():
    data = frame()
    flag = (data["x"] > 0.5).map({True: "yes", False: "no"})
    output = data["x"] + data["noise"]
    eta = attribution.attributions(pd.DataFrame({"flag": flag}), output, set())["flag"]
    coded = (flag == "yes").astype(float).rank().corr(output.rank())
    assert eta == pytest.approx(abs(coded))


def test_a_constant_output_goes_with_nothing():
    scores = attribution.attributions(frame(), pd.Series(1.0, index=range(400)), {"x", "noise"})
    assert scores == {"x": 0.0, "noise": 0.0, "colour": 0.0}


def test_a_baseline_whose_predictions_follow_no_feature_is_refused():
    data = frame()
    with pytest.raises(JobInputError, match="goes with none of the features"):
        attribution.assess(data, pd.Series(1.0, index=range(400)), data, data["x"], 0.9, "s3://b/k")


def test_a_window_too_small_to_rank_is_no_finding():
    data = frame()
    small = data.head(attribution.MIN_ROWS - 1)
    found = attribution.assess(data, data["x"], small, small["x"], 0.9, "s3://b/k")
    assert (found["ndcg"], found["drift"]) == (None, None)
    assert found["skipped"] == f"fewer than {attribution.MIN_ROWS} rows"


@pytest.mark.parametrize(
    ("values", "count", "sample"),
    [
        pytest.param([0.1, "approve", 0.3], 1, "'approve'", id="text"),
        pytest.param([0.1, None], 1, "None", id="missing"),
        pytest.param([{"score": 0.2}], 1, "{'score': 0.2}", id="object"),
    ],
)
def test_outputs_that_are_not_numbers_are_one_message(values, count, sample):
    with pytest.raises(JobInputError) as error:
        attribution.numeric_outputs(values, "the capture under s3://c/e/", "set the field")
    message = str(error.value)
    assert message.startswith(f"the capture under s3://c/e/ holds {count} output(s) that are not")
    assert f"(e.g. {sample})" in message and message.endswith("set the field")
