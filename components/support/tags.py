"""Tags: the caller's tags merged with the tags a component adds, Outputs or not."""

from typing import Any

import pulumi


def with_tags(tags: Any, extra: dict[str, Any]) -> Any:
    """`tags` (a dict or an Output of one) with `extra` added; extra keys win."""
    if not extra:
        return tags
    if isinstance(tags, dict | None) and not any(
        isinstance(v, pulumi.Output) for v in extra.values()
    ):
        return {**(tags or {}), **extra}
    return pulumi.Output.all(pulumi.Output.from_input(tags or {}), extra).apply(
        lambda values: {**(values[0] or {}), **values[1]}
    )


def native_tags(tags: Any) -> Any:
    """`tags` as pulumi-aws-native takes them: a list of {key, value}."""
    if tags is None:
        return None
    return pulumi.Output.from_input(tags).apply(
        lambda t: [{"key": k, "value": v} for k, v in (t or {}).items()]
    )
