"""The type token of each component, and the alias that keeps stacks made under an older one.

A component provider serves `<package>:index:<Class>`: `ComponentProvider.validate_resource_type`
(pulumi/provider/experimental/component.py, pulumi 3.272) refuses any module but `index`, and the
class name is the last part. Components registered `mlrails:<module>:<Class>` before; a resource
whose type changes gets a new URN, which the engine would take for a new resource, replacing the
old one. An alias with the old type lets the engine match the old state instead, and the engine
derives every child's alias from its parent's (`generateAliases`,
pulumi/pkg/resource/deploy/step_generator.go), so the children keep their state too.
"""

import pulumi

PACKAGE = "mlrails"


def token(component: str) -> str:
    """The type token the package schema declares for `component` (a class name)."""
    return f"{PACKAGE}:index:{component}"


def renamed_from(old_token: str, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """`opts` plus an alias from the type the component was registered with before."""
    return pulumi.ResourceOptions.merge(
        opts, pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=old_token)])
    )
