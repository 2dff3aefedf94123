"""Buckets and the separate resources (pulumi-aws 7) that configure them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")


def judge_buckets(
    index,
    setting_types: tuple[str, ...],
    verdict: Callable[[Any, list[Any]], Any],
    unknown: str,
) -> Iterator[Violation | NotEvaluated]:
    """For each bucket, `verdict(bucket, linked settings)`: None (passes), a message, or UNKNOWN.

    `unknown` says what could not be known when the verdict is UNKNOWN.
    """
    for bucket in index.of_type(*BUCKETS):
        settings = index.linked(bucket, setting_types, "bucket")
        result = verdict(bucket, settings)
        if result is UNKNOWN:
            yield NotEvaluated(bucket.urn, f"{unknown} can't be known during preview")
        elif result:
            yield Violation(bucket.urn, f"bucket {bucket.name}: {result}")
