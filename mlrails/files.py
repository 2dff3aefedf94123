"""Reading input files defensively, and writing output files so a reader never sees half of one."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

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


# Inputs are configuration and reports, not data: anything larger is a wrong file.
MAX_CONFIG_BYTES = 16 * 1024 * 1024
MAX_REPORT_BYTES = 512 * 1024 * 1024


def read_text_input(path: Path, what: str, limit: int = MAX_CONFIG_BYTES) -> str:
    """The UTF-8 text of an input file, or one UserError naming the file and the problem.

    `what` says what the file should be ("the stack configuration"), for the message.
    """
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as err:
        raise UserError(f"{path}: cannot be read ({err.strerror}); pass {what}.") from None
    if len(data) > limit:
        raise UserError(
            f"{path}: is larger than {limit // (1024 * 1024)} MiB, too large for {what}. "
            "Pass the right file."
        )
    try:
        # utf-8-sig: a byte-order mark, which some editors write, is not part of the text.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UserError(
            f"{path}: is not UTF-8 text (byte {err.start} is {data[err.start]:#04x}); {what} "
            "must be UTF-8. Save it as UTF-8 and run again."
        ) from None


def parse_json_input(path: Path, text: str, what: str) -> Any:
    """The JSON value of `text` read from `path`; UserError for invalid or too deep JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise UserError(
            f"{path}: is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
            f"pass {what}."
        ) from None
    except RecursionError:
        raise UserError(
            f"{path}: nests arrays or objects too deeply to be {what}; pass the right file."
        ) from None


def check_output(output: Path | None, inputs: list[Path]) -> None:
    """Refuse an --output that cannot be written, before any work is done.

    The report must land in an existing, writable directory of a real filesystem (not /proc,
    /sys or /dev, whose files are not reports), and must not replace one of the inputs.
    """
    if output is None:
        return
    directory = output.parent if str(output.parent) else Path(".")
    resolved = directory.resolve() / output.name
    if resolved.parts[:2] in (("/", "proc"), ("/", "sys"), ("/", "dev")):
        raise UserError(
            f"--output {output}: is under /{resolved.parts[1]}, which holds no reports. "
            "Pass a path in a normal directory."
        )
    if not directory.is_dir():
        raise UserError(
            f"--output {output}: the directory {directory} does not exist. Create it or pass "
            "another --output path."
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UserError(
            f"--output {output}: the directory {directory} is not writable. Pass a path in a "
            "directory you can write to."
        )
    if output.is_dir():
        raise UserError(f"--output {output}: is a directory; pass a file path.")
    for source in inputs:
        if source.exists() and resolved.exists() and resolved.samefile(source):
            raise UserError(
                f"--output {output}: is one of the inputs ({source}); writing the report "
                "there would destroy it. Pass another --output path."
            )
