"""Buckets and the separate resources (pulumi-aws 7) that configure them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from policies.framework.rule import Undecided, Violation
from policies.framework.wire import UNKNOWN

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")


def judge_buckets(
    index,
    setting_types: tuple[str, ...],
    verdict: Callable[[Any, list[Any]], Any],
    unknown: str,
) -> Iterator[Violation | Undecided]:
    """For each bucket, `verdict(bucket, linked settings)`: None (passes), a message, or UNKNOWN.

    `unknown` says what could not be known when the verdict is UNKNOWN.
    """
    for bucket in index.of_type(*BUCKETS):
        settings = index.linked(bucket, setting_types, "bucket")
        result = verdict(bucket, settings)
        if result is UNKNOWN:
            yield Undecided(bucket.urn, f"{unknown} can't be known during preview")
        elif result:
            yield Violation(bucket.urn, f"bucket {bucket.name}: {result}")
