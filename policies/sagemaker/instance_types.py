"""sagemaker-instance-types: variants use instance types from the allow-list."""

import fnmatch

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import require_known
from mlrails_policies.sagemaker.variants import ENDPOINT_CONFIGURATION, instance_variants, label


def check(args, options):
    allowed = options.get("allowed_instance_types") or []
    if not allowed:
        return
    for variant in instance_variants(args.props):
        instance_type = require_known(
            variant.get("instanceType"), f"the instance type of {label(variant)}"
        )
        if not any(fnmatch.fnmatchcase(str(instance_type), p) for p in allowed):
            yield f"{label(variant)} uses {instance_type}, which is not in allowed_instance_types"


RULE = Rule(
    id="sagemaker-instance-types",
    description="Every variant's instance type is in the allow-list (empty: any type).",
    severity=Severity.LOW,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Choose an approved instance type or extend allowed_instance_types.",
    controls=Controls(nist_ai_rmf=("GOVERN 1.4",), soc2=("CC9.1",)),
    judges=(ENDPOINT_CONFIGURATION,),
    check=check,
    options={
        "allowed_instance_types": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Instance type globs, e.g. ml.m5.* ; empty allows any.",
        }
    },
)
