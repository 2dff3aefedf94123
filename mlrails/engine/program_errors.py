"""What a failed program run tells the user: one message naming the file, line or key, and the
fix; never the SDK's traceback (that is --debug's)."""

from __future__ import annotations

import traceback
from pathlib import Path

import pulumi

from mlrails.containment import ForeignExit, describe_exit
from mlrails.engine.invokes import HANDLERS
from mlrails.errors import UserError
from mlrails.project import Project


class EngineReplaced(RuntimeError):
    """The program tried to set up its own engine (pulumi.runtime.set_mocks or configure)."""


def unknown_invoke_error(project: Project, token: str) -> UserError:
    known = ", ".join(sorted(HANDLERS))
    return UserError(
        f"{project.program}: the program calls the provider function {token}, which the offline "
        "engine cannot answer without a cloud account, and no imported provider SDK declares "
        f"its result type to invent one from. Functions it answers exactly: {known}. Pass the "
        "value through stack configuration instead, or preview this project with the Pulumi CLI."
    )


def program_error(project: Project, failure: BaseException) -> UserError:
    stack_file = project.stack_file or project.directory
    if isinstance(failure, pulumi.ConfigMissingError):
        short = (
            failure.key.split(":", 1)[1]
            if failure.key.startswith(f"{project.name}:")
            else failure.key
        )
        return UserError(
            f"{stack_file}: config key `{failure.key}` is required by the program but is not set. "
            f"Add it under `config:` in {Path(stack_file).name}, or run "
            f"`pulumi config set {short} <value> --stack {project.stack}`"
            + (" --secret." if failure.secret else ".")
        )
    if isinstance(failure, pulumi.ConfigTypeError):
        return UserError(f"{stack_file}: {failure}. Fix the value in {Path(stack_file).name}.")
    if isinstance(failure, UserError):
        return failure
    if isinstance(failure, EngineReplaced):
        return UserError(
            f"{project.program}: {failure}{program_frame(project, failure)}; a program judged "
            "by mlrails must not set up its own mocks. Move set_mocks into the unit tests."
        )
    if isinstance(failure, SystemExit | ForeignExit) or not isinstance(failure, Exception):
        return UserError(
            f"{project.program}: the program {describe_exit(failure)}"
            f"{program_frame(project, failure)} before it finished, so it cannot be judged: "
            "a Pulumi program must not end the process. Remove the call (raise an exception "
            "or use pulumi.log.error to fail a preview)."
        )
    if isinstance(failure, pulumi.RunError):
        # Pulumi's convention for an error the program explains itself: no traceback.
        return UserError(f"{project.directory}: {str(failure).rstrip()}")
    where = program_frame(project, failure)
    return UserError(
        f"{project.program}: the program failed{where}: {type(failure).__name__}: "
        f"{str(failure).rstrip('.')}. "
        "Fix the program or its configuration; run with --debug for the full traceback."
    )


def program_frame(project: Project, failure: BaseException) -> str:
    """' at file:line' for the innermost frame of the user's code, if there is one."""
    root = str(project.directory)
    # An error in an `apply` callback is re-raised by the SDK's final wait; the user's frame is
    # in the exception it chained from.
    chain: list[BaseException] = []
    current: BaseException | None = failure
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    frames = [
        f
        for error in reversed(chain)
        for f in traceback.extract_tb(error.__traceback__)
        if f.filename.startswith(root)
    ]
    if not frames:
        return ""
    frame = frames[-1]
    return f" at {Path(frame.filename).relative_to(root)}:{frame.lineno}"
