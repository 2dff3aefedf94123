"""ModelEndpoint's children built per variant (models with their cards, alarms, autoscaling)
and its execution role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlrails_components.governance.model_card import ModelCard
from mlrails_components.sagemaker.args import ModelEndpointArgs, VariantArgs
from mlrails_components.sagemaker.child_args import rollback_alarm_definitions, target_tracking
from mlrails_components.sagemaker.execution_role import CaptureTarget, execution_policy
from mlrails_components.sagemaker.model_data import (
    ModelDataGrant,
    container_model_data,
    model_data_location,
    model_image,
)
from mlrails_components.support.aws import AwsContext, sagemaker_trust_policy
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tags import with_tags

# The tag that links a model to its card (read by the sagemaker-model-card rule).
CARD_TAG = "model-card"


@dataclass(frozen=True)
class Parent:
    """The endpoint component its children belong to."""

    resource: pulumi.Resource
    name: str
    """The component's name: children are named `<name>-<variant>-<role>`."""
    endpoint_name: str
    tags: Any

    def opts(self, **options: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self.resource, **options)

    def tag_args(self) -> dict[str, Any]:
        """The tags as arguments of a child component (which rejects `tags: None`)."""
        return {} if self.tags is None else {"tags": self.tags}


def create_model(
    parent: Parent,
    variant: VariantArgs,
    image: Any,
    role_arn: pulumi.Input[str],
    args: ModelEndpointArgs,
    network_isolation: bool | None,
    role_policy: aws.iam.RolePolicy | None,
) -> aws.sagemaker.Model:
    container: aws.sagemaker.ModelPrimaryContainerArgsDict = {}
    if "model_package_arn" in variant:
        container["model_package_name"] = variant["model_package_arn"]
    else:
        container["image"] = image
        container.update(container_model_data(variant))
    if "environment" in variant:
        container["environment"] = variant["environment"]
    vpc: aws.sagemaker.ModelVpcConfigArgsDict | None = None
    if args.get("vpc_subnet_ids"):
        vpc = {
            "subnets": args["vpc_subnet_ids"],
            "security_group_ids": args["vpc_security_group_ids"],
        }
    card = card_name(parent.name, variant)
    model = aws.sagemaker.Model(
        f"{parent.name}-{variant['name']}-model",
        execution_role_arn=role_arn,
        primary_container=container,
        enable_network_isolation=network_isolation,
        vpc_config=vpc,
        tags=with_tags(parent.tags, {CARD_TAG: card} if card is not None else {}),
        # SageMaker checks the role can read the model data and pull the image at create.
        # Kept when replaced: the endpoint configuration a rollback returns to names it.
        opts=parent.opts(depends_on=[role_policy] if role_policy else [], retain_on_delete=True),
    )
    sections = {k: v for k, v in variant.get("model_card", {}).items() if k != "card_name"}
    if sections:
        ModelCard(
            f"{parent.name}-{variant['name']}-card",
            {**sections, "card_name": card, "model_name": model.name, **parent.tag_args()},  # type: ignore[typeddict-item]  # the sections are a ModelCardArgs without its names
            opts=parent.opts(),
        )
    return model


def card_name(endpoint: str, variant: VariantArgs) -> pulumi.Input[str] | None:
    """The card that documents a variant's model: named, or created with a stable name."""
    card = variant.get("model_card")
    if card is None:
        return None
    given = card.get("card_name")
    return stable_name(f"{endpoint}-{variant['name']}-card") if given is None else given


def create_variant_alarms(
    parent: Parent,
    args: ModelEndpointArgs,
    endpoint_config_name: pulumi.Output[str] | None,
) -> list[aws.cloudwatch.MetricAlarm]:
    """Error-rate and latency alarms per variant. With an endpoint configuration name (instance
    endpoints) they watch the new fleet only and drive rollback (K1): errors of the old fleet
    cannot abort a good rollout and a canary's errors are not diluted."""
    rollback = endpoint_config_name is not None
    alarms = []
    for variant in args["variants"]:
        for role, definition in rollback_alarm_definitions(
            parent.endpoint_name, variant["name"], args["rollback_alarms"], endpoint_config_name
        ):
            alarms.append(
                aws.cloudwatch.MetricAlarm(
                    f"{parent.name}-{variant['name']}-{role}",
                    alarm_description=f"Variant {variant['name']} of {parent.endpoint_name}: "
                    f"{role.replace('-', ' ')} above its threshold"
                    + ("; rolls back a deployment in progress" if rollback else ""),
                    alarm_actions=args["alarm_actions"],
                    ok_actions=args["alarm_actions"],
                    tags=parent.tags,
                    opts=parent.opts(),
                    **definition,
                )
            )
    return alarms


def create_autoscaling(
    parent: Parent, variants: list[VariantArgs], endpoint: aws.sagemaker.Endpoint
) -> None:
    for variant in variants:
        scaling = variant.get("autoscaling")
        if scaling is None:
            continue
        target = aws.appautoscaling.Target(
            f"{parent.name}-{variant['name']}-scaling-target",
            service_namespace="sagemaker",
            resource_id=f"endpoint/{parent.endpoint_name}/variant/{variant['name']}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=scaling["min_instances"],
            max_capacity=scaling["max_instances"],
            tags=parent.tags,
            opts=parent.opts(depends_on=[endpoint]),
        )
        aws.appautoscaling.Policy(
            f"{parent.name}-{variant['name']}-scaling-policy",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            resource_id=target.resource_id,
            scalable_dimension=target.scalable_dimension,
            target_tracking_scaling_policy_configuration=target_tracking(scaling),
            opts=parent.opts(),
        )


def create_execution_role(
    parent: Parent,
    context: AwsContext,
    variants: list[VariantArgs],
    images: dict[str, Any],
    capture: tuple[Any, Any] | None,
    in_vpc: bool,
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """The models' least-privilege execution role and its policy (see execution_role)."""
    role = aws.iam.Role(
        f"{parent.name}-role",
        assume_role_policy=sagemaker_trust_policy(context),
        description=f"Execution role of the models behind {parent.endpoint_name}",
        tags=parent.tags,
        opts=parent.opts(),
    )
    sources = [
        (location, v.get("model_data_kms_key_arn"))
        for v in variants
        if (location := model_data_location(v)) is not None
    ]
    image_values = [
        image for v in variants if (image := model_image(v, images[v["name"]])) is not None
    ]
    policy = pulumi.Output.all(sources, image_values, list(capture or [])).apply(
        lambda values: execution_policy(
            context,
            parent.endpoint_name,
            [ModelDataGrant(uri, key) for uri, key in values[0]],
            values[1],
            CaptureTarget(*values[2]) if values[2] else None,
            in_vpc,
        )
    )
    role_policy = aws.iam.RolePolicy(
        f"{parent.name}-role-policy", role=role.id, policy=policy, opts=parent.opts()
    )
    return role, role_policy
