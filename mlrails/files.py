"""Writing output files so a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mlrails.errors import UserError


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same directory and a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(
            f"{path}: cannot write the output, the directory {directory} does not exist. "
            "Create it or pass another --output path."
        )
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot write the output ({err.strerror}).") from err
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
