"""Following links between resources in a stack rule, in linear time.

A link is found two ways, so rules hold both when values are resolved and when they are
unknown in a preview: by value (an alarm's `EndpointName` dimension equals the endpoint's
name) and by dependency (the alarm's `dimensions` property depends on the endpoint's URN).
The index is built once per plan and shared by every stack rule that judges it.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pulumi_policy import PolicyResource

from mlrails_policies.framework.wire import get

# Inputs that carry a resource's own name, in the order the providers use them.
_NAME_FIELDS = (
    "name",
    "bucket",
    "modelCardName",
    "modelPackageGroupName",
    "jobDefinitionName",
    "monitoringScheduleName",
    "endpointName",
    "endpointConfigName",
    "modelName",
)


class StackIndex:
    _cached: tuple[list[PolicyResource], StackIndex] | None = None

    @classmethod
    def of(cls, resources: list[PolicyResource]) -> StackIndex:
        """The index of this resource list, built once however many rules ask."""
        cached = cls._cached
        if cached is not None and cached[0] is resources:
            return cached[1]
        index = cls(resources)
        cls._cached = (resources, index)
        return index

    def __init__(self, resources: list[PolicyResource]) -> None:
        self.resources = resources
        self._by_type: dict[str, list[PolicyResource]] = defaultdict(list)
        self._referrers: dict[str, list[tuple[PolicyResource, str]]] = defaultdict(list)
        self._value_indexes: dict[tuple, dict[str, list[PolicyResource]]] = {}
        self._of_type: dict[tuple[str, ...], list[PolicyResource]] = {}
        self._types: dict[tuple[str, ...], frozenset[str]] = {}
        for resource in resources:
            self._by_type[resource.resource_type].append(resource)
            for prop, deps in resource.property_dependencies.items():
                for dependency in deps:
                    self._referrers[dependency.urn].append((resource, prop))

    def of_type(self, *patterns: str) -> list[PolicyResource]:
        """Resources whose type matches one of the globs, in registration order."""
        found = self._of_type.get(patterns)
        if found is None:
            types = self._types_matching(patterns)
            if len(types) <= 1:
                found = [r for t in types for r in self._by_type[t]]
            else:
                found = [r for r in self.resources if r.resource_type in types]
            self._of_type[patterns] = found
        return found

    def referrers(self, target: PolicyResource, *patterns: str) -> list[tuple[PolicyResource, str]]:
        """(resource, property) pairs whose property depends on `target`."""
        types = self._types_matching(patterns)
        return [
            (r, prop) for r, prop in self._referrers.get(target.urn, []) if r.resource_type in types
        ]

    def _types_matching(self, patterns: tuple[str, ...]) -> frozenset[str]:
        """The plan's resource types that match one of the globs (once per set of globs)."""
        found = self._types.get(patterns)
        if found is None:
            found = self._types[patterns] = frozenset(
                t for t in self._by_type if any(fnmatch.fnmatchcase(t, p) for p in patterns)
            )
        return found

    def linked(
        self,
        target: PolicyResource,
        patterns: Iterable[str],
        prop: str | tuple[str, ...],
        value_of: Any = None,
    ) -> list[PolicyResource]:
        """Resources of `patterns` whose `prop` refers to `target`, by dependency or by value.

        `prop` may be several properties, any of which may hold the link. `value_of(resource)`
        gives the values a referrer holds for them (default: the value at each); a referrer
        links by value when one of them is one of the target's names.
        """
        patterns = tuple(patterns)
        props = (prop,) if isinstance(prop, str) else prop
        found = {r.urn: r for r, p in self.referrers(target, *patterns) if p in props}
        by_value = self._values(patterns, props, value_of)
        for name in names_of(target):
            for candidate in by_value.get(name, ()):
                found.setdefault(candidate.urn, candidate)
        return list(found.values())

    def _values(
        self, patterns: tuple[str, ...], props: tuple[str, ...], value_of: Any
    ) -> dict[str, list]:
        """value -> resources holding it at `props`, built once per (types, properties)."""
        key = (patterns, props, value_of)
        index = self._value_indexes.get(key)
        if index is None:
            index = defaultdict(list)
            for candidate in self.of_type(*patterns):
                values = (
                    value_of(candidate) if value_of else [get(candidate.props, p) for p in props]
                )
                for value in values:
                    if isinstance(value, str):
                        index[value].append(candidate)
            self._value_indexes[key] = index
        return index


def names_of(resource: PolicyResource) -> set[str]:
    """The names and ids other resources may use to refer to this one."""
    names = set()
    for field in _NAME_FIELDS:
        value = get(resource.props, field)
        if isinstance(value, str) and value:
            names.add(value)
    metadata_name = get(resource.props, "metadata", "name")
    if isinstance(metadata_name, str):
        names.add(metadata_name)
    return names
