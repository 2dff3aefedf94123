"""Model Monitor schedule expressions: the forms SageMaker accepts, by name or as cron."""

from __future__ import annotations

import re

NAMED = {
    "hourly": "cron(0 * ? * * *)",
    "daily": "cron(0 0 ? * * *)",
}
# SageMaker runs monitoring hourly, daily at a given hour, or every N hours from a given hour
# (DG model-monitor-schedule-expression.md).
_CRON = re.compile(
    r"^cron\(0 (?P<hours>\*|(0?[0-9]|1[0-9]|2[0-3])(/(?P<every>0?[1-9]|1[0-9]|2[0-4]))?) \? \* \* \*\)$"
)


def schedule_expression(schedule: str) -> str | None:
    """The SageMaker expression for `schedule`, or None if SageMaker would reject it."""
    if schedule in NAMED:
        return NAMED[schedule]
    return schedule if _CRON.match(schedule) else None


def period_hours(expression: str) -> int:
    """Hours between two runs of a valid schedule expression: 1, N (every N hours) or 24."""
    match = _CRON.match(expression)
    if match is None:
        raise ValueError(f"not a monitoring schedule expression: {expression}")
    if match["hours"] == "*":
        return 1
    return int(match["every"]) if match["every"] else 24
