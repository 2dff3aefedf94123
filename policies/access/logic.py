"""Three-valued logic: True, False, or UNKNOWN (a value the preview does not know yet).

AWS's evaluation is decided whenever the known parts decide it: a statement whose action does
not match denies nothing whatever its unknown resource is. Kleene's rules give exactly that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlrails_policies.framework.wire import UNKNOWN

Truth = Any  # bool or UNKNOWN


def any_of(values: Iterable[Truth]) -> Truth:
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is UNKNOWN:
            unknown = True
    return UNKNOWN if unknown else False


def all_of(values: Iterable[Truth]) -> Truth:
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is UNKNOWN:
            unknown = True
    return UNKNOWN if unknown else True


def negate(value: Truth) -> Truth:
    return value if value is UNKNOWN else not value
