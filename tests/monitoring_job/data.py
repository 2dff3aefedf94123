"""Seeded data for the job's tests: a baseline, capture files as an endpoint writes them, and
ground-truth files as a labelling process uploads them (formats: mlrails_monitoring_job.capture).
"""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime

import numpy as np

FEATURES = ["age", "income", "region"]
REGIONS = ["north", "south", "east"]


@dataclass
class Sample:
    rows: list[list]  # age, income, region
    labels: list[int]
    predictions: list[int]


def sample(
    seed: int,
    n: int,
    shift: float = 0.0,
    wrong_share: float = 0.1,
    wrong_region=None,
    driver: str = "income",
):
    """Requests of a credit model. `shift` moves age and income by that many standard
    deviations (drift); `wrong_share` of predictions disagree with the label, all of them in
    `wrong_region` when given (a segment the model fails). The prediction follows `driver`
    (income or age): another driver than the baseline's is attribution drift with the
    features' distributions unchanged."""
    rng = np.random.default_rng(seed)
    age = rng.normal(40 + 10 * shift, 10, n).round(1)
    income = rng.normal(50 + 15 * shift, 15, n).round(1)
    region = rng.choice(REGIONS, n)
    predictions = (
        (income > 50 + 15 * shift) if driver == "income" else (age > 40 + 10 * shift)
    ).astype(int)
    wrong = rng.random(n) < wrong_share if wrong_region is None else region == wrong_region
    labels = np.where(wrong, 1 - predictions, predictions)
    rows = [[float(a), float(i), str(r)] for a, i, r in zip(age, income, region, strict=True)]
    return Sample(rows, [int(v) for v in labels], [int(v) for v in predictions])


def baseline_csv(data: Sample) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FEATURES, "label", "prediction"])
    for row, label, prediction in zip(data.rows, data.labels, data.predictions, strict=True):
        writer.writerow([*row, label, prediction])
    return out.getvalue()


def capture_line(row: list, prediction, inference_id: str, encoding: str = "CSV") -> str:
    text = ",".join(str(v) for v in row)
    data = text if encoding == "CSV" else base64.b64encode(text.encode()).decode()
    return json.dumps(
        {
            "captureData": {
                "endpointInput": {
                    "observedContentType": "text/csv",
                    "mode": "INPUT",
                    "data": data,
                    "encoding": encoding,
                },
                "endpointOutput": {
                    "observedContentType": "text/csv; charset=utf-8",
                    "mode": "OUTPUT",
                    "data": str(prediction),
                    "encoding": "CSV",
                },
            },
            "eventMetadata": {
                "eventId": f"event-{inference_id}",
                "inferenceId": inference_id,
                "inferenceTime": "2026-11-29T11:15:00Z",
            },
            "eventVersion": "0",
        }
    )


def capture_file(data: Sample, prefix: str = "req") -> str:
    return "\n".join(
        capture_line(row, p, f"{prefix}-{i}")
        for i, (row, p) in enumerate(zip(data.rows, data.predictions, strict=True))
    )


def ground_truth_file(data: Sample, prefix: str = "req") -> str:
    return "\n".join(
        json.dumps(
            {
                "groundTruthData": {"data": str(label), "encoding": "CSV"},
                "eventMetadata": {"eventId": f"{prefix}-{i}"},
                "eventVersion": "0",
            }
        )
        for i, label in enumerate(data.labels)
    )


def hour_path(hour: datetime) -> str:
    return f"{hour:%Y/%m/%d/%H}"
