"""SageMaker data capture and ground-truth records, parsed line by line.

A capture file is JSON Lines, one invocation per line (developer guide, "Capture data from
real-time endpoint", section View Captured Data,
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html):

    {"captureData": {"endpointInput":  {"observedContentType": "text/csv", "mode": "INPUT",
                                        "data": "...", "encoding": "CSV"},
                     "endpointOutput": {"observedContentType": "...", "mode": "OUTPUT",
                                        "data": "...", "encoding": "CSV"}},
     "eventMetadata": {"eventId": "...", "inferenceId": "...", "inferenceTime": "..."},
     "eventVersion": "0"}

`encoding` is CSV, JSON or BASE64 (bodies whose content type the endpoint's
CaptureContentTypeHeader does not list are captured base64-encoded: API reference,
DataCaptureConfig.CaptureContentTypeHeader). `inferenceId` is present when the caller passed one
to InvokeEndpoint. A ground-truth record is `{"groundTruthData": {"data": "1", "encoding": "CSV"},
"eventMetadata": {"eventId": "..."}, "eventVersion": "0"}`, where eventId holds the capture's
inferenceId if it had one, else its eventId (developer guide, "Ingest Ground Truth labels and
merge them with predictions",
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html).
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
from dataclasses import dataclass
from typing import Any

ENCODINGS = ("CSV", "JSON", "BASE64")


class LineProblem(ValueError):
    """One line of one file cannot be used; the message says why."""


@dataclass(frozen=True)
class CaptureRecord:
    join_id: str
    """inferenceId when the caller set one, else eventId: the key ground truth is joined on."""
    rows: list[list[Any] | dict[str, Any]]
    """The request's feature rows: positional (CSV, JSON arrays) or named (JSON objects)."""
    predictions: list[Any] | None
    """One prediction per row, or None when the output was not captured."""


def parse_capture_line(line: str, inference_attribute: str | None = None) -> CaptureRecord:
    record = _json_object(line, "capture record")
    capture = _member(record, "captureData", dict)
    metadata = _member(record, "eventMetadata", dict)
    join_id = metadata.get("inferenceId") or metadata.get("eventId")
    if not isinstance(join_id, str) or not join_id:
        raise LineProblem("eventMetadata has neither inferenceId nor eventId")
    if "endpointInput" not in capture:
        raise LineProblem(
            "captureData has no endpointInput: capture the Input mode (CaptureOptions Input)"
        )
    rows = _rows(_payload(capture["endpointInput"], "endpointInput"))
    predictions = None
    if "endpointOutput" in capture:
        output = _payload(capture["endpointOutput"], "endpointOutput")
        predictions = _predictions(output, inference_attribute)
        if len(predictions) != len(rows):
            raise LineProblem(
                f"endpointInput has {len(rows)} rows but endpointOutput {len(predictions)} "
                "predictions"
            )
    return CaptureRecord(join_id, rows, predictions)


def parse_ground_truth_line(line: str) -> tuple[str, Any]:
    """(eventId, label) of one ground-truth record."""
    record = _json_object(line, "ground-truth record")
    data = _payload(_member(record, "groundTruthData", dict), "groundTruthData")
    event_id = _member(record, "eventMetadata", dict).get("eventId")
    if not isinstance(event_id, str) or not event_id:
        raise LineProblem("eventMetadata.eventId is missing")
    values = _predictions(data, None)
    if len(values) != 1:
        raise LineProblem(f"groundTruthData holds {len(values)} labels, not one")
    return event_id, values[0]


def _json_object(line: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineProblem(f"not a JSON {what} ({error.msg} at column {error.colno})") from None
    if not isinstance(value, dict):
        raise LineProblem(f"a {what} is a JSON object, not {type(value).__name__}")
    return value


def _member(value: dict[str, Any], key: str, kind: type) -> Any:
    member = value.get(key)
    if not isinstance(member, kind):
        raise LineProblem(f"{key} is missing or not a JSON {kind.__name__}")
    return member


def _payload(part: Any, name: str) -> tuple[str, str]:
    """(format, text) of a captured body: format is "csv" or "json"."""
    if not isinstance(part, dict):
        raise LineProblem(f"{name} is not a JSON object")
    encoding, data = part.get("encoding"), part.get("data")
    if encoding not in ENCODINGS:
        raise LineProblem(f"{name}.encoding is {encoding!r}, not one of {', '.join(ENCODINGS)}")
    if not isinstance(data, str):
        raise LineProblem(f"{name}.data is missing or not a string")
    if encoding != "BASE64":
        return encoding.lower(), data
    try:
        text = base64.b64decode(data, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise LineProblem(f"{name}.data is not base64-encoded UTF-8 text") from None
    content_type = str(part.get("observedContentType", "")).lower()
    for kind in ("csv", "json"):
        if kind in content_type:
            return kind, text
    raise LineProblem(
        f"{name} is base64 of content type {content_type!r}: list it in the endpoint's "
        "CaptureContentTypeHeader (CsvContentTypes or JsonContentTypes) so it is captured as text"
    )


def _rows(payload: tuple[str, str]) -> list[list[Any] | dict[str, Any]]:
    kind, text = payload
    if kind == "csv":
        rows = [[_number(v) for v in row] for row in csv.reader(io.StringIO(text)) if row]
    else:
        value = _json_value(text, "endpointInput")
        if isinstance(value, dict) and isinstance(value.get("instances"), list):
            value = value["instances"]
        if isinstance(value, dict) or (isinstance(value, list) and not _nested(value)):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(r, list | dict) for r in value):
            raise LineProblem("endpointInput JSON is not an object, an array or rows of them")
        rows = value
    if not rows:
        raise LineProblem("endpointInput holds no rows")
    return rows


def _predictions(payload: tuple[str, str], attribute: str | None) -> list[Any]:
    kind, text = payload
    if kind == "csv":
        return [_number(row[0]) for row in csv.reader(io.StringIO(text)) if row]
    value = _json_value(text, "endpointOutput")
    if isinstance(value, dict) and attribute is None and isinstance(value.get("predictions"), list):
        value = value["predictions"]
    values = value if isinstance(value, list) else [value]
    if attribute is not None:
        try:
            values = [v[attribute] for v in values]
        except (KeyError, TypeError):
            raise LineProblem(f"endpointOutput has no field {attribute!r}") from None
    return values


def _json_value(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise LineProblem(f"{name}.data is not JSON ({error.msg})") from None


def _nested(values: list[Any]) -> bool:
    return any(isinstance(v, list | dict) for v in values)


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text.strip()
