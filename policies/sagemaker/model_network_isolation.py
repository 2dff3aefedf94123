"""sagemaker-model-network-isolation: model containers make no outbound network calls."""

from pulumi_policy import EnforcementLevel, Severity

from policies.framework.rule import Controls, Rule
from policies.framework.wire import get, is_set, is_true, known

MODEL = "aws:sagemaker/model:Model"


def check(args, options):
    if not known(is_true(get(args.props, "enableNetworkIsolation")), "enableNetworkIsolation"):
        yield (
            "network isolation is off: the model container can reach the network and exfiltrate "
            "inference data"
        )
    in_vpc = is_set(get(args.props, "vpcConfig", "subnets")) and is_set(
        get(args.props, "vpcConfig", "securityGroupIds")
    )
    if options.get("require_vpc") and not in_vpc:
        yield "the model runs outside a VPC, but require_vpc asks for subnets and security groups"


RULE = Rule(
    id="sagemaker-model-network-isolation",
    description="Models run with network isolation on; with require_vpc, also inside a VPC.",
    severity=Severity.MEDIUM,
    enforcement=EnforcementLevel.ADVISORY,
    remediation="Set enable_network_isolation=True on the model (ModelEndpoint's default) and, "
    "where required, a vpc_config with private subnets and security groups.",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MEASURE 2.7",),
        iso_42001=("A.6.2.5",),
        hipaa=("164.312(e)(1)",),
        soc2=("CC6.6",),
        fsbp=("SageMaker.5",),
    ),
    judges=(MODEL,),
    check=check,
    options={
        "require_vpc": {
            "type": "boolean",
            "default": False,
            "description": "Also require models to run in a VPC (subnets and security groups).",
        }
    },
)
