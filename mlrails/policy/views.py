"""The plan's resources as the analyzer presents them to policies.

Each resource is deserialized once and put behind the SDK's unknown-checking proxy, with its
options and explicit provider; stack policies also see each one linked to its parent,
dependencies and property dependencies.
"""

from __future__ import annotations

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from mlrails.plan import Plan, ResourceRecord

_NO_TIMEOUTS = PolicyCustomTimeouts(0, 0, 0)


class ResourceView:
    """A record as the analyzer presents it: deserialized, behind the unknown-checking proxy."""

    __slots__ = ("options", "props", "provider", "record")

    def __init__(self, record: ResourceRecord) -> None:
        self.record = record
        self.provider: PolicyProviderResource | None = None
        self.props = unknown_checking_proxy(deserialize_properties(record.inputs))
        timeouts = record.custom_timeouts
        self.options = PolicyResourceOptions(
            record.protect,
            list(record.ignore_changes),
            record.delete_before_replace,
            # The engine keeps only aliases that name a resource of the stack's previous state
            # (pulumi-policy tests/integration/resource_options: an alias to nothing arrives
            # as []); an offline preview has no previous state.
            [],
            PolicyCustomTimeouts(*timeouts) if any(timeouts) else _NO_TIMEOUTS,
            list(record.additional_secret_outputs),
            record.parent,
        )


def judged_views(plan: Plan) -> list[ResourceView]:
    # What the program reads (`Resource.get`, StackReference) it does not manage, and offline
    # its real state is unknown: only what the program declares is judged.
    views = [ResourceView(record) for record in plan.resources if not record.external]
    _attach_providers(views)
    return views


def linked_resources(views: list[ResourceView]) -> list[PolicyResource]:
    """The resources as a stack policy receives them, linked to each other."""
    resources = [
        PolicyResource(
            v.record.type, v.props, v.record.urn, v.record.name, v.options, v.provider, None, [], {}
        )
        for v in views
    ]
    by_urn = {r.urn: r for r in resources}
    for view, resource in zip(views, resources, strict=True):
        record = view.record
        resource.parent = by_urn.get(record.parent) if record.parent else None
        resource.dependencies = [by_urn[u] for u in record.dependencies if u in by_urn]
        resource.property_dependencies = {
            key: [by_urn[u] for u in urns if u in by_urn]
            for key, urns in record.property_dependencies.items()
        }
    return resources


def policy_resources(plan: Plan) -> list[PolicyResource]:
    """The plan's resources as a stack policy receives them."""
    return linked_resources(judged_views(plan))


def _attach_providers(views: list[ResourceView]) -> None:
    """Give each resource its explicit provider, as the engine does (`urn::id` references)."""
    providers = {v.record.urn: v for v in views if v.record.is_provider}
    if not providers:
        return
    for view in views:
        reference = view.record.provider
        provider = providers.get(reference.rsplit("::", 1)[0]) if reference else None
        if provider is not None:
            view.provider = PolicyProviderResource(
                provider.record.type, provider.props, provider.record.urn, provider.record.name
            )
