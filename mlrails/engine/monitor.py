"""Pulumi's mock resource monitor, extended to record what the program registers.

The SDK sends every resource to `RegisterResource` with its parent, dependencies, property
dependencies and serialized inputs: the same request the real engine receives. We keep that
request's content in wire format, as the engine gives it to analyzers, and answer as the
engine and the provider would: default providers registered on first use, deterministic ids,
and in resolved mode every output the SDK declares (`synthesize`). Reads (`Resource.get`,
StackReference) are recorded as external resources; lookups the engine cannot answer exactly
get invented answers, which the plan lists.
"""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.mocks import MockEngine, MockMonitor
from pulumi.runtime.proto import engine_pb2, resource_pb2

from mlrails.engine import invokes
from mlrails.engine.fast_path import struct_to_dict
from mlrails.engine.identity import Identities
from mlrails.engine.providers import DefaultProviders
from mlrails.engine.registration import (
    has_references,
    make_urn,
    read_record_of,
    record_of,
    without_references,
)
from mlrails.engine.synthesize import function_result, resource_outputs_for
from mlrails.engine.transforms import Transforms
from mlrails.plan import (
    SPECIAL_SIG_KEY,
    STACK_TYPE,
    ResourceRecord,
    SynthesizedLookup,
    is_secret,
)

STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"


class InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs monitor calls at once on the event loop's thread.

    The SDK sends each registration through `run_in_executor`. With a thread pool, when a
    response arrives relative to other ready work depends on timing, so the order in which
    resources reach the monitor could differ between runs. Run inline, the order depends on
    the program alone, which makes plans reproducible (and saves a thread hop per resource).
    """

    def submit(self, fn, /, *args, **kwargs):
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
        providers: DefaultProviders | None = None,
        stack_outputs: dict[str, dict[str, Any]] | None = None,
        fast: bool = False,
    ) -> None:
        super().__init__(mocks=None)  # type: ignore[arg-type]  # every mock entry point is overridden
        # Frames under this file:// prefix are the user's code (reports point at them).
        self.project_uri = project_dir.resolve().as_uri() + "/" if project_dir else None
        self.project = project
        self.stack = stack
        self.identities = identities
        self.resolved = resolved
        self.records: list[ResourceRecord] = []
        self.unknown_invokes: list[str] = []
        self.synthesized: list[SynthesizedLookup] = []
        self.warnings: list[str] = []
        self.providers = providers or DefaultProviders(stack, project, {}, ())
        self.stack_outputs = stack_outputs or {}
        # The fast path reads the Struct with our converter (mlrails.engine.fast_path).
        self.to_dict = struct_to_dict if fast else json_format.MessageToDict
        self.transforms = Transforms()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return make_urn(self.stack, self.project, parent, type_, name)

    def RegisterResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        request = self.transforms.apply(request, urn)
        inputs = self.to_dict(request.object)
        references = has_references(inputs)
        if references:
            inputs = without_references(inputs)
        record = record_of(request, urn, inputs, self.stack, self.project)
        record.user_source_uri, record.user_source_line = self._user_frame(request.stackTrace)
        custom = record.custom
        if record.is_provider and request.version and "version" not in inputs:
            # The engine adds the plugin version to a provider's inputs (pulumi-policy
            # tests/integration/provider: an explicit provider's props carry `version`).
            inputs["version"] = request.version
        if custom and not request.provider and not record.is_provider:
            # The engine gives a resource without an explicit provider its package's default
            # provider, registered before the first resource that needs it.
            provider = self.providers.reference(request.type, request.version)
            if provider.new is not None:
                self.records.append(provider.new)
                self.resources[provider.new.urn] = MockMonitor.ResourceRegistration(
                    provider.new.urn, provider.id, {}
                )
            record.provider = provider.reference
        self.records.append(record)
        if request.type == STACK_TYPE or not custom:
            # A remote component's children come from its plugin's Construct, which cannot
            # run offline: its outputs stay unknown, and the report says it was not judged.
            return resource_pb2.RegisterResourceResponse(urn=urn)
        completion = self.identities.complete(
            request.type, request.name, urn, inputs, self.resolved
        )
        inputs.update(completion.checked)
        # A preview is a dry run: the SDK keeps an output known only if the response carries
        # it, so the response echoes the inputs (as the provider's Check does) with what the
        # provider computes.
        outputs = struct_pb2.Struct()
        if references:
            outputs.update(inputs)
        else:
            outputs.CopyFrom(request.object)
            outputs.update(completion.checked)
        if self.resolved:
            outputs.update(completion.outputs)
            known = {**inputs, **completion.outputs}
            outputs.update(
                resource_outputs_for(request.type, request.name, urn, self.identities.region, known)
            )
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, completion.physical_id, {})
        return resource_pb2.RegisterResourceResponse(
            urn=urn, id=completion.physical_id, object=outputs
        )

    def _user_frame(self, trace) -> tuple[str | None, int]:
        """The innermost frame of the SDK's stack trace (innermost first) in the project's own
        code: libraries installed in a virtualenv inside the project do not count."""
        for frame in trace.frames:
            if self.is_user_uri(frame.pc.uri):
                return frame.pc.uri, frame.pc.line
        return None, 0

    def is_user_uri(self, uri: str) -> bool:
        """A file of the project's own code, not of a library installed inside it."""
        return (
            self.project_uri is not None
            and uri.startswith(self.project_uri)
            and _INSTALLED.search(uri) is None
        )

    def ReadResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        record = read_record_of(request, urn)
        self.records.append(record)
        properties = struct_pb2.Struct()
        properties.update(record.inputs)
        if request.type == STACK_REFERENCE_TYPE:
            properties.update(self._stack_reference(record))
        else:
            completion = self.identities.complete(
                request.type, request.name, urn, record.inputs, True
            )
            properties.update(completion.outputs)
            known = {**record.inputs, **completion.outputs}
            properties.update(
                resource_outputs_for(request.type, request.name, urn, self.identities.region, known)
            )
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, request.id, {})
        return resource_pb2.ReadResourceResponse(urn=urn, id=request.id, properties=properties)

    def _stack_reference(self, record: ResourceRecord) -> dict[str, Any]:
        """The referenced stack's outputs from --stack-outputs; unknown without them."""
        target = str(record.inputs.get("name") or record.name)
        outputs = self.stack_outputs.get(target)
        if outputs is None:
            self.warnings.append(
                f"StackReference {record.name!r} (stack {target!r}): its outputs are unknown "
                "offline, so what the program builds from them is not judged; give them with "
                "--stack-outputs FILE."
            )
            return {}
        return {"outputs": outputs, "secretOutputNames": []}

    def RegisterStackTransform(self, request):
        # Applied to every resource registered from now on (mlrails.engine.transforms).
        self.transforms.add_stack_transform(request)
        return empty_pb2.Empty()

    def RegisterStackInvokeTransform(self, request):
        # Applied to every invoke from now on (mlrails.engine.transforms).
        self.transforms.add_invoke_transform(request)
        return empty_pb2.Empty()

    def Invoke(self, request):
        # The engine transforms every invoke, its own functions too (resmon.Invoke).
        request = self.transforms.apply_invoke(request)
        if request.tok == "pulumi:pulumi:getResource":
            return super().Invoke(request)
        args = unwrap_secrets(json_format.MessageToDict(request.args))
        try:
            result = invokes.answer(request.tok, args, self.identities.region)
        except invokes.UnknownInvokeError as err:
            result = function_result(request.tok, args, self.identities.region)
            if result is None:
                # Remember it: the program may swallow the exception, the preview must not.
                self.unknown_invokes.append(err.token)
                raise
            lookup = SynthesizedLookup(request.tok, args, result)
            if lookup not in self.synthesized:
                self.synthesized.append(lookup)
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
