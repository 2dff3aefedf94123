"""One monitoring run: read the window's capture, compare it with the baseline, publish.

Drift looks at the last `window_hours` full hours before the run, and so does
feature-attribution drift (the captured outputs against the baseline's prediction column).
Model quality looks at the same length of window `ground_truth_delay_hours` earlier, so labels
have had time to arrive, and joins each captured request to its ground truth by inference id.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from mlrails_monitoring_job import attribution, drift, publish, quality, storage
from mlrails_monitoring_job.capture import (
    CaptureRecord,
    LineProblem,
    parse_capture_line,
    parse_ground_truth_line,
)
from mlrails_monitoring_job.errors import JobInputError
from mlrails_monitoring_job.settings import Settings

MAX_LISTED_PROBLEMS = 20


def run(settings: Settings, s3, cloudwatch, now: datetime | None = None) -> dict[str, Any]:
    """Run once; returns the JSON report. Raises JobInputError on bad input."""
    end = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    drift_start = end - timedelta(hours=settings.window_hours)
    quality_end = end - timedelta(hours=settings.ground_truth_delay_hours)
    quality_start = quality_end - timedelta(hours=settings.window_hours)
    baseline = storage.read_baseline(s3, settings.baseline_s3_uri)
    features = settings.features or [
        c for c in baseline.columns if c not in (settings.label_column, settings.prediction_column)
    ]
    _require_columns(baseline, features, settings)
    capture_uri = f"{settings.capture_s3_uri.rstrip('/')}/{settings.endpoint_name}"
    records = _read_capture(s3, capture_uri, min(drift_start, quality_start), end, settings)
    window = [r for hour, r in records if hour >= drift_start]
    if not window:
        raise JobInputError(
            f"no captured requests under {capture_uri}/ for {drift_start:%Y-%m-%dT%H}:00 to "
            f"{end:%Y-%m-%dT%H}:00 UTC: check the endpoint receives traffic and captures input "
            "(data capture enabled, sampling percentage above 0), or widen window_hours"
        )
    current = _typed_like(_frame(window, features, capture_uri), baseline[features], capture_uri)
    findings: dict[str, Any] = {"records": len(current)}
    findings["drift"], snapshot = drift.detect_drift(baseline[features], current, settings)
    if settings.attribution_ndcg_threshold is not None:
        findings["attribution"] = _attribution(baseline, features, current, window, settings)
    if settings.problem_type:
        labelled = [r for hour, r in records if quality_start <= hour < quality_end]
        labels = _read_ground_truth(s3, settings.ground_truth_s3_uri, quality_start, end)
        joined = _join(labelled, labels, features)
        findings["quality"] = quality.assess(joined, baseline, settings)
    report = _report(settings, end, drift_start, findings)
    stamp = f"{settings.monitor_name}/{end:%Y/%m/%d/%H}"
    report["reports"] = {
        "json": f"{settings.report_s3_uri.rstrip('/')}/{stamp}/report.json",
        "html": storage.write_report(
            s3,
            settings.report_s3_uri,
            settings.report_kms_key_arn,
            f"{stamp}/report.html",
            snapshot.get_html_str(as_iframe=False),
            "text/html",
        ),
    }
    storage.write_report(
        s3,
        settings.report_s3_uri,
        settings.report_kms_key_arn,
        f"{stamp}/report.json",
        json.dumps(report, indent=2, default=str),
        "application/json",
    )
    publish.put_metrics(
        cloudwatch,
        settings.metric_namespace,
        publish.metric_data(settings.endpoint_name, settings.monitor_name, end, findings),
    )
    return report


def _require_columns(baseline: pd.DataFrame, features: list[str], settings: Settings) -> None:
    needed = list(features) + list(settings.segments)
    if settings.problem_type:
        needed += [settings.label_column, settings.prediction_column]
    if settings.attribution_ndcg_threshold is not None:
        needed.append(settings.prediction_column)
    missing = [c for c in dict.fromkeys(needed) if c not in baseline.columns]
    if missing:
        raise JobInputError(
            f"baseline {settings.baseline_s3_uri} has no column {', '.join(missing)} (it has "
            f"{', '.join(map(str, baseline.columns))}): add them to the baseline or fix "
            "features / label_column / prediction_column / segments"
        )


def _read_capture(s3, uri: str, start, end, settings: Settings):
    records: list[tuple[datetime, CaptureRecord]] = []
    problems: list[str] = []
    for hour, key in storage.keys_in_window(s3, uri, start, end, per_variant=True):
        bucket, _ = storage.split_uri(uri)
        for number, line in storage.lines(s3, bucket, key):
            try:
                records.append((hour, parse_capture_line(line, settings.inference_attribute)))
            except LineProblem as problem:
                problems.append(f"s3://{bucket}/{key} line {number}: {problem}")
    if problems:
        shown = problems[:MAX_LISTED_PROBLEMS]
        more = len(problems) - len(shown)
        raise JobInputError(
            [f"{len(problems)} capture record(s) cannot be read:", *shown]
            + ([f"... and {more} more"] if more else [])
            + ["fix or remove these files; the endpoint writes the format of the developer guide"]
        )
    return records


def _read_ground_truth(s3, uri: str, start, end) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    problems: list[str] = []
    # Labels for requests of the window may be uploaded in any later hour, up to the run.
    for _, key in storage.keys_in_window(s3, uri, start, end + timedelta(hours=1)):
        bucket, _ = storage.split_uri(uri)
        for number, line in storage.lines(s3, bucket, key):
            try:
                event_id, label = parse_ground_truth_line(line)
                labels[event_id] = label
            except LineProblem as problem:
                problems.append(f"s3://{bucket}/{key} line {number}: {problem}")
    if problems:
        raise JobInputError(
            [f"{len(problems)} ground-truth record(s) cannot be read:", *problems[:20]]
        )
    return labels


def _frame(records: list[CaptureRecord], features: list[str], uri: str) -> pd.DataFrame:
    rows = []
    for record in records:
        for row in record.rows:
            if isinstance(row, list):
                if len(row) != len(features):
                    raise JobInputError(
                        f"a request under {uri}/ (id {record.join_id}) has {len(row)} values "
                        f"but the baseline has {len(features)} features ({', '.join(features)}): "
                        "capture the model's input, or set features in baseline order"
                    )
                row = dict(zip(features, row, strict=True))
            rows.append({f: row.get(f) for f in features})
    return pd.DataFrame(rows, columns=features)


def _join(records: list[CaptureRecord], labels: dict[str, Any], features: list[str]):
    rows = []
    for record in records:
        if record.predictions is None or len(record.rows) != 1 or record.join_id not in labels:
            continue
        (row,) = record.rows
        named = dict(zip(features, row, strict=False)) if isinstance(row, list) else row
        rows.append({**named, "label": labels[record.join_id], "prediction": record.predictions[0]})
    return pd.DataFrame(rows, columns=[*features, "label", "prediction"])


def _attribution(
    baseline: pd.DataFrame,
    features: list[str],
    current: pd.DataFrame,
    window: list[CaptureRecord],
    settings: Settings,
) -> dict[str, Any]:
    """Feature-attribution drift of the window: its captured outputs against the baseline's."""
    uri = f"{settings.capture_s3_uri.rstrip('/')}/{settings.endpoint_name}/"
    unanswered = [r.join_id for r in window if r.predictions is None]
    if unanswered:
        raise JobInputError(
            f"{len(unanswered)} request(s) under {uri} have no captured output (e.g. id "
            f"{unanswered[0]}): feature-attribution drift needs the model's output, so capture "
            "Output as well as Input (DataCaptureConfig CaptureOptions)"
        )
    outputs = attribution.numeric_outputs(
        [p for r in window for p in r.predictions or []],
        f"the capture under {uri}",
        "for JSON output set inference_attribute to the field holding the score",
    )
    column = settings.prediction_column
    reference = attribution.numeric_outputs(
        baseline[column].tolist(),
        f"baseline {settings.baseline_s3_uri} column {column}",
        "put the model's numeric prediction on each baseline row there",
    )
    return attribution.assess(
        baseline[features],
        reference,
        current,
        outputs,
        settings.attribution_ndcg_threshold,
        settings.baseline_s3_uri,
    )


def _typed_like(current: pd.DataFrame, reference: pd.DataFrame, uri: str) -> pd.DataFrame:
    """The window's columns in the baseline's types, so both are tested as the same kind."""
    problems = []
    for column, dtype in reference.dtypes.items():
        try:
            current[column] = current[column].astype(dtype)
        except (ValueError, TypeError):
            sample = current[column].iloc[0]
            problems.append(
                f"feature {column} under {uri}/ holds {sample!r} but the baseline holds {dtype} "
                "values: capture the model's input in the baseline's format"
            )
    if problems:
        raise JobInputError(problems)
    return current


def _report(settings: Settings, end, start, findings: dict[str, Any]) -> dict[str, Any]:
    return {
        "endpoint_name": settings.endpoint_name,
        "monitor_name": settings.monitor_name,
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        **findings,
    }
