"""Capture and ground-truth records as the developer guide shows them, in every encoding."""

from __future__ import annotations

import base64
import json

import pytest

from mlrails_monitoring_job.capture import (
    LineProblem,
    parse_capture_line,
    parse_ground_truth_line,
)


def record(inp: dict, out: dict | None = None, metadata: dict | None = None) -> str:
    capture = {"endpointInput": {"mode": "INPUT", **inp}}
    if out is not None:
        capture["endpointOutput"] = {"mode": "OUTPUT", **out}
    return json.dumps(
        {
            "captureData": capture,
            "eventMetadata": metadata or {"eventId": "e-1", "inferenceTime": "2026-11-29T11:00Z"},
            "eventVersion": "0",
        }
    )


CSV_IN = {"observedContentType": "text/csv", "data": "69,0,153.7\n", "encoding": "CSV"}
CSV_OUT = {"observedContentType": "text/csv; charset=utf-8", "data": "0.025", "encoding": "CSV"}


def test_the_developer_guides_csv_record_parses():
    parsed = parse_capture_line(record(CSV_IN, CSV_OUT))
    assert parsed.rows == [[69.0, 0.0, 153.7]]
    assert parsed.predictions == [0.025]
    assert parsed.join_id == "e-1"


def test_the_inference_id_is_the_join_key_when_the_caller_set_one():
    metadata = {"eventId": "e-1", "inferenceId": "order-7", "inferenceTime": "x"}
    assert parse_capture_line(record(CSV_IN, CSV_OUT, metadata)).join_id == "order-7"


@pytest.mark.parametrize(
    ("payload", "rows"),
    [
        pytest.param({"age": 3, "region": "n"}, [{"age": 3, "region": "n"}], id="object"),
        pytest.param([3, "n"], [[3, "n"]], id="array"),
        pytest.param({"instances": [[3, "n"], [4, "s"]]}, [[3, "n"], [4, "s"]], id="instances"),
    ],
)
def test_json_inputs_become_rows(payload, rows):
    json_in = {"observedContentType": "application/json", "data": json.dumps(payload)}
    parsed = parse_capture_line(record({**json_in, "encoding": "JSON"}))
    assert parsed.rows == rows
    assert parsed.predictions is None


def test_base64_bodies_are_decoded_by_their_content_type():
    body = base64.b64encode(b"1,2,3").decode()
    inp = {"observedContentType": "text/csv", "data": body, "encoding": "BASE64"}
    assert parse_capture_line(record(inp)).rows == [[1.0, 2.0, 3.0]]


def test_the_inference_attribute_picks_the_prediction_from_json_output():
    out = {"observedContentType": "application/json", "encoding": "JSON"}
    out["data"] = json.dumps({"score": 0.8, "label": 1})
    assert parse_capture_line(record(CSV_IN, out), "score").predictions == [0.8]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        pytest.param("{oops", "not a JSON capture record", id="not-json"),
        pytest.param("[1]", "a capture record is a JSON object, not list", id="not-object"),
        pytest.param(
            record({**CSV_IN, "encoding": "XML"}), "endpointInput.encoding is 'XML'", id="encoding"
        ),
        pytest.param(
            record({**CSV_IN, "data": "%%%", "encoding": "BASE64"}),
            "endpointInput.data is not base64",
            id="bad-base64",
        ),
        pytest.param(
            record({"observedContentType": "image/png", "data": "aGk=", "encoding": "BASE64"}),
            "list it in the endpoint's CaptureContentTypeHeader",
            id="binary-content-type",
        ),
        pytest.param(
            record(CSV_IN, CSV_OUT, {"inferenceTime": "x"}),
            "neither inferenceId nor eventId",
            id="no-id",
        ),
        pytest.param(
            record({**CSV_IN, "data": "1,2\n3,4"}, CSV_OUT),
            "endpointInput has 2 rows but endpointOutput 1 predictions",
            id="rows-vs-predictions",
        ),
    ],
)
def test_malformed_records_name_the_problem(line, problem):
    with pytest.raises(LineProblem, match=problem.replace("(", r"\(")):
        parse_capture_line(line)


def test_a_ground_truth_record_gives_its_event_id_and_label():
    line = json.dumps(
        {
            "groundTruthData": {"data": "1", "encoding": "CSV"},
            "eventMetadata": {"eventId": "order-7"},
            "eventVersion": "0",
        }
    )
    assert parse_ground_truth_line(line) == ("order-7", 1.0)


def test_a_ground_truth_record_without_event_id_is_refused():
    line = json.dumps({"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {}})
    with pytest.raises(LineProblem, match=r"eventMetadata\.eventId is missing"):
        parse_ground_truth_line(line)
