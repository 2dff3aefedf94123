"""A pack for the engine's tests: it reports, as advisory findings, what the engine shows it.

It reads its configuration, the project and the stack at import time, as packs do; the
behaviours checked follow pulumi-policy's own integration tests (runtime_data,
resource_options, provider)."""

import json

from pulumi import Config, get_project, get_stack
from pulumi.runtime import is_dry_run
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

# Read at load time.
LOADED = {
    "project": get_project(),
    "stack": get_stack(),
    "greeting": Config().get("greeting"),
    "region": Config("aws").get("region"),
}


def _seen(args, report_violation):
    opts = args.opts
    provider = args.provider
    report_violation(
        json.dumps(
            {
                "loaded": LOADED,
                "dry_run": is_dry_run(),
                "project": get_project(),
                "stack": get_stack(),
                "protect": opts.protect,
                "ignore_changes": list(opts.ignore_changes),
                "delete_before_replace": opts.delete_before_replace,
                "aliases": list(opts.aliases),
                "timeouts": [
                    opts.custom_timeouts.create_seconds,
                    opts.custom_timeouts.update_seconds,
                    opts.custom_timeouts.delete_seconds,
                ],
                "secret_outputs": list(opts.additional_secret_outputs),
                "provider": None
                if provider is None
                else {
                    "type": provider.resource_type,
                    "name": provider.name,
                    "urn": provider.urn,
                    "version": provider.props.get("version"),
                    "region": provider.props.get("region"),
                },
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    PolicyPack(
        name="probe",
        enforcement_level=EnforcementLevel.ADVISORY,
        policies=[
            ResourceValidationPolicy(
                name="probe-seen", description="What the engine shows.", validate=_seen
            )
        ],
    )
