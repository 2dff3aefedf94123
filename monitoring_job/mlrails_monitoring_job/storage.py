"""Reading capture, ground truth and the baseline from S3; writing the reports with SSE-KMS.

Capture lands at {destination}/{endpoint-name}/{variant-name}/yyyy/mm/dd/hh/{file}.jsonl
(developer guide, "Capture data from real-time endpoint", View Captured Data); ground truth is
uploaded under {prefix}/yyyy/mm/dd/hh/ (developer guide, "Ingest Ground Truth labels and merge
them with predictions"). The job lists only the hour folders of its window.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from botocore.exceptions import ClientError

from mlrails_monitoring_job.errors import JobInputError

_HOUR = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/(\d{2})/[^/]+$")


def split_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def hour_of(key: str) -> datetime | None:
    """The hour a capture or ground-truth file belongs to, from its yyyy/mm/dd/hh path."""
    match = _HOUR.search(key)
    if not match:
        return None
    try:
        return datetime(*(int(part) for part in match.groups()), tzinfo=UTC)
    except ValueError:
        return None


def keys_in_window(
    s3, uri: str, start: datetime, end: datetime, per_variant: bool = False
) -> list[tuple[datetime, str]]:
    """(hour, key) of every object under `uri` whose hour is in [start, end), oldest first.

    Only the window's hour folders are listed, so a run costs the same however much history
    the prefix holds. With `per_variant`, the hour folders sit one level down, under each
    variant's folder (the capture layout).
    """
    bucket, prefix = split_uri(uri.rstrip("/") + "/")
    roots = _folders(s3, uri, bucket, prefix) if per_variant else [prefix]
    hours = []
    hour = start
    while hour < end:
        hours.append(hour)
        hour += timedelta(hours=1)
    found = []
    for root in roots:
        for hour in hours:
            for key in _list(s3, uri, bucket, f"{root}{hour:%Y/%m/%d/%H}/"):
                if hour_of(key) == hour:
                    found.append((hour, key))
    return sorted(found)


def _folders(s3, uri: str, bucket: str, prefix: str) -> list[str]:
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix, Delimiter="/"
        )
        return [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])]
    except ClientError as error:
        raise JobInputError(f"cannot list {uri}: {_reason(error)}") from None


def _list(s3, uri: str, bucket: str, prefix: str) -> list[str]:
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [entry["Key"] for page in pages for entry in page.get("Contents", [])]
    except ClientError as error:
        raise JobInputError(f"cannot list {uri}: {_reason(error)}") from None


def lines(s3, bucket: str, key: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of every non-blank line of a JSON Lines object."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        raise JobInputError(f"cannot read s3://{bucket}/{key}: {_reason(error)}") from None
    text = body.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def read_baseline(s3, uri: str) -> pd.DataFrame:
    """The baseline dataset: CSV with a header row, or JSON (an array or JSON Lines of objects)."""
    bucket, key = split_uri(uri)
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        raise JobInputError(
            f"baseline {uri} cannot be read ({_reason(error)}): upload the training baseline "
            "there or fix BASELINE_S3_URI"
        ) from None
    try:
        if key.endswith((".json", ".jsonl")):
            text = body.decode("utf-8")
            frame = pd.read_json(io.StringIO(text), lines=not text.lstrip().startswith("["))
        else:
            frame = pd.read_csv(io.BytesIO(body))
    except (ValueError, UnicodeDecodeError) as error:
        raise JobInputError(
            f"baseline {uri} is not a CSV with a header or JSON records ({error})"
        ) from None
    if frame.empty:
        raise JobInputError(f"baseline {uri} holds no rows: baseline on the training data")
    return frame


def write_report(s3, uri: str, key_arn: str, name: str, body: str, content_type: str) -> str:
    """Write one report object encrypted with the monitoring key; returns its URI."""
    bucket, prefix = split_uri(uri.rstrip("/") + "/")
    key = f"{prefix}{name}"
    # SSE-KMS with the named key (S3 API reference, PutObject: x-amz-server-side-encryption
    # aws:kms and x-amz-server-side-encryption-aws-kms-key-id).
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=body.encode("utf-8"),
        ContentType=content_type,
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=key_arn,
    )
    return f"s3://{bucket}/{key}"


def _reason(error: ClientError) -> str:
    info: dict[str, Any] = error.response.get("Error", {})
    return f"{info.get('Code', 'error')}: {info.get('Message', '')}".rstrip(": ")
