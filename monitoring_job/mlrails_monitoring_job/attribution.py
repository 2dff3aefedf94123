"""Feature-attribution drift without the model: a rank-association surrogate compared by NDCG.

What this is. The job sees captured inputs and outputs, never the model, so it cannot compute
SHAP values as SageMaker Clarify does. It measures instead how strongly each feature goes with
the model's output, on the baseline (its prediction column) and on the captured window (the
endpoint's output), and compares the two rankings exactly as Clarify's feature-attribution
drift compares its SHAP rankings:

    NDCG = DCG / iDCG,  DCG = sum_i a(f'_i) / log2(i + 1),  iDCG = sum_i a(f_i) / log2(i + 1)

where a(f) is a feature's attribution on the baseline, f_1..f_m the features ranked by it and
f'_1..f'_m the features ranked by their attribution on the window; below 0.90 Clarify raises
an alert (developer guide, "Feature attribution drift for models in production",
https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-feature-attribution-drift.html;
source: awsdocs/amazon-sagemaker-developer-guide, doc_source/clarify-model-monitor-feature-attribution-drift.md).
A feature that climbs the ranking costs little if the baseline gave it little weight; the
features the model leaned on most weigh most.

A feature's attribution here is the strength of its monotonic association with the output, in
[0, 1]: |Spearman's rank correlation| for a numeric feature, and for a categorical one the
correlation ratio (eta) of the output's ranks across its values, which is the same quantity for
a two-valued feature. Both are rank-based, so the output's scale (a score, a probability, a
0/1 label) does not matter.

What this is not. It is not SHAP and not any attribution of the model itself: it is
model-agnostic and marginal, so a feature the model uses only through an interaction, or that
stands in for a correlated feature, is credited as the data shows it, not as the model computes
it. It answers "do the features the output went with on the baseline still go with it in
production?", which is the question Clarify's alert asks, with a cheaper and cruder
attribution. Use Clarify (ModelMonitor, kind model_explainability) where true SHAP values are
needed.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from mlrails_monitoring_job.errors import JobInputError

# Fewer captured rows than this leave the window's ranking to chance: no finding is published.
MIN_ROWS = 30
METHOD = "abs-rank-correlation"


def attributions(frame: pd.DataFrame, outputs: pd.Series, numeric: set[str]) -> dict[str, float]:
    """Per feature of `frame`, its rank association with `outputs` in [0, 1] (0 when undefined:
    a constant feature or output goes with nothing)."""
    ranks = outputs.rank()
    found = {}
    for feature in frame.columns:
        present = frame[feature].notna() & ranks.notna()
        values, output = frame[feature][present], ranks[present]
        if values.nunique() < 2 or output.nunique() < 2:
            found[feature] = 0.0
        elif feature in numeric:
            found[feature] = abs(float(values.astype(float).rank().corr(output)))
        else:
            found[feature] = _correlation_ratio(values.astype(str), output)
    return found


def ndcg(baseline: dict[str, float], current: dict[str, float]) -> float:
    """Clarify's NDCG of the current ranking against the baseline's, weighted by the baseline's
    attributions. Ties in the current ranking keep the baseline's order, so equal scores are
    never drift."""
    ideal = sorted(baseline, key=lambda f: -baseline[f])
    order = {feature: index for index, feature in enumerate(ideal)}
    ranked = sorted(current, key=lambda f: (-current[f], order[f]))
    dcg = sum(baseline[f] / math.log2(i + 2) for i, f in enumerate(ranked))
    idcg = sum(baseline[f] / math.log2(i + 2) for i, f in enumerate(ideal))
    return dcg / idcg


def assess(
    baseline: pd.DataFrame,
    baseline_outputs: pd.Series,
    current: pd.DataFrame,
    current_outputs: pd.Series,
    threshold: float,
    baseline_uri: str,
) -> dict[str, Any]:
    """The window's attribution finding: both rankings, their NDCG and whether it is drift."""
    numeric = {c for c in baseline.columns if pd.api.types.is_numeric_dtype(baseline[c])}
    reference = attributions(baseline, baseline_outputs, numeric)
    if not any(reference.values()):
        raise JobInputError(
            f"baseline {baseline_uri}: its prediction column goes with none of the features "
            "(every attribution is 0), so there is no ranking to compare: put the model's "
            "prediction on each baseline row in the prediction column"
        )
    finding: dict[str, Any] = {
        "method": METHOD,
        "threshold": threshold,
        "baseline": reference,
        "rows": len(current),
    }
    if len(current) < MIN_ROWS:
        return {**finding, "ndcg": None, "drift": None, "skipped": f"fewer than {MIN_ROWS} rows"}
    window = attributions(current, current_outputs, numeric)
    score = ndcg(reference, window)
    return {**finding, "current": window, "ndcg": score, "drift": score < threshold}


def numeric_outputs(values: list[Any], where: str, fix: str) -> pd.Series:
    """The outputs as numbers, or one message naming a value that is not one."""
    series = pd.Series(values, dtype=object)
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series[numbers.isna() & series.notna()]
    if len(bad) or series.isna().any():
        sample = bad.iloc[0] if len(bad) else None
        raise JobInputError(
            f"{where} holds {len(bad) + int(series.isna().sum())} output(s) that are not numbers "
            f"(e.g. {sample!r}): feature-attribution drift ranks the model's numeric output; "
            f"{fix}"
        )
    return numbers.astype(float)


def _correlation_ratio(categories: pd.Series, ranks: pd.Series) -> float:
    """eta: the share of the ranks' spread explained by the category, as a correlation."""
    total = ((ranks - ranks.mean()) ** 2).sum()
    groups = ranks.groupby(categories)
    between = (groups.count() * (groups.mean() - ranks.mean()) ** 2).sum()
    return math.sqrt(float(between / total))
