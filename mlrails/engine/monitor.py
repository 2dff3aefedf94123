"""Pulumi's mock resource monitor, extended to record what the program registers.

The SDK sends every resource to `RegisterResource` with its parent, dependencies, property
dependencies and serialized inputs: the same request the real engine receives. We keep that
request's content in wire format and answer with deterministic ids and outputs.
"""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.mocks import MockEngine, MockMonitor
from pulumi.runtime.proto import engine_pb2, resource_pb2

from mlrails.engine import invokes
from mlrails.engine.identity import Identities
from mlrails.plan import SPECIAL_SIG_KEY, STACK_TYPE, ResourceRecord, is_secret


class InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs monitor calls at once on the event loop's thread.

    The SDK sends each registration through `run_in_executor`. With a thread pool, when a
    response arrives relative to other ready work depends on timing, so the order in which
    resources reach the monitor could differ between runs. Run inline, the order depends on
    the program alone, which makes plans reproducible (and saves a thread hop per resource).
    """

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:
            future.set_exception(err)
        return future


# Where pip and the distributions put installed packages (a project's own `venv/` included).
_INSTALLED = re.compile(r"/(site|dist)-packages/")


class RecordingMonitor(MockMonitor):
    """A MockMonitor that records every registration and answers deterministically."""

    def __init__(
        self,
        identities: Identities,
        resolved: bool,
        project: str,
        stack: str,
        project_dir: Path | None = None,
    ) -> None:
        super().__init__(mocks=None)  # type: ignore[arg-type] - every mock entry point is overridden
        # Frames under this file:// prefix are the user's code (reports point at them).
        self.project_uri = project_dir.resolve().as_uri() + "/" if project_dir else None
        self.project = project
        self.stack = stack
        self.identities = identities
        self.resolved = resolved
        self.records: list[ResourceRecord] = []
        self.unknown_invokes: list[str] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the engine gives: children of the stack carry no parent type prefix."""
        if parent and not parent.split("::")[2].endswith(STACK_TYPE):
            type_ = parent.split("::")[2] + "$" + type_
        return f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"

    def RegisterResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = json_format.MessageToDict(request.object)
        custom = bool(request.custom)
        record = ResourceRecord(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=custom,
            # The SDK collects dependencies in sets; sorted, the record is reproducible.
            dependencies=sorted(request.dependencies),
            property_dependencies={
                key: sorted(deps.urns) for key, deps in request.propertyDependencies.items()
            },
            inputs=inputs,
            protect=bool(request.protect),
            provider=request.provider or None,
            source_uri=request.sourcePosition.uri or None,
            source_line=request.sourcePosition.line,
        )
        record.user_source_uri, record.user_source_line = self._user_frame(request.stackTrace)
        self.records.append(record)
        if request.type == STACK_TYPE or not custom:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        completion = self.identities.complete(
            request.type, request.name, urn, inputs, self.resolved
        )
        inputs.update(completion.checked)
        outputs = struct_pb2.Struct()
        if not self.resolved:
            # A preview's outputs are the checked inputs; whatever else is computed stays unknown.
            outputs.CopyFrom(request.object)
        outputs.update(completion.checked)
        outputs.update(completion.outputs)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, completion.physical_id, {})
        return resource_pb2.RegisterResourceResponse(
            urn=urn, id=completion.physical_id, object=outputs
        )

    def _user_frame(self, trace) -> tuple[str | None, int]:
        """The innermost frame of the SDK's stack trace (innermost first) in the project's own
        code: libraries installed in a virtualenv inside the project do not count."""
        if self.project_uri:
            for frame in trace.frames:
                uri = frame.pc.uri
                if uri.startswith(self.project_uri) and not _INSTALLED.search(uri):
                    return uri, frame.pc.line
        return None, 0

    def ReadResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        state = json_format.MessageToDict(request.properties)
        completion = self.identities.complete(request.type, request.name, urn, state, True)
        properties = struct_pb2.Struct()
        properties.CopyFrom(request.properties)
        properties.update(completion.outputs)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, request.id, {})
        return resource_pb2.ReadResourceResponse(urn=urn, properties=properties)

    def Invoke(self, request):
        if request.tok == "pulumi:pulumi:getResource":
            return super().Invoke(request)
        args = unwrap_secrets(json_format.MessageToDict(request.args))
        try:
            result = invokes.answer(request.tok, args, self.identities.region)
        except invokes.UnknownInvokeError as err:
            # Remember it: the program may swallow the exception, the preview must not.
            self.unknown_invokes.append(err.token)
            raise
        response = struct_pb2.Struct()
        response.update(result)
        return resource_pb2.ResourceInvokeResponse(**{"return": response})


class RecordingEngine(MockEngine):
    """Collects what the program logs; errors fail the preview as they fail `pulumi preview`."""

    def __init__(self) -> None:
        super().__init__(logger=None)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def Log(self, request):
        if request.severity == engine_pb2.ERROR:
            self.errors.append(request.message)
        elif request.severity == engine_pb2.WARNING:
            self.warnings.append(request.message)


def unwrap_secrets(value: Any) -> Any:
    if is_secret(value):
        return unwrap_secrets(value.get("value"))
    if isinstance(value, dict):
        return {k: unwrap_secrets(v) for k, v in value.items() if k != SPECIAL_SIG_KEY}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value
