"""Kubernetes resource quantities ("500m", "2Gi", "1e3"), read the way the API server reads them."""

from __future__ import annotations

import re
from decimal import Decimal

# The pattern of `resource.Quantity` in every CRD and in the core OpenAPI schema.
QUANTITY = re.compile(
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))"
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_NUMBER = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$")


def parse_quantity(text: str) -> Decimal | None:
    """The value of a quantity, or None when it is not one."""
    if not isinstance(text, str) or not QUANTITY.match(text):
        return None
    number, suffix = _NUMBER.match(text).groups()  # type: ignore[union-attr]  # QUANTITY matched
    if suffix in _BINARY:
        return Decimal(number) * (2 ** _BINARY[suffix])
    if suffix in _DECIMAL:
        return Decimal(number).scaleb(_DECIMAL[suffix])
    return Decimal(number).scaleb(int(suffix[1:]))  # an exponent: e3, E-2
