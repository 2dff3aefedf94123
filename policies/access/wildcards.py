"""IAM's wildcard matching, as Action, Resource and the `...Like` condition operators use it.

Only two characters are special (IAM User Guide, "IAM JSON policy elements: Resource",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html,
"Including wildcard characters in the resource ARN": "*" matches any combination of
characters, "?" any single character; condition operators, reference_policies_elements_
condition_operators.html, "StringLike: ... can include multi-character match wildcards (*) and
single-character match wildcards (?) anywhere in the string"). Unlike a shell glob
(`fnmatch`), "[" and "]" stand for themselves: `arn:aws:s3:::logs/[x]` names that one object.

Most patterns in a plan are an exact name or a name followed by "*", and a fleet's policies
hold thousands of distinct ones, so those are matched without compiling anything.
"""

from __future__ import annotations

import functools
import re


def matches(pattern: str, value: str) -> bool:
    """Whether `value` matches the IAM wildcard `pattern` (case-sensitive: callers fold case
    where IAM does, for actions)."""
    if "?" in pattern:
        return _compiled(pattern).fullmatch(value) is not None
    if "*" not in pattern:
        return pattern == value
    first, *middle, last = pattern.split("*")
    if len(value) < len(first) + len(last) or not value.startswith(first):
        return False
    if not value.endswith(last):
        return False
    # Each "*" takes the shortest run that lets the next literal part follow: finding every
    # middle part leftmost, in order, between the prefix and the suffix is then exact.
    position, end = len(first), len(value) - len(last)
    for part in middle:
        found = value.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    translated = (
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    return re.compile("".join(translated), re.DOTALL)
