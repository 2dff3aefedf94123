"""Resource and invoke transforms, applied as the Pulumi engine applies them.

A program's transforms (`pulumi.runtime.register_resource_transform`, the deprecated
`register_stack_transform`, and `ResourceOptions(transforms=[...])`) run in the engine, which
calls back into the program through the SDK's callback server. The engine's order
(pulumi/pulumi pkg/resource/deploy/source_eval.go, `resmon.RegisterResource`): first the
resource's own transforms, then those of its parent, its parent's parent and so on, then the
stack transforms registered so far; each gets the previous one's properties and options. A
resource's own transforms are kept for its children. What the last transform returns is what
the engine registers, and what analyzers and policies see.

Offline we make the same calls to the same callbacks: the SDK's own handler (`_CallbackServicer`
in pulumi/runtime/_callbacks.py) turns a `TransformRequest` into the program's transform
arguments and its result back into a `TransformResponse`. Property dependencies stay those the
SDK sent for the keys that remain.

Invoke transforms (`pulumi.runtime.register_invoke_transform`) run before the engine loads the
function's provider (`resmon.Invoke` in the same file): each one registered so far, in order,
gets the previous one's arguments and options (provider, version, plugin download URL and
checksums); one that returns no arguments or no options leaves them as they were
(`wrapInvokeTransformCallback`). The answer is computed from what the last one returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from google.protobuf.message import Message
from pulumi.runtime._callbacks import _CallbackServicer
from pulumi.runtime.proto import callback_pb2, resource_pb2
from pulumi.runtime.sync_await import _sync_await

Request = resource_pb2.RegisterResourceRequest
InvokeRequest = resource_pb2.ResourceInvokeRequest


class Transforms:
    """The stack's transforms and each resource's own, by URN, for its children."""

    def __init__(self) -> None:
        self.stack: list[callback_pb2.Callback] = []
        self.invoke: list[callback_pb2.Callback] = []
        self._own: dict[str, list[callback_pb2.Callback]] = {}
        self._parents: dict[str, str] = {}

    def add_stack_transform(self, callback: callback_pb2.Callback) -> None:
        self.stack.append(callback)

    def add_invoke_transform(self, callback: callback_pb2.Callback) -> None:
        self.invoke.append(callback)

    def apply_invoke(self, request: InvokeRequest) -> InvokeRequest:
        """The invoke as the engine performs it after every invoke transform."""
        if not self.invoke:
            return request
        args = request.args
        options = resource_pb2.TransformInvokeOptions(
            provider=request.provider,
            version=request.version,
            plugin_download_url=request.pluginDownloadURL,
            plugin_checksums=dict(request.pluginChecksums),
        )
        for callback in self.invoke:
            handler = _handler(callback.token)
            transform_request = resource_pb2.TransformInvokeRequest(
                token=request.tok, args=args, options=options
            )
            response = _sync_await(handler(transform_request.SerializeToString()))
            assert isinstance(response, resource_pb2.TransformInvokeResponse)
            if response.HasField("args"):
                args = response.args
            if response.HasField("options"):
                options = response.options
        invoked = InvokeRequest()
        invoked.CopyFrom(request)
        invoked.args.CopyFrom(args)
        invoked.provider = options.provider
        invoked.version = options.version
        invoked.pluginDownloadURL = options.plugin_download_url
        invoked.pluginChecksums.clear()
        invoked.pluginChecksums.update(dict(options.plugin_checksums))
        return invoked

    def apply(self, request: Request, urn: str) -> Request:
        """The request as the engine registers it after every transform that applies."""
        own = list(request.transforms)
        if own:
            self._own[urn] = own
        if request.parent:
            self._parents[urn] = request.parent
        chain = own + self._inherited(request.parent) + self.stack
        if not chain:
            return request
        properties, options = request.object, _options_of(request)
        for callback in chain:
            handler = _handler(callback.token)
            transform_request = resource_pb2.TransformRequest(
                type=request.type,
                name=request.name,
                custom=request.custom,
                parent=request.parent,
                properties=properties,
                options=options,
            )
            response = _sync_await(handler(transform_request.SerializeToString()))
            assert isinstance(response, resource_pb2.TransformResponse)
            properties = response.properties
            # The engine keeps the options it sent when a transform returns none.
            if response.HasField("options"):
                options = response.options
        return _registered(request, properties, options)

    def _inherited(self, parent: str) -> list[callback_pb2.Callback]:
        inherited: list[callback_pb2.Callback] = []
        seen: set[str] = set()
        while parent and parent not in seen:
            seen.add(parent)
            inherited.extend(self._own.get(parent, ()))
            parent = self._parents.get(parent, "")
        return inherited


def _handler(token: str) -> Callable[[bytes], Awaitable[Message]]:
    for servicer in _CallbackServicer._servicers:
        handler = servicer._callbacks.get(token)
        if handler is not None:
            return handler
    raise RuntimeError(f"the program registered a transform (callback {token}) that is gone")


def _options_of(request: Request) -> resource_pb2.TransformResourceOptions:
    """The options the engine gives a transform (`opts` in source_eval.go)."""
    aliases = [resource_pb2.Alias(urn=urn) for urn in request.aliasURNs]  # type: ignore[attr-defined]  # generated message class; the stubs omit it
    aliases.extend(request.aliases)
    options = resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies),
        protect=request.protect,
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        version=request.version,
        aliases=aliases,
        provider=request.provider,
        providers=dict(request.providers),
        plugin_download_url=request.pluginDownloadURL,
        deleted_with=request.deletedWith,
        additional_secret_outputs=list(request.additionalSecretOutputs),
    )
    if request.HasField("customTimeouts"):
        options.custom_timeouts.CopyFrom(request.customTimeouts)
    if request.HasField("retainOnDelete"):
        options.retain_on_delete = request.retainOnDelete
    if request.deleteBeforeReplaceDefined or request.deleteBeforeReplace:
        options.delete_before_replace = request.deleteBeforeReplace
    return options


def _registered(
    request: Request, properties: Any, options: resource_pb2.TransformResourceOptions
) -> Request:
    registered = Request()
    registered.CopyFrom(request)
    registered.object.CopyFrom(properties)
    kept = set(properties.fields)
    for key in [k for k in registered.propertyDependencies if k not in kept]:
        del registered.propertyDependencies[key]
    registered.dependencies[:] = list(options.depends_on)
    registered.protect = options.protect
    registered.ignoreChanges[:] = list(options.ignore_changes)
    registered.replaceOnChanges[:] = list(options.replace_on_changes)
    registered.version = options.version
    del registered.aliasURNs[:]
    del registered.aliases[:]
    registered.aliases.extend(options.aliases)
    registered.provider = options.provider
    registered.providers.clear()
    registered.providers.update(dict(options.providers))
    registered.pluginDownloadURL = options.plugin_download_url
    registered.deletedWith = options.deleted_with
    registered.additionalSecretOutputs[:] = list(options.additional_secret_outputs)
    registered.ClearField("customTimeouts")
    if options.HasField("custom_timeouts"):
        registered.customTimeouts.CopyFrom(options.custom_timeouts)
    registered.ClearField("retainOnDelete")
    if options.HasField("retain_on_delete"):
        registered.retainOnDelete = options.retain_on_delete
    defined = options.HasField("delete_before_replace")
    registered.deleteBeforeReplaceDefined = defined
    registered.deleteBeforeReplace = defined and options.delete_before_replace
    return registered
