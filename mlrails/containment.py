"""Running code mlrails does not own (a program, a policy pack) so it cannot end the judge.

A program or a validator that calls `sys.exit(0)` or `os._exit(0)` would otherwise end mlrails
itself, with exit 0 after a mandatory violation: a passed CI gate. `sys.exit` raises
`SystemExit`, which the callers catch like any other failure; `os._exit` ends the process
without unwinding, so while foreign code runs it is replaced by a function that raises
`ForeignExit` instead, and restored afterwards.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

# Interrupts stay interrupts: Ctrl-C must still stop mlrails.
PASSED_THROUGH = (KeyboardInterrupt,)


class ForeignExit(BaseException):
    """Raised in place of `os._exit(code)` while foreign code runs."""

    def __init__(self, code: object) -> None:
        super().__init__(f"os._exit({code!r})")
        self.code = code


def _refuse_exit(code: object = 0) -> None:
    raise ForeignExit(code)


@contextlib.contextmanager
def exits_trapped() -> Iterator[None]:
    """Within this block `os._exit` raises ForeignExit instead of ending the process."""
    # `os._exit` is `posix._exit` (`nt._exit` on Windows): both names are covered.
    modules: list[Any] = [m for m in (os, sys.modules.get(os.name)) if m is not None]
    saved = [(module, module._exit) for module in modules]
    for module in modules:
        module._exit = _refuse_exit
    try:
        yield
    finally:
        for module, original in saved:
            module._exit = original


def describe_exit(err: BaseException) -> str:
    """What the foreign code did, for a message: `called sys.exit(0)`, `raised Boom: ...`."""
    if isinstance(err, ForeignExit):
        return f"called os._exit({err.code!r})"
    if isinstance(err, SystemExit):
        return f"called sys.exit({err.code!r})"
    detail = str(err).rstrip(".")
    return f"raised {type(err).__name__}" + (f": {detail}" if detail else "")
