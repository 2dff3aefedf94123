"""Offline schema checks of manifests: Kubernetes' own schemas for core kinds, CRD schemas for the rest.

Core kinds (Namespace, ServiceAccount, NetworkPolicy, PodDisruptionBudget) are checked by
`kubernetes-validate`, which ships the official OpenAPI schemas of each Kubernetes release as
JSON Schema; its strict variant rejects unknown fields as `kubectl --validate=strict` does.

Custom resources are checked against the CRD schemas kept beside this module, each a faithful
subset of an upstream CRD that names its source (`_source`). They are read the way the API
server reads a structural schema with strict field validation: an object that lists its
properties admits no others unless it preserves unknown fields, and `x-kubernetes-list-type`
map and set lists admit no duplicate keys. Values that are still Outputs are left unchecked.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema
import kubernetes_validate
from kubernetes_validate.utils import SchemaNotFoundError

from mlrails_components.support.validation import is_output

KUBERNETES_VERSION = "1.30"
CRD_FILES = {
    (
        "serving.kserve.io/v1beta1",
        "InferenceService",
    ): "serving.kserve.io_v1beta1_inferenceservice.json",
    (
        "networking.istio.io/v1beta1",
        "VirtualService",
    ): "networking.istio.io_v1beta1_virtualservice.json",
    ("monitoring.coreos.com/v1", "PrometheusRule"): "monitoring.coreos.com_v1_prometheusrule.json",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "monitoring.coreos.com_v1_servicemonitor.json",
}
_OBJECT_FIELDS = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}}


class _Deferred:
    """Stands for an Output: its value is checked by the provider once known."""

    def __repr__(self) -> str:
        return "<output>"


DEFERRED = _Deferred()


def manifest_problems(manifest: dict[str, Any]) -> list[str]:
    """What is wrong with the manifest against its schema, one message per problem."""
    document = _with_deferred(manifest)
    key = (document.get("apiVersion"), document.get("kind"))
    if key in CRD_FILES:
        errors = crd_validator(*key).iter_errors(document)
        return sorted(_describe(e) for e in errors if e.instance is not DEFERRED)
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except SchemaNotFoundError as missing:
        return [missing.message]
    except jsonschema.ValidationError as error:
        return [] if error.instance is DEFERRED else [_describe(error)]
    return []


def crd_document(api_version: str, kind: str) -> dict[str, Any]:
    """The stored CRD schema document, with its `_source`."""
    text = resources.files(__name__).joinpath(CRD_FILES[(api_version, kind)]).read_text()
    return json.loads(text)


@functools.cache
def crd_validator(api_version: str, kind: str) -> jsonschema.protocols.Validator:
    schema = copy.deepcopy(crd_document(api_version, kind)["openAPIV3Schema"])
    schema["properties"] = {
        **_OBJECT_FIELDS,
        "metadata": {"type": "object"},
        **schema["properties"],
    }
    _close(schema)
    return _KubernetesValidator(schema)


def _close(schema: Any) -> None:
    """Strict field validation: listed properties are the only ones, as the API server enforces."""
    if isinstance(schema, list):
        for item in schema:
            _close(item)
        return
    if not isinstance(schema, dict):
        return
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        schema["additionalProperties"] = False
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and pattern.startswith("^(?i)"):
        # RE2 (the API server's) takes inline flags anywhere; Python's re only first.
        schema["pattern"] = "(?i)^" + pattern[len("^(?i)") :]
    for key, value in schema.items():
        if key != "enum":
            _close(value)


def _list_type(validator, list_type, instance, schema) -> Iterator[jsonschema.ValidationError]:
    if not isinstance(instance, list):
        return
    if list_type == "set":
        seen = [json.dumps(i, sort_keys=True, default=repr) for i in instance]
        if len(set(seen)) != len(seen):
            yield jsonschema.ValidationError("a set list has duplicate items")
    elif list_type == "map":
        keys = schema.get("x-kubernetes-list-map-keys", [])
        seen_keys = [
            tuple(item.get(k) for k in keys) for item in instance if isinstance(item, dict)
        ]
        duplicates = sorted({k for k in seen_keys if seen_keys.count(k) > 1}, key=repr)
        if duplicates:
            yield jsonschema.ValidationError(
                f"a map list has duplicate {'/'.join(keys)}: {', '.join(map(repr, duplicates))}"
            )


_KubernetesValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"x-kubernetes-list-type": _list_type}
)


def _with_deferred(value: Any) -> Any:
    if is_output(value):
        return DEFERRED
    if isinstance(value, dict):
        return {k: _with_deferred(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_deferred(v) for v in value]
    return value


def _describe(error: jsonschema.ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{path.lstrip('.') or '(object)'}: {error.message}"
