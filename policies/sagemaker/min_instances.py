"""sagemaker-min-instances: instance variants survive the loss of one instance."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.wire import number, require_known
from mlrails_policies.sagemaker.variants import ENDPOINT_CONFIGURATION, instance_variants, label


def check(args, options):
    minimum = number(options.get("min_instances", 2))
    for variant in instance_variants(args.props):
        count = require_known(
            number(variant.get("initialInstanceCount")), f"the instance count of {label(variant)}"
        )
        if count is None or count < minimum:
            yield (
                f"{label(variant)} starts with {count or 0:g} instance(s); at least "
                f"{minimum:g} keep it available across Availability Zones"
            )


RULE = Rule(
    id="sagemaker-min-instances",
    description="Each instance variant starts with at least min_instances instances (default 2).",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Raise initial_instance_count to at least min_instances (2 spreads the variant "
    "over two Availability Zones).",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MANAGE 2.4",),
        soc2=("CC9.1",),
        fsbp=("SageMaker.4",),
    ),
    judges=(ENDPOINT_CONFIGURATION,),
    check=check,
    options={
        "min_instances": {
            "type": "integer",
            "minimum": 1,
            "default": 2,
            "description": "Smallest initial instance count of an instance variant.",
        }
    },
)
