"""Deterministic, plausible values for outputs the provider would compute.

A value is chosen by its declared type (str, int, float, bool, list, map, nested output type)
and, for strings, by the form its name announces: `...Arn` an ARN, `...Url`/`...Endpoint` a URL,
`dnsName`/`hostname` a host name, `...Id` an id, `...Ip` an address from the documentation
ranges, certificates PEM text. Every value derives from the resource's URN and the property's
path, so the same program always gets the same values.
"""

from __future__ import annotations

import base64
import collections.abc
import enum
import functools
import hashlib
import json
import re
import typing
import uuid
from typing import Any

from pulumi import _types

from mlrails.engine.declarations import (
    OutputProperty,
    function_result_class,
    output_type_fields,
    resource_class,
    resource_outputs,
    split_token,
)

ACCOUNT_ID = "123456789012"
PARTITION = "aws"
# A fixed instant: timestamps must not change between runs.
TIMESTAMP = "2024-01-01T00:00:00Z"
# Nested output types are filled to this depth (Kubernetes statuses nest about four deep).
MAX_DEPTH = 6


class Subject(typing.NamedTuple):
    """What a synthesized value is about: the resource (or function) and its place."""

    token: str
    name: str
    seed: str
    region: str


def digest(seed: str, length: int = 16) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _snake(text: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", text).lower()


def _kebab(text: str) -> str:
    return _snake(text).replace("_", "-")


def _service(token: str) -> str:
    pkg, module, _ = split_token(token)
    top = module.split("/")[0]
    return (top if top != "index" else pkg).lower()


def _pem(seed: str, label: str = "CERTIFICATE") -> str:
    body = base64.b64encode(hashlib.sha512(seed.encode()).digest() * 3).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----", ""])


def _ends(wire_name: str, *words: str) -> bool:
    """The camelCase name is `word` or ends in it (`executionArn` ends in `arn`, `valid` not
    in `id`)."""
    return any(
        wire_name.lower() == word.lower() or wire_name.endswith(word[:1].upper() + word[1:])
        for word in words
    )


# (form, the words a camelCase name is or ends in), tried in order: the first match decides.
_FORMS = (
    ("arn", ("arn",)),
    ("account", ("accountId", "ownerId")),
    ("region", ("region",)),
    ("zone", ("zoneId",)),
    ("uuid", ("keyId", "uuid", "uid")),
    ("id", ("id",)),
    ("url", ("url", "uri", "endpoint")),
    # RFC 5737 documentation range: never a real host.
    ("ip", ("ip", "ipAddress", "publicIp", "privateIp")),
    ("host", ("dnsName", "hostname", "domainName", "host", "fqdn", "domain", "address")),
    ("cidr", ("cidrBlock", "cidr")),
    ("time", ("at", "time", "date", "timestamp", "created", "lastModified")),
    ("hash", ("hash", "etag", "sha256", "checksum", "digest", "fingerprint")),
    ("version", ("version",)),
    ("status", ("status", "state")),
    ("name", ("name",)),
)


@functools.cache
def _form(wire_name: str) -> str:
    """The form a property's name announces (cached: a fleet repeats the same names)."""
    lowered = wire_name.lower()
    if wire_name == "owner":
        return "account"
    for form, words in _FORMS:
        if form == "time" and ("certificate" in lowered or "pem" in lowered):
            break
        if _ends(wire_name, *words):
            return form
    if lowered == "data":
        return "pem-base64"
    if "certificate" in lowered or "pem" in lowered or lowered == "publickey":
        return "pem-key" if "key" in lowered else "pem"
    return "text"


def string_value(subject: Subject, wire_name: str, path: str) -> str:
    """A string of the form the property's name announces."""
    form = _form(wire_name)
    if form == "account":
        return ACCOUNT_ID
    if form == "region":
        return subject.region
    if form == "cidr":
        return "10.0.0.0/16"
    if form == "time":
        return TIMESTAMP
    if form == "version":
        return "1"
    if form == "status":
        return "ACTIVE"
    seed = f"{subject.seed}|{path}"
    slug = f"{subject.name}-{digest(seed, 7)}".lower()
    service = _service(subject.token)
    host = f"{slug}.{service}.{subject.region}.amazonaws.com"
    if form == "arn":
        what = _kebab(wire_name[:-3]) or _kebab(split_token(subject.token)[2])
        return f"arn:{PARTITION}:{service}:{subject.region}:{ACCOUNT_ID}:{what}/{slug}"
    if form == "zone":
        return "Z" + digest(seed, 20).upper()
    if form == "uuid":
        return str(uuid.UUID(digest(seed, 32)))
    if form == "id":
        kind = split_token(subject.token)[2]
        prefix = (_kebab(wire_name[:-2]) or _kebab(kind)).split("-")[-1]
        return f"{prefix.removesuffix('s')[:8]}-{digest(seed, 17)}"
    if form == "url":
        return f"https://{host}/"
    if form == "ip":
        return f"192.0.2.{int(digest(seed, 2), 16) % 254 + 1}"
    if form == "host":
        return host
    if form == "hash":
        return digest(seed, 32)
    if form == "name":
        return slug
    if form.startswith("pem"):
        pem = _pem(seed, "PUBLIC KEY" if form == "pem-key" else "CERTIFICATE")
        # Kubernetes and EKS carry certificate data base64-encoded.
        return base64.b64encode(pem.encode()).decode() if form == "pem-base64" else pem
    return f"{_kebab(wire_name)}-{digest(seed, 8)}"


def value_for(subject: Subject, prop: OutputProperty, path: str, depth: int = 0) -> Any:
    """A wire-format value (numbers as floats) of the property's declared type."""
    return _of_type(subject, prop.wire_name, prop.type, path, depth)


def _of_type(subject: Subject, wire_name: str, declared: Any, path: str, depth: int) -> Any:
    origin = typing.get_origin(declared)
    if isinstance(declared, type) and issubclass(declared, enum.Enum):
        # The SDK checks enum outputs against their members: the first is as plausible as any.
        return next(iter(declared)).value
    if declared is str:
        return string_value(subject, wire_name, path)
    if declared is bool:
        return False
    if declared in (int, float):
        if wire_name.lower().endswith("port"):
            return 443.0
        return 1.0
    if origin in (list, collections.abc.Sequence, typing.Sequence, tuple):
        args = typing.get_args(declared)
        if not args or depth >= MAX_DEPTH:
            return []
        # One element, named in the singular (`ids` -> an id, `nameServers` -> a server).
        element = wire_name[:-1] if wire_name.endswith("s") else wire_name
        return [_of_type(subject, element, args[0], f"{path}[0]", depth + 1)]
    if origin in (dict, collections.abc.Mapping, typing.Mapping):
        return {}
    if isinstance(declared, type) and _types.is_output_type(declared):
        if depth >= MAX_DEPTH:
            return {}
        return output_object(subject, declared, path, depth + 1)
    if origin is typing.Union or type(declared).__name__ == "UnionType":
        members = [a for a in typing.get_args(declared) if a is not type(None)]
        return _of_type(subject, wire_name, members[0], path, depth) if members else None
    # Any and anything else: an empty object is the least presumptuous value.
    return {}


def output_object(subject: Subject, cls: type, path: str, depth: int = 0) -> dict[str, Any]:
    """Every property of an output type, filled."""
    return {
        field.wire_name: value_for(subject, field, f"{path}.{field.wire_name}", depth)
        for field in output_type_fields(cls)
    }


def resource_outputs_for(
    token: str, name: str, urn: str, region: str, known: dict[str, Any]
) -> dict[str, Any]:
    """The outputs the provider would compute for a resource, beyond `known` (its inputs and
    what the engine already filled): every output the class declares that is not an input
    (computed by the provider), and every non-optional one the program left out (a computed
    default). An optional input left out stays out: the provider returns nothing for it."""
    cls = resource_class(token)
    if cls is None:
        return {}
    subject = Subject(token, name, urn, region)
    return {
        prop.wire_name: value_for(subject, prop, prop.wire_name)
        for prop in resource_outputs(cls)
        if prop.wire_name not in known and not (prop.is_input and prop.optional)
    }


def function_result(token: str, args: dict[str, Any], region: str) -> dict[str, Any] | None:
    """An invented answer of a provider function, of its declared result type; arguments the
    result echoes keep their value. None if no imported SDK declares the function."""
    cls = function_result_class(token)
    if cls is None:
        return None
    _, _, kind = split_token(token)
    name = args.get("name")
    label = name if isinstance(name, str) else _kebab(kind[3:] or kind)
    subject = Subject(token, label, f"{token}|{json.dumps(args, sort_keys=True)}", region)
    return {
        field.wire_name: (
            args[field.wire_name]
            if args.get(field.wire_name) is not None
            else value_for(subject, field, field.wire_name)
        )
        for field in output_type_fields(cls)
    }
