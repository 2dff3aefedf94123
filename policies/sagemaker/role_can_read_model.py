"""sagemaker-role-can-read-model: each model's execution role can download its data and image.

SageMaker hosting downloads the model data and pulls the image with the model's execution
role when it creates an endpoint (botocore `ContainerDefinition.ModelDataUrl`: "SageMaker uses
AWS Security Token Service to download model artifacts from the S3 path you provide";
DG sagemaker-roles.md, "CreateModel API: Execution Role Permissions"). A role without
`kms:Decrypt` on the artifacts bucket's key makes the endpoint fail to create.
"""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.access import needs as access
from mlrails_policies.access.objects import object_reads
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.resource_types import READS
from mlrails_policies.access.sagemaker import (
    MODEL,
    MODEL_PACKAGE,
    containers,
    data_sources,
    execution_role,
    package_containers,
)
from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated
from mlrails_policies.framework.wire import UNKNOWN


def _container_needs(plan, requester, container, purpose_of):
    for uri, prefix in data_sources(container):
        reading = requester.doing(purpose_of(f"download the model data {uri}"))
        yield from object_reads(plan, reading, uri, prefix=prefix)
    if "image" in container:
        pulling = requester.doing(purpose_of(f"pull the image {container['image']}"))
        yield from access.image_pulls(plan, pulling, container["image"])


def needs(plan: AccessPlan):
    """Every access the work of this rule's resources needs, and what can't be decided."""
    for model in plan.index.of_type(MODEL):
        role = execution_role(plan, model)
        if role is None:
            yield NotEvaluated(model.urn, "its execution role is not declared in this program")
            continue
        requester = access.role_requester(plan, model, role)
        for container in containers(model.props):
            if container is UNKNOWN:
                yield NotEvaluated(model.urn, "its containers can't be known during preview")
                continue
            yield from _container_needs(plan, requester, container, str)
            if "modelPackageName" not in container:
                continue
            package = package_containers(plan, model, container)
            if package is None:
                yield NotEvaluated(
                    model.urn,
                    f"its model package {container['modelPackageName']} is not declared in this "
                    "program, so its model data and image can't be checked",
                )
            elif package is UNKNOWN:
                yield NotEvaluated(model.urn, "its model package can't be known during preview")
            else:
                for inner in package:
                    yield from _container_needs(
                        plan, requester, inner, lambda what: f"{what} of its model package"
                    )


check = access.rule_check(needs)


RULE = Rule(
    id="sagemaker-role-can-read-model",
    description="Each Model's execution role may get its model data (S3 and the object's KMS "
    "key, under the context SageMaker sends) and pull its images.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Grant the execution role s3:GetObject on the model data, kms:Decrypt on the "
    "bucket's key (condition kms:ViaService s3.<region>.amazonaws.com) and ECR pull on the image "
    "repository; ModelEndpoint does this when given the artifacts bucket's key.",
    controls=Controls(
        eu_ai_act=("Art. 15",),
        nist_ai_rmf=("MANAGE 2.2",),
        iso_42001=("A.6.2.5",),
        soc2=("CC8.1",),
    ),
    judges=(MODEL,),
    reads=(*READS, MODEL_PACKAGE),
    check=check,
    stack=True,
)
