"""sagemaker-model-network-isolation: model containers make no outbound network calls.

Models served only by serverless variants are not judged: the SageMaker guide lists network
isolation among the features Serverless Inference does not support (DG serverless-endpoints.md,
https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html).
"""

from pulumi_policy import EnforcementLevel, Severity
from pulumi_policy.proxy import UnknownValueError

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN, get, is_set, is_true
from mlrails_policies.sagemaker.common import MODEL
from mlrails_policies.sagemaker.variants import (
    ENDPOINT_CONFIGURATION,
    is_instance_variant,
    variants,
)


def serverless_only(index, model) -> bool:
    """Every endpoint configuration that serves the model serves it serverless (and one does)."""
    configs = index.linked(model, [ENDPOINT_CONFIGURATION], "productionVariants", _model_names)
    try:
        served = [v for c in configs for v in variants(c.props)]
    except UnknownValueError:
        return False
    return bool(served) and not any(is_instance_variant(v) for v in served)


def _model_names(config) -> list:
    try:
        return [v.get("modelName") for v in variants(config.props)]
    except UnknownValueError:
        return []


def check(index, options):
    for model in index.of_type(MODEL):
        if serverless_only(index, model):
            continue
        isolated = is_true(get(model.props, "enableNetworkIsolation"))
        if isolated is UNKNOWN:
            yield NotEvaluated(model.urn, "enableNetworkIsolation can't be known during preview")
        elif not isolated:
            yield Violation(
                model.urn,
                "network isolation is off: the model container can reach the network and "
                "exfiltrate inference data",
            )
        in_vpc = is_set(get(model.props, "vpcConfig", "subnets")) and is_set(
            get(model.props, "vpcConfig", "securityGroupIds")
        )
        if options.get("require_vpc") and not in_vpc:
            yield Violation(
                model.urn,
                "the model runs outside a VPC, but require_vpc asks for subnets and security "
                "groups",
            )


RULE = Rule(
    id="sagemaker-model-network-isolation",
    description="Models run with network isolation on (except models served only serverless, "
    "where SageMaker does not support it); with require_vpc, also inside a VPC.",
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
    reads=(ENDPOINT_CONFIGURATION,),
    check=check,
    stack=True,
    options={
        "require_vpc": {
            "type": "boolean",
            "default": False,
            "description": "Also require models to run in a VPC (subnets and security groups).",
        }
    },
)
