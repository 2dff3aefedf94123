"""Writing output files so a reader never sees half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from mlrails.errors import UserError


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same directory and a rename.

    The file gets the mode an ordinary write would give it: an existing file keeps its own, a
    new one gets 0666 less the umask (mkstemp alone would make every report 0600).
    """
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
            os.chmod(stream.fileno(), _mode_for(path))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot write the output ({err.strerror}).") from err
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """An existing regular file's permission bits; else (new, or a symlink the write replaces
    without following) what the umask gives."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISREG(status.st_mode):
        return stat.S_IMODE(status.st_mode)
    return 0o666 & ~_umask()


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
