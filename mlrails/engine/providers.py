"""Default providers, as the engine creates them for resources that name no provider.

The engine registers one provider per package and version, named `default` or
`default_<version with underscores>` (`urn:...::pulumi:providers:aws::default_7_51_1`), whose
inputs are the stack configuration of the package's namespace (`aws:region`,
`aws:defaultTags`), each a string as configured, secrets kept secret, plus the plugin
`version` (pulumi/pulumi pkg/resource/deploy/target.go `GetPackageConfig`: every value a
`NewStringProperty`, `MakeSecret` when secure). Resources refer to it as `<urn>::<id>`.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY

from mlrails.plan import ResourceRecord

PROVIDER_TYPE_PREFIX = "pulumi:providers:"


@dataclass
class ProviderReference:
    reference: str
    id: str
    # The provider's record, the first time a resource needs it.
    new: ResourceRecord | None = None


@dataclass
class DefaultProviders:
    stack: str
    project: str
    config: dict[str, str]
    secret_keys: tuple[str, ...]
    # (package, version) -> the reference of its provider, once registered.
    _made: dict[tuple[str, str], ProviderReference] = field(default_factory=dict)
    _urns: set[str] = field(default_factory=set)

    def reference(self, type_: str, version: str) -> ProviderReference:
        """The `urn::id` reference to the default provider of the type's package."""
        package = type_.split(":", 1)[0]
        made = self._made.get((package, version))
        if made is not None:
            return made
        name = "default_" + version.replace(".", "_").replace("-", "_") if version else "default"
        urn = f"urn:pulumi:{self.stack}::{self.project}::{PROVIDER_TYPE_PREFIX}{package}::{name}"
        provider_id = str(uuid.UUID(hashlib.sha256(urn.encode()).hexdigest()[:32]))
        reference = f"{urn}::{provider_id}"
        self._made[(package, version)] = ProviderReference(reference, provider_id)
        if urn in self._urns:  # another spelling of a version already registered ("1.2-3")
            return self._made[(package, version)]
        self._urns.add(urn)
        record = ResourceRecord(
            urn=urn,
            type=PROVIDER_TYPE_PREFIX + package,
            name=name,
            parent=None,
            custom=True,
            dependencies=[],
            property_dependencies={},
            inputs=self._inputs(package, version),
        )
        return ProviderReference(reference, provider_id, record)

    def _inputs(self, package: str, version: str) -> dict[str, Any]:
        inputs: dict[str, Any] = {}
        prefix = f"{package}:"
        for key in sorted(self.config):
            if not key.startswith(prefix):
                continue
            value: Any = self.config[key]
            if key in self.secret_keys:
                value = {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": value}
            inputs[key[len(prefix) :]] = value
        if version:
            inputs["version"] = version
        return inputs
