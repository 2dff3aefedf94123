"""Running a Pulumi Python program in-process under the recording mock monitor.

This follows what Pulumi's own language host and Automation API server do — configure the
runtime, set the configuration, run the program with `run_in_stack` on a fresh event loop —
with the monitor replaced by `RecordingMonitor`. Each run happens in a copy of the current
context, so runs never share Pulumi's global state.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import gc
import os
import runpy
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pulumi
from google.protobuf import empty_pb2
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks, settings
from pulumi.runtime.stack import Stack, run_pulumi_func

from mlrails.containment import PASSED_THROUGH, exits_trapped
from mlrails.engine.fast_path import InlineLoop, fast_path_enabled, sdk_shortcuts
from mlrails.engine.identity import Identities
from mlrails.engine.monitor import InlineExecutor, RecordingEngine, RecordingMonitor
from mlrails.engine.program_errors import EngineReplaced, program_error, unknown_invoke_error
from mlrails.engine.providers import DefaultProviders
from mlrails.errors import UserError
from mlrails.plan import MODES, Plan
from mlrails.policy.masking import SecretMask
from mlrails.project import Project


def run_program(
    project: Project,
    mode: str = "resolved",
    stack_outputs: dict[str, dict[str, Any]] | None = None,
    fast: bool = True,
) -> Plan:
    """Run the project's program for its stack and return everything it registered.

    `stack_outputs` gives the outputs of stacks the program references (StackReference), by
    stack name; others stay unknown. `fast=False` (or MLRAILS_NO_FAST_PATH=1) runs the SDK's
    own code where the fast path has shortcuts (mlrails.engine.fast_path); the plan is the same.
    """
    program = functools.partial(runpy.run_path, str(project.program), run_name="__main__")
    return run_inline_program(project, program, mode, stack_outputs, fast)


def run_inline_program(
    project: Project,
    program: Callable[[], object],
    mode: str = "resolved",
    stack_outputs: dict[str, dict[str, Any]] | None = None,
    fast: bool = True,
) -> Plan:
    """Run `program`, a Python function, as the project's program (what the Automation API calls
    an inline program); the project gives the name, stack, configuration and directory.

    Tests build components this way, in ordinary Python.
    """
    if mode not in MODES:
        raise UserError(f"--mode {mode!r} is not a mode; use one of: {', '.join(MODES)}.")
    return contextvars.copy_context().run(
        _run_in_context, project, program, mode, stack_outputs or {}, fast_path_enabled(fast)
    )


def _run_in_context(
    project: Project,
    program: Callable[[], object],
    mode: str,
    stack_outputs: dict[str, dict[str, Any]],
    fast: bool,
) -> Plan:
    resolved = mode == "resolved"
    monitor = RecordingMonitor(
        Identities(project.region),
        resolved=resolved,
        project=project.name,
        stack=project.stack,
        project_dir=project.directory,
        providers=DefaultProviders(
            project.stack, project.name, dict(project.config), tuple(project.secret_keys)
        ),
        stack_outputs=stack_outputs,
        fast=fast,
    )
    engine = RecordingEngine()
    loop = InlineLoop() if fast else asyncio.new_event_loop()
    loop.set_default_executor(InlineExecutor(max_workers=1))
    # What a failed program leaves behind (futures whose exception nobody read, coroutines
    # never awaited) is noise on stderr: the failure itself is reported once, below.
    loop.set_exception_handler(lambda _loop, _context: None)
    asyncio.set_event_loop(loop)
    _configure_runtime(project, monitor, engine)

    failure: BaseException | None = None
    locked = _engine_locked()
    # The program's prints go to stderr: stdout carries the report (JSON, SARIF, JUnit).
    with (
        _program_environment(project),
        _imports_frozen(),
        contextlib.redirect_stdout(sys.stderr),
        warnings.catch_warnings(),
        exits_trapped(),
        sdk_shortcuts(monitor.is_user_uri) if fast else contextlib.nullcontext(),
        locked as attempts,
    ):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:

            def run() -> None:  # run_pulumi_func wants no result; run_path returns globals
                program()

            loop.run_until_complete(run_pulumi_func(run))
        except PASSED_THROUGH:
            raise
        except BaseException as err:  # sys.exit, os._exit and the like end the program only
            failure = err
        finally:
            _close_loop(loop)
            if failure is not None:
                gc.collect()  # the abandoned coroutines warn now, while warnings are off
    if failure is None and attempts:
        failure = attempts[0]  # raised in the program, and caught there: still no verdict
    duplicate = _duplicate_urn(monitor)
    if failure is None and duplicate is not None:
        # The Pulumi engine's own check and words (pkg/diag/errors.go, code 2001).
        raise UserError(
            f"{project.program}: Duplicate resource URN '{duplicate}'; try giving it a unique "
            "name. Two resources of the same type and parent may not share a name."
        )

    if monitor.unknown_invokes:
        raise unknown_invoke_error(project, monitor.unknown_invokes[0]) from failure
    if failure is not None:
        # The message (and, with --debug, the chained error) may quote a secret input.
        mask = SecretMask.of_plan(monitor.records)
        failure.args = tuple(mask(a) if isinstance(a, str) else a for a in failure.args)
        raise program_error(project, failure) from failure
    if engine.errors:
        raise UserError(
            f"{project.program}: the program logged an error, which fails a preview: "
            + " / ".join(engine.errors)
        )
    return Plan(
        project=project.name,
        stack=project.stack,
        mode=mode,
        resources=monitor.records,
        warnings=engine.warnings + monitor.warnings,
        program=str(
            project.program / "__main__.py" if project.program.is_dir() else project.program
        ),
        directory=str(project.directory),
        synthesized_lookups=monitor.synthesized,
    )


def _configure_runtime(
    project: Project, monitor: RecordingMonitor, engine: RecordingEngine
) -> None:
    """Set up the runtime as `pulumi.runtime.set_mocks` does, with our monitor and engine.

    Both modes are dry runs, as `pulumi preview` is: `is_dry_run()` is true, so a program's
    "only on up" code does not run. Resolved mode differs only in the values it returns.

    Like set_mocks, the root stack is registered before the program runs. The language host's
    `run_in_stack` registers it around the program instead; the resources recorded are the same,
    but then the SDK's final wait for outstanding outputs revisits thousands of pending tasks,
    which made large programs ~25% slower than under Pulumi's own mocks.
    """
    settings.reset_options(
        project=project.name, stack=project.stack, preview=True, organization="organization"
    )
    settings.configure(
        mocks.MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures),
            engine=engine,
            project=project.name,
            stack=project.stack,
            dry_run=True,
            organization="organization",
            root_directory=str(project.directory),
            callbacks=None,
        )
    )
    runtime_config.set_all_config(dict(project.config), list(project.secret_keys))
    Stack()._finish()


def _duplicate_urn(monitor: RecordingMonitor) -> str | None:
    seen: set[str] = set()
    for record in monitor.records:
        if record.urn in seen:
            return record.urn
        seen.add(record.urn)
    return None


@contextlib.contextmanager
def _program_environment(project: Project):
    """Run with the project as working directory and import root, as the language host does."""
    program_dir = project.program if project.program.is_dir() else project.program.parent
    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    before = set(sys.modules)
    os.chdir(project.directory)
    sys.path.insert(0, str(program_dir))
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        # Modules of this project must not leak into the next program run in this process.
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(project.directory)):
                del sys.modules[name]


@contextlib.contextmanager
def _engine_locked():
    """While the program runs, the runtime keeps the recording engine: set_mocks and configure
    raise instead (the settings live in context variables, so a replacement made inside the
    program's task could not be seen from here afterwards)."""
    targets = [(settings, "configure"), (mocks, "configure"), (mocks, "set_mocks")]
    targets.append((pulumi.runtime, "set_mocks"))
    targets.append((pulumi.runtime, "configure"))
    attempts: list[EngineReplaced] = []

    def refuse(*_args, **_kwargs) -> None:
        attempts.append(
            EngineReplaced(
                "the program calls pulumi.runtime.set_mocks (or configure), which would send "
                "what it registers afterwards to its own mocks, out of sight of the policy check"
            )
        )
        raise attempts[-1]

    saved = [(module, name, getattr(module, name)) for module, name in targets]
    for module, name, _ in saved:
        setattr(module, name, refuse)
    try:
        yield attempts
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


@contextlib.contextmanager
def _imports_frozen():
    """Keep what is already loaded (the SDK, providers: millions of objects) out of GC scans.

    A large program triggers many full collections, and each would walk every object of every
    imported module again; frozen, they walk only what the program itself allocated. No
    collection first: it costs 60 ms, and imports leave almost no garbage to keep.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(BaseException):
            loop.run_until_complete(task)
    loop.close()
    asyncio.set_event_loop(None)
