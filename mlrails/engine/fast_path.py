"""The engine's fast path: the SDK's work the offline engine does not need, done cheaper.

Each shortcut gives the monitor exactly what the SDK's own code would have given it; the
fidelity test (tests/mlrails/test_fast_path.py) previews every example, stack and corpus program
with and without them and requires byte-identical JSON. Measured on the 500-endpoint raw fleet
(bench/projects/raw_fleet, CPU seconds of the program run; README "Performance"):

- the stack trace: the SDK turns every frame of every registration into a file URI
  (`pulumi.runtime.resource._get_stack_trace`); the monitor reads only the first frame (the
  source position) and the innermost frame of the project's own code, so only those are built;
- `run_in_executor`: the monitor runs inline (`InlineExecutor`), so the SDK's wrapping of a
  thread pool's future (a thread-safe wake-up of the loop, a write to its self-pipe, per call)
  is replaced by the same result delivered on the next turn of the loop, as before;
- the registration's inputs are read from the protobuf Struct by `struct_to_dict` instead of the
  generic `json_format.MessageToDict`;
- output tracking: the SDK keeps every Output's future in `SETTINGS.outputs` until it succeeds,
  removed by a completion callback (a scheduled callback and four reads of the settings'
  context properties per output, about 530,000 outputs at 500 endpoints); here the set is
  swept of what succeeded whenever it has doubled (`_output_tracker`). examples/fleet, 500
  endpoints, program run: 20.3 s without it, 19.2 s with it (medians of 3, interleaved). The
  SDK's debug messages (a LogRequest each, for an engine that drops them) were dropped the
  same way and measured 0.3 s, inside the noise: that shortcut was not kept;
- the SDK's pure functions of a declared type (`_types.unwrap_type`, `unwrap_optional_type`),
  asked again for every property of every resource, answer from a cache;
- the cyclic garbage collector is off while the program runs: the SDK allocates a few hundred
  objects per property (futures, tasks, Outputs, handles) and keeps nearly all of them alive to
  the end of the run, so collections find almost nothing to free while each walks the young
  objects' references into an ever larger heap. Measured on examples/fleet with the whole pack
  (CPU seconds of the program run, gen0 threshold 200,000): 100 endpoints 6.2 s of which 0.6 s
  collecting, 500 endpoints 34.9 s of which 9.3 s (57 collections, each slower as the heap
  grows). Garbage a program makes in cycles of its own waits for the first collection after
  the run; the SDK's share of the heap is linear in the resources either way. Nothing the
  program sees depends on when a collection runs.

The slow path (`--no-fast-path`, or MLRAILS_NO_FAST_PATH=1) leaves the SDK untouched.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import gc
import math
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from google.protobuf import struct_pb2
from pulumi import Output, _types
from pulumi.runtime import resource as runtime_resource
from pulumi.runtime import settings
from pulumi.runtime.proto import source_pb2

# Set to 1/true/yes to run the SDK's own code everywhere (the same as --no-fast-path).
DISABLE_ENV = "MLRAILS_NO_FAST_PATH"
# Functions of pulumi._types whose answer depends on the type alone (rpc.py calls them through
# the module, for every property it serializes or resolves).
PURE_TYPE_FUNCTIONS = ("unwrap_type", "unwrap_optional_type")


def fast_path_enabled(requested: bool = True) -> bool:
    """The fast path runs unless the caller or the environment turns it off."""
    off = os.environ.get(DISABLE_ENV, "").strip().lower() in ("1", "true", "yes")
    return requested and not off


class InlineLoop(asyncio.SelectorEventLoop):
    """An event loop whose default executor runs the call at once (as `InlineExecutor` does)
    and delivers its result on the loop's next turn, as `wrap_future` would, without the
    thread-safe wake-up: the order in which tasks resume is unchanged."""

    def run_in_executor(  # type: ignore[override]  # same call; typed more loosely than typeshed's generic
        self, executor: Any, func: Callable[..., Any], *args: Any
    ) -> Any:
        if executor is not None:
            return super().run_in_executor(executor, func, *args)
        future = self.create_future()
        try:
            outcome: tuple[bool, Any] = (True, func(*args))
        except BaseException as err:  # delivered to the awaiting task, as a thread pool does
            outcome = (False, err)
        self.call_soon(_settle, future, outcome)
        return future


def _settle(future: asyncio.Future[Any], outcome: tuple[bool, Any]) -> None:
    if future.cancelled():
        return
    succeeded, value = outcome
    if succeeded:
        future.set_result(value)
    else:
        # As `wrap_future` delivers it: concurrent.futures' errors become asyncio's.
        future.set_exception(asyncio.futures._convert_future_exc(value))  # type: ignore[attr-defined]  # private helper typeshed omits; wrap_future uses it


@contextlib.contextmanager
def sdk_shortcuts(user_frame: Callable[[str], bool]) -> Iterator[None]:
    """Replace the SDK's stack trace and output tracking with cheaper equal ones, answer its
    pure type functions from a cache, and pause the cyclic garbage collector while
    the program runs. Entered once the runtime is configured (run.py `_configure_runtime`).

    `user_frame(uri)` tells a frame of the project's own code (the monitor's own test)."""
    collecting = gc.isenabled()
    with contextlib.ExitStack() as patches:
        patch = functools.partial(_patched, patches)
        patch(runtime_resource, "_get_stack_trace", _stack_trace_reader(user_frame))
        for name in PURE_TYPE_FUNCTIONS:
            patch(_types, name, _cached(getattr(_types, name)))
        patch(Output, "_track", _output_tracker(settings.SETTINGS.lock, settings.SETTINGS.outputs))
        gc.disable()
        try:
            yield
        finally:
            # Every object allocated meanwhile is still in the youngest generation, so the
            # first allocation after enabling would walk them all at once; frozen with the
            # imports instead (run.py `_imports_frozen`), they join the oldest generation on
            # unfreezing.
            gc.freeze()
            if collecting:
                gc.enable()


def _patched(patches: contextlib.ExitStack, owner: Any, name: str, value: Any) -> None:
    """`owner.name = value` until `patches` closes."""
    original = owner.__dict__[name]
    setattr(owner, name, value)
    patches.callback(setattr, owner, name, original)


# The fewest outputs tracked between two sweeps of those that completed (see below).
SWEEP_EVERY = 4096


def _output_tracker(lock: Any, outputs: set[Any]) -> Callable[[Output[Any]], None]:
    """`Output._track` without a completion callback per output.

    The SDK adds each output's future to `SETTINGS.outputs` and removes it from a callback
    once it succeeds, so the program's final wait (`stack.wait_for_rpcs`) finds only what is
    pending, failed or cancelled. Here the set is swept instead: what succeeded by then leaves
    it, the rest stays, and what completed since the last sweep is found done by that final
    wait, which returns it at once (awaiting a succeeded future does nothing). A program
    declares its resources before most outputs can resolve, so hundreds of thousands may be
    pending at once: a sweep comes when the set has grown to twice what the last one left
    (plus SWEEP_EVERY), which keeps the sweeps' cost linear in the outputs. That saves a
    scheduled callback and four reads of the settings' context properties per output: the lock
    and the set are read once, when the run starts, and are the objects the SDK's reads return.
    """
    next_sweep = SWEEP_EVERY

    def track(output: Output[Any]) -> None:
        nonlocal next_sweep
        with lock:
            outputs.add(output._data)
            if len(outputs) >= next_sweep:
                outputs.difference_update([data for data in outputs if _succeeded(data)])
                next_sweep = 2 * len(outputs) + SWEEP_EVERY

    return track


def _succeeded(data: asyncio.Future[Any]) -> bool:
    return data.done() and not data.cancelled() and data.exception() is None


@contextlib.contextmanager
def program_garbage_set_aside() -> Iterator[None]:
    """Keep what a finished run left behind out of the collections of what follows it, and
    pause the collector while the plan is judged and the report written.

    The SDK's futures, tasks and Outputs end in reference cycles, so only the cyclic collector
    frees them; the first full collection after a run walks all of them again (1-2 s of
    judging and rendering the 100-endpoint fleet). Frozen until the report is written, they are
    freed by the first collection after it (for the CLI, the process simply ends). Judging and
    rendering allocate millions of objects that reference counting frees (proxies, policy
    arguments, the report's dicts); with the collector on, the 500-endpoint fleet spent 1.3 s
    of a 2.0 s rendering in 136 collections and 0.5 s in the one that followed judging, freeing
    almost nothing. What they leave is frozen too before the collector resumes, so resuming
    does not walk it all at once either. Peak memory is unchanged (bench.fleet).
    """
    collecting = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if collecting:
            gc.enable()


def no_final_collection() -> None:
    """Spare the ending process its last garbage collection of what the run left behind.

    The interpreter collects once more as it shuts down, walking everything the SDK kept alive
    (1.7 s after the 100-endpoint fleet); nothing in it is still to be written out (reports are
    written and closed by then), so at exit it is frozen out of that collection instead.
    """
    atexit.unregister(gc.freeze)  # once, however many previews a process runs
    atexit.register(gc.freeze)


def _cached(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    answers: dict[Any, Any] = {}

    def cached(declared: Any) -> Any:
        try:
            return answers[declared]
        except KeyError:
            answers[declared] = answer = function(declared)
            return answer
        except TypeError:  # an unhashable annotation: asked every time, as before
            return function(declared)

    return cached


def _stack_trace_reader(user_frame: Callable[[str], bool]) -> Callable[[], source_pb2.StackTrace]:
    uris: dict[str, str | None] = {}

    def uri_of(filename: str) -> str | None:
        # As `_get_source_position_for_frame`: a frame whose file has no URI has no position.
        if filename not in uris:
            try:
                uris[filename] = Path(filename).as_uri() if filename else None
            except BaseException:  # the SDK's own catch: a relative path has no file URI
                uris[filename] = None
        return uris[filename]

    def stack_trace() -> source_pb2.StackTrace:
        """The SDK's trace cut to what the monitor reads: the frame below the third `__init__`
        from the top (the source position) and the innermost frame of the user's code."""
        frame: FrameType | None = sys._getframe(1)
        inits = 0
        while frame is not None:
            if frame.f_code.co_name == "__init__":
                inits += 1
                if inits == 3:
                    break
            frame = frame.f_back
        caller = frame.f_back if frame is not None else None
        # The SDK returns an empty trace when the third __init__ is the outermost frame.
        if caller is None:
            return source_pb2.StackTrace()
        frames = [_rpc_frame(uri_of(caller.f_code.co_filename), caller.f_lineno)]
        current: Any = caller
        while current is not None:
            uri = uri_of(current.f_code.co_filename)
            if uri is not None and user_frame(uri):
                if current is not caller:
                    frames.append(_rpc_frame(uri, current.f_lineno))
                break
            current = current.f_back
        return source_pb2.StackTrace(frames=frames)

    return stack_trace


def _rpc_frame(uri: str | None, line: int | None) -> source_pb2.StackFrame:
    if uri is None or line is None:
        return source_pb2.StackFrame(pc=None)
    return source_pb2.StackFrame(pc=source_pb2.SourcePosition(uri=uri, line=line))


def struct_to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    """`json_format.MessageToDict` of a Struct: numbers stay floats, NaN and infinity refused."""
    fields = struct.fields
    return {key: _value(fields[key]) for key in fields}


def _value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        if math.isinf(number) or math.isnan(number):
            raise ValueError(f"Fail to serialize {number} for Value.number_value")
        return number
    if kind == "list_value":
        return [_value(item) for item in value.list_value.values]
    return None
