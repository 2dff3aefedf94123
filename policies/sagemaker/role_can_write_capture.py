"""sagemaker-role-can-write-capture: each endpoint's models' roles can write its captured data.

Data capture writes the requests and responses to `DestinationS3Uri`, encrypted with
`KmsKeyId`, with the models' execution role: "the IAM role ... needs s3:PutObject on the
destination, and kms:GenerateDataKey/kms:Encrypt on the key" (DG model-monitor-data-capture-
endpoint.md; botocore `DataCaptureConfig.KmsKeyId`). A capture that cannot be written is lost
silently: the endpoint keeps serving.
"""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.access import needs as access
from mlrails_policies.access.objects import object_writes
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.resource_types import READS
from mlrails_policies.access.sagemaker import (
    ENDPOINT_CONFIGURATION,
    MODEL,
    execution_role,
    models_of,
)
from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated
from mlrails_policies.framework.wire import UNKNOWN, get, is_true


def needs(plan: AccessPlan):
    """Every access the work of this rule's resources needs, and what can't be decided."""
    for configuration in plan.index.of_type(ENDPOINT_CONFIGURATION):
        capture = get(configuration.props, "dataCaptureConfig")
        if capture is UNKNOWN:
            yield NotEvaluated(configuration.urn, "its data capture can't be known during preview")
            continue
        if not isinstance(capture, dict) or is_true(capture.get("enableCapture")) is False:
            continue
        destination = capture.get("destinationS3Uri")
        key = capture.get("kmsKeyId")
        for model in models_of(plan, configuration):
            if model is None or model is UNKNOWN:
                yield NotEvaluated(
                    configuration.urn,
                    "a variant's model is not declared in this program"
                    if model is None
                    else "a variant's model can't be known during preview",
                )
                continue
            role = execution_role(plan, model)
            if role is None:
                yield NotEvaluated(
                    configuration.urn,
                    f"model {model.name}'s execution role is not declared in this program",
                )
                continue
            writing = access.role_requester(plan, configuration, role).doing(
                f"write captured data to {destination}"
            )
            yield from object_writes(
                plan,
                writing,
                destination,
                key,
                holder=configuration,
                key_prop="dataCaptureConfig",
            )


check = access.rule_check(needs)


RULE = Rule(
    id="sagemaker-role-can-write-capture",
    description="Each endpoint's role may write its capture destination and use its key.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Grant the models' execution role s3:PutObject under the capture prefix and "
    "kms:GenerateDataKey on the capture key (condition kms:ViaService s3.<region>.amazonaws.com); "
    "ModelEndpoint does this for the capture bucket it creates or is given.",
    controls=Controls(
        eu_ai_act=("Art. 12",),
        nist_ai_rmf=("MEASURE 2.4",),
        iso_42001=("A.6.2.8",),
        soc2=("CC7.2",),
    ),
    judges=(ENDPOINT_CONFIGURATION,),
    reads=(*READS, MODEL),
    check=check,
    stack=True,
)
