"""A RegisterResource or ReadResource request as the engine keeps it: inputs and options.

The engine hands analyzers a resource's properties marshalled without resource references
(pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go: `MarshalOptions{KeepUnknowns: true,
KeepSecrets: true}`, no `KeepResources`), so `sdk/go/common/resource/plugin/rpc.go` turns a
reference into the resource's id (custom resources) or URN (components). pulumi_policy's
deserializer accepts nothing else. We store inputs that way once, at registration.
"""

from __future__ import annotations

import re
from typing import Any

from google.protobuf import json_format

from mlrails.plan import SPECIAL_SIG_KEY, STACK_TYPE, ResourceRecord

# pulumi/runtime/rpc.py `_special_resource_sig`: a resource reference inside a property map.
RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")
_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def without_references(value: Any) -> Any:
    """Resource references replaced by the id (custom) or URN (component), as the engine
    marshals them for analyzers."""
    if isinstance(value, dict):
        if value.get(SPECIAL_SIG_KEY) == RESOURCE_REFERENCE_SIG:
            reference_id = value.get("id")
            return reference_id if reference_id not in (None, "") else value.get("urn", "")
        return {k: without_references(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_references(v) for v in value]
    return value


def has_references(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get(SPECIAL_SIG_KEY) == RESOURCE_REFERENCE_SIG or any(
            has_references(v) for v in value.values()
        )
    if isinstance(value, list):
        return any(has_references(v) for v in value)
    return False


def duration_seconds(text: str) -> float:
    """A Go duration (`5m`, `1h30m`, `90s`), as the engine parses custom timeouts; 0 if unset."""
    return sum(float(n) * _SECONDS[unit] for n, unit in _DURATION_PART.findall(text or ""))


def make_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """The URN the engine gives: children of the stack carry no parent type prefix."""
    if parent and not parent.split("::")[2].endswith(STACK_TYPE):
        type_ = parent.split("::")[2] + "$" + type_
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def alias_urns(request, stack: str, project: str) -> list[str]:
    """The URNs a resource's aliases stand for, as the engine resolves alias specs."""
    urns = list(request.aliasURNs)
    for alias in request.aliases:
        if alias.urn:
            urns.append(alias.urn)
            continue
        spec = alias.spec
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        urns.append(
            make_urn(
                spec.stack or stack,
                spec.project or project,
                parent,
                spec.type or request.type,
                spec.name or request.name,
            )
        )
    return urns


def record_of(request, urn: str, inputs: dict[str, Any], stack: str, project: str):
    """The record of a RegisterResourceRequest, its options as analyzers receive them."""
    timeouts = request.customTimeouts
    return ResourceRecord(
        urn=urn,
        type=request.type,
        name=request.name,
        parent=request.parent or None,
        custom=bool(request.custom),
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
        ignore_changes=list(request.ignoreChanges),
        delete_before_replace=(
            bool(request.deleteBeforeReplace) if request.deleteBeforeReplaceDefined else None
        ),
        custom_timeouts=(
            duration_seconds(timeouts.create),
            duration_seconds(timeouts.update),
            duration_seconds(timeouts.delete),
        ),
        additional_secret_outputs=list(request.additionalSecretOutputs),
        aliases=alias_urns(request, stack, project),
        remote=bool(request.remote),
    )


def read_record_of(request, urn: str) -> ResourceRecord:
    """The record of a ReadResourceRequest (`Resource.get`, StackReference): an external
    resource the engine reads but never manages."""
    return ResourceRecord(
        urn=urn,
        type=request.type,
        name=request.name,
        parent=request.parent or None,
        custom=True,
        dependencies=sorted(request.dependencies),
        property_dependencies={},
        inputs=without_references(json_format.MessageToDict(request.properties)),
        provider=request.provider or None,
        source_uri=request.sourcePosition.uri or None,
        source_line=request.sourcePosition.line,
        external=True,
    )
