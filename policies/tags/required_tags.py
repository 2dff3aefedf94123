"""required-tags: taggable AWS resources carry the organisation's required tag keys.

Taggable means what the provider SDK declares: a resource type whose constructor takes `tags`
(pulumi-aws, pulumi-aws-native), read from the SDK's own class when it is installed, so every
new taggable type is judged without a list here. Tags the provider adds to every resource
(`default_tags` on an explicit provider, `aws:defaultTags` in stack configuration for the
default provider) count: the engine gives the provider with each resource.
"""

import fnmatch
import functools
import importlib
import inspect
import json

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import UNKNOWN, get, is_set, require_known, tags_of

DEFAULT_KEYS = ["owner", "cost-center", "data-classification"]

# The Python package of each Pulumi package whose tagging this rule understands.
_SDK_PACKAGES = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native"}


@functools.cache
def declares_tags(resource_type: str) -> bool | None:
    """Whether the SDK class of `resource_type` takes `tags`; None if no SDK is installed.

    Each generated SDK registers its resource modules with the Pulumi runtime on import
    (`_utilities.register`), mapping type tokens to classes; `_internal_init` lists the
    resource's inputs."""
    from pulumi.runtime import rpc

    package, _, rest = resource_type.partition(":")
    module = rest.rpartition(":")[0]
    if package not in _SDK_PACKAGES:
        return None
    try:
        importlib.import_module(_SDK_PACKAGES[package])
    except ImportError:
        return None
    for registered in rpc._RESOURCE_MODULES.get(f"{package}:{module}", []):
        info = getattr(registered, "mod_info", None) or {}
        class_name = info.get("classes", {}).get(resource_type)
        if class_name is None:
            continue
        cls = getattr(importlib.import_module(info["fqn"]), class_name, None)
        init = getattr(cls, "_internal_init", None)
        return init is not None and "tags" in inspect.signature(init).parameters
    return False


def taggable(resource_type: str, input_keys) -> bool:
    declared = declares_tags(resource_type)
    return "tags" in input_keys if declared is None else declared


def _provider_default_tags(args):
    """The provider's default tags. A provider's object inputs arrive JSON-encoded: pulumi-aws
    serializes `default_tags` with `to_json`, and the engine passes stack configuration such as
    `aws:defaultTags` to the default provider as strings."""
    provider = args.provider
    if provider is None:
        return {}
    defaults = get(provider.props, "defaultTags")
    if defaults is UNKNOWN:
        return UNKNOWN
    if isinstance(defaults, str):
        try:
            defaults = json.loads(defaults)
        except ValueError:
            return {}
    tags = defaults.get("tags") if isinstance(defaults, dict) else None
    return tags if isinstance(tags, dict) else {}


def check(args, options):
    exempt = options.get("untagged_types_allowed") or []
    if any(fnmatch.fnmatchcase(args.resource_type, pattern) for pattern in exempt):
        return
    tags = require_known(tags_of(args.props), "the resource's tags")
    defaults = require_known(_provider_default_tags(args), "the provider's default tags")
    present = {**defaults, **tags}
    missing = [
        k for k in options.get("required_tags") or DEFAULT_KEYS if not is_set(present.get(k))
    ]
    if missing:
        yield f"missing required tag(s): {', '.join(missing)}"


RULE = Rule(
    id="required-tags",
    description="Taggable AWS resources carry the configured tag keys (default: owner, "
    "cost-center, data-classification), counting the provider's default tags.",
    severity=Severity.LOW,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Pass the tags to the component (they are merged into every child) or set "
    "default_tags on the AWS provider (or aws:defaultTags in the stack configuration).",
    controls=Controls(nist_ai_rmf=("GOVERN 1.4", "MAP 4.1"), iso_42001=("A.4.2",), soc2=("CC6.1",)),
    judges=("aws:*", "aws-native:*"),
    subject=taggable,
    check=check,
    options={
        "required_tags": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_KEYS,
            "description": "Tag keys every taggable resource must carry.",
        },
        "untagged_types_allowed": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Resource type patterns (fnmatch, e.g. `aws:ec2/*`) allowed to "
            "lack the required tags: their cost and ownership go unattributed.",
        },
    },
)
