"""The Pulumi runtime a policy pack runs in: project, stack, configuration, dry run."""

from __future__ import annotations

from pulumi.runtime import config as runtime_config
from pulumi.runtime import settings

from mlrails.project import Project


def configure_policy_runtime(project: Project) -> None:
    """Pulumi's runtime as the engine sets it up for a policy pack process: the real project,
    stack and stack configuration, and a dry run (pulumi/pulumi
    pkg/resource/plugin/analyzer_plugin.go `constructEnv` passes PULUMI_CONFIG, the project,
    the stack and the dry-run flag; pulumi_policy `_configure_runtime_settings` applies them).
    Call it before loading a pack, so a pack reading `pulumi.Config()` or `get_stack()` at
    import time sees them; the program runs in a copy of this context and sets its own."""
    settings.reset_options(
        project=project.name, stack=project.stack, preview=True, organization="organization"
    )
    runtime_config.set_all_config(dict(project.config), list(project.secret_keys))
