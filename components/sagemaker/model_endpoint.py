"""ModelEndpoint: a SageMaker endpoint that rolls out gradually and rolls back on its own."""

from typing import Any

import pulumi
import pulumi_aws as aws

from components.governance.model_card import ModelCard
from components.monitoring import alarm_specs
from components.sagemaker import instance_facts
from components.sagemaker.args import ModelEndpointArgs, VariantArgs
from components.sagemaker.child_args import (
    data_capture_config,
    rollback_alarm_definitions,
    target_tracking,
    variant_config,
)
from components.sagemaker.deployment import deployment_config
from components.sagemaker.exclusions import advisories
from components.sagemaker.execution_role import (
    CaptureTarget,
    describe_alarms_policy,
    execution_policy,
    invoke_policy,
)
from components.sagemaker.images import UnknownFramework, framework_image
from components.sagemaker.model_data import (
    ModelDataGrant,
    container_model_data,
    model_data_location,
    model_image,
)
from components.sagemaker.validation import validate
from components.storage import EncryptedBucket
from components.storage.encryption_key import create_key
from components.support.aws import aws_context, role_grant_target, sagemaker_trust_policy
from components.support.naming import stable_name
from components.support.tags import with_tags
from components.support.tokens import renamed_from, token
from components.support.validation import Problems

CARD_TAG = "model-card"


class ModelEndpoint(pulumi.ComponentResource):
    """A SageMaker endpoint whose updates reach a canary first and roll back when alarms fire.

    Defaults: two instances per variant, canary 10% with a 10-minute bake, rollback on the
    5XX rate and p99 latency of the variant's new fleet (alarms dimensioned on the new
    EndpointConfigName), data capture into an encrypted bucket, EBS volumes encrypted with a
    customer key, network isolation on (off on serverless, which does not support it), and a
    least-privilege execution role that reads and decrypts the model data, pulls the images and
    describes the rollback alarms.

    After an automatic rollback: the endpoint is a pulumi-aws `sagemaker.Endpoint`, which
    waits only for InService and so records the update as applied although SageMaker serves
    the previous configuration again (hashicorp/terraform-provider-aws#48997, #46663, open).
    Models and endpoint configurations are therefore kept when replaced (retain_on_delete), so
    the configuration a rollback returns to still exists; `pulumi refresh` then shows the
    endpoint's real configuration, and `pulumi destroy` leaves the old models and
    configurations (free of charge) for `aws sagemaker delete-endpoint-config` /
    `delete-model`. pulumi-aws-native's Endpoint can send RetainAllVariantProperties, but how
    its CloudFormation handler reports a rolled-back update is not public (the
    AWS::SageMaker::Endpoint handler is absent from
    aws-cloudformation/aws-cloudformation-resource-providers-sagemaker), so it is not used.

    Refused, because SageMaker refuses or ignores it: several serverless variants; a rolling
    update of a multi-variant endpoint; bake steps plus termination wait beyond
    maximum_execution_timeout_minutes; an autoscaled variant without
    accept_capacity_drop_during_rollout (every update restarts it at initial_instance_count).
    Not detectable offline: renaming a variant in an update (the new configuration must keep
    the old variant names, DG deployment-guardrails-exclusions.md), and changing the
    instance type of an autoscaled variant, which fails until its scalable target is removed
    (DG endpoint-scaling.md): remove autoscaling, update, then add it back. Warned: instance
    types with local storage, which the volume key does not encrypt (botocore
    CreateEndpointConfigInput.KmsKeyId), and ml.inf1 types, which SageMaker deploys all at
    once. Model packages from AWS Marketplace also fall back to all at once (DG
    deployment-guardrails-exclusions.md); the component cannot tell them apart.
    """

    endpoint_name: pulumi.Output[str]
    """Name of the endpoint."""
    endpoint_arn: pulumi.Output[str]
    """ARN of the endpoint."""
    endpoint_config_name: pulumi.Output[str]
    """Name of the current endpoint configuration (a new one on every change)."""
    role_arn: pulumi.Output[str]
    """ARN of the models' execution role."""
    variant_names: pulumi.Output[list[str]]
    """Names of the production variants."""
    rollback_alarm_names: pulumi.Output[list[str]]
    """Alarms whose firing rolls a deployment back."""
    invoke_policy_json: pulumi.Output[str]
    """An IAM policy invoking this endpoint and nothing else; attach it to a role
    (aws.iam.RolePolicy) where grant_invoke cannot be called (YAML, TypeScript, Go)."""
    data_capture_s3_uri: pulumi.Output[str]
    """Where the endpoint captures requests and responses (ModelMonitor's data_capture_s3_uri);
    empty without data capture."""
    data_capture_kms_key_arn: pulumi.Output[str]
    """The key encrypting the captured data; empty without data capture."""
    metric_dimensions: pulumi.Output[dict[str, dict[str, str]]]
    """Per variant name, the dimensions (EndpointName, VariantName) of its metrics in the
    AWS/SageMaker namespace: what the metric_* methods select, for alarms written in YAML,
    TypeScript or Go."""

    def __init__(
        self, name: str, args: ModelEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("ModelEndpoint"),
            name,
            None,
            renamed_from("mlrails:sagemaker:ModelEndpoint", opts),
        )
        self._name = name
        self._endpoint_name = args.get("endpoint_name") or default_endpoint_name(name)
        problems = Problems("ModelEndpoint", name)
        args = validate(name, args, self._endpoint_name, problems)
        problems.raise_if_any()
        for advisory in advisories(args):
            pulumi.log.warn(f"ModelEndpoint {name!r}: {advisory}", resource=self)
        self._context = aws_context(self)
        self._tags = args.get("tags")
        self._serverless = "serverless" in args["variants"][0]
        self._variants = list(args["variants"])
        self._shadow = args.get("shadow_variant")
        images = self._resolve_images(problems)
        problems.raise_if_any()

        self.key = self._create_key(args)
        self._key_arn = self.key.arn if self.key else args.get("kms_key_arn")
        self.capture_bucket, self._capture = self._capture_target(args)
        self.role, role_policy = self._create_role(args, images)
        role_arn = (
            self.role.arn if self.role else pulumi.Output.from_input(args["execution_role_arn"])
        )
        self.models = {
            v["name"]: self._create_model(v, images[v["name"]], role_arn, args, role_policy)
            for v in self._all_variants()
        }
        self.endpoint_config = self._create_endpoint_config(args)
        # Error-rate and latency alarms per variant; on instances they also drive rollback.
        self.alarms = self._create_variant_alarms(args)
        self.rollback_alarms = [] if self._serverless else self.alarms
        alarms_policy = self._grant_describe_rollback_alarms(args)
        self.endpoint = self._create_endpoint(args, alarms_policy)
        self._create_autoscaling()

        self.endpoint_name = self.endpoint.name
        self.endpoint_arn = self.endpoint.arn
        self.endpoint_config_name = self.endpoint_config.name
        self.role_arn = role_arn
        self.variant_names = pulumi.Output.from_input([v["name"] for v in self._variants])
        self.rollback_alarm_names = pulumi.Output.all(*self._rollback_alarm_names(args))
        self.invoke_policy_json = pulumi.Output.from_input(invoke_policy(self._invoke_arn()))
        capture = self.monitoring_args()
        self.data_capture_s3_uri = pulumi.Output.from_input(capture["data_capture_s3_uri"])
        self.data_capture_kms_key_arn = pulumi.Output.from_input(
            capture["data_capture_kms_key_arn"]
        )
        self.metric_dimensions = pulumi.Output.from_input(
            {
                v["name"]: alarm_specs.variant_dimensions(self._endpoint_name, v["name"])
                for v in self._variants
            }
        )
        self.register_outputs(
            {
                "endpoint_name": self.endpoint_name,
                "endpoint_arn": self.endpoint_arn,
                "endpoint_config_name": self.endpoint_config_name,
                "role_arn": self.role_arn,
                "variant_names": self.variant_names,
                "rollback_alarm_names": self.rollback_alarm_names,
                "invoke_policy_json": self.invoke_policy_json,
                "data_capture_s3_uri": self.data_capture_s3_uri,
                "data_capture_kms_key_arn": self.data_capture_kms_key_arn,
                "metric_dimensions": self.metric_dimensions,
            }
        )

    # --- steps -----------------------------------------------------------------------------

    def _child(self, **options) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **options)

    def _all_variants(self) -> list[VariantArgs]:
        return [*self._variants, *([self._shadow] if self._shadow else [])]

    def _resolve_images(self, problems: Problems) -> dict[str, Any]:
        images: dict[str, Any] = {}
        for variant in self._all_variants():
            if "framework" in variant:
                try:
                    images[variant["name"]] = framework_image(
                        variant["framework"],
                        variant["framework_version"],
                        self._context.region,
                        variant.get("python_version"),
                        variant.get("instance_type"),
                    )
                except UnknownFramework as error:
                    problems.add(
                        f"variant {variant['name']}.framework",
                        f"{variant['framework']} {variant['framework_version']}",
                        f"the SageMaker SDK has no image for it in {self._context.region} ({error})",
                        "check the framework name and version, or pass image",
                    )
            else:
                images[variant["name"]] = variant.get("image")
        return images

    def _create_key(self, args: ModelEndpointArgs) -> aws.kms.Key | None:
        if self._serverless or "kms_key_arn" in args:
            return None  # serverless endpoints have no ML storage volumes to encrypt
        key, _ = create_key(
            self,
            f"{self._name}-key",
            f"{self._name}-key-alias",
            f"{self._name}-key",
            f"Encrypts the ML storage volumes of the {self._name} endpoint",
            [self._context.service_principal("sagemaker")],
            tags=self._tags,
        )
        return key

    def _tag_args(self) -> dict[str, Any]:
        """The endpoint's tags as arguments of a child component (which rejects `tags: None`)."""
        return {} if self._tags is None else {"tags": self._tags}

    def _capture_target(self, args: ModelEndpointArgs) -> tuple[EncryptedBucket | None, Any]:
        if self._serverless or args.get("disable_data_capture_unmonitorable"):
            return None, None
        capture = args["data_capture"]
        if "destination_s3_uri" in capture:
            return None, (capture["destination_s3_uri"], capture["kms_key_arn"])
        bucket = EncryptedBucket(
            f"{self._name}-capture", {"purpose": "capture", **self._tag_args()}, opts=self._child()
        )
        return bucket, (bucket.s3_uri(f"{self._endpoint_name}/"), bucket.key_arn)

    def _create_role(self, args: ModelEndpointArgs, images: dict[str, Any]):
        if "execution_role_arn" in args:
            return None, None
        role = aws.iam.Role(
            f"{self._name}-role",
            assume_role_policy=sagemaker_trust_policy(self._context),
            description=f"Execution role of the models behind {self._endpoint_name}",
            tags=self._tags,
            opts=self._child(),
        )
        sources = [
            (location, v.get("model_data_kms_key_arn"))
            for v in self._all_variants()
            if (location := model_data_location(v)) is not None
        ]
        image_values = [
            image
            for v in self._all_variants()
            if (image := model_image(v, images[v["name"]])) is not None
        ]
        capture = list(self._capture) if self._capture else []
        in_vpc = bool(args.get("vpc_subnet_ids"))
        policy = pulumi.Output.all(sources, image_values, capture).apply(
            lambda values: execution_policy(
                self._context,
                self._endpoint_name,
                [ModelDataGrant(uri, key) for uri, key in values[0]],
                values[1],
                CaptureTarget(*values[2]) if values[2] else None,
                in_vpc,
            )
        )
        role_policy = aws.iam.RolePolicy(
            f"{self._name}-role-policy", role=role.id, policy=policy, opts=self._child()
        )
        return role, role_policy

    def _network_isolation(self, args: ModelEndpointArgs) -> bool | None:
        # DG serverless-endpoints.md lists network isolation among the features Serverless
        # Inference does not support (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions):
        # left unset there rather than claimed.
        if self._serverless:
            return None
        return not args.get("allow_model_network_access", False)

    def _create_model(
        self, variant: VariantArgs, image, role_arn, args: ModelEndpointArgs, role_policy
    ):
        container: dict[str, Any] = {}
        if "model_package_arn" in variant:
            container["model_package_name"] = variant["model_package_arn"]
        else:
            container["image"] = image
            container.update(container_model_data(variant))
        if "environment" in variant:
            container["environment"] = variant["environment"]
        vpc = None
        if args.get("vpc_subnet_ids"):
            vpc = {
                "subnets": args["vpc_subnet_ids"],
                "security_group_ids": args["vpc_security_group_ids"],
            }
        card = card_name(self._name, variant)
        model = aws.sagemaker.Model(
            f"{self._name}-{variant['name']}-model",
            execution_role_arn=role_arn,
            primary_container=container,
            enable_network_isolation=self._network_isolation(args),
            vpc_config=vpc,
            tags=with_tags(self._tags, {CARD_TAG: card} if card is not None else {}),
            # SageMaker checks the role can read the model data and pull the image at create.
            # Kept when replaced: the endpoint configuration a rollback returns to names it.
            opts=self._child(
                depends_on=[role_policy] if role_policy else [], retain_on_delete=True
            ),
        )
        sections = {k: v for k, v in variant.get("model_card", {}).items() if k != "card_name"}
        if sections:
            ModelCard(
                f"{self._name}-{variant['name']}-card",
                {**sections, "card_name": card, "model_name": model.name, **self._tag_args()},
                opts=self._child(),
            )
        return model

    def _create_endpoint_config(
        self, args: ModelEndpointArgs
    ) -> aws.sagemaker.EndpointConfiguration:
        production = [
            variant_config(
                v,
                self.models[v["name"]].name,
                float(v["initial_variant_weight"]),
            )
            for v in self._variants
        ]
        shadow = None
        if self._shadow:
            # The shadow's weight relative to the production variant is the share it receives.
            share = args["shadow_sampling_percent"] / 100
            weight = production[0]["initial_variant_weight"] * share
            shadow = [variant_config(self._shadow, self.models[self._shadow["name"]].name, weight)]
        return aws.sagemaker.EndpointConfiguration(
            # Never named: every change creates a new configuration the endpoint moves to.
            f"{self._name}-config",
            production_variants=production,
            shadow_production_variants=shadow,
            kms_key_arn=None if self._serverless else self._key_arn,
            data_capture_config=None
            if self._capture is None
            else data_capture_config(args["data_capture"], *self._capture),
            tags=self._tags,
            # Kept when replaced: SageMaker rolls a failed update back to the previous
            # configuration, which Pulumi would otherwise delete once the update call returns
            # (hashicorp/terraform-provider-aws#48997, #46663).
            opts=self._child(retain_on_delete=True),
        )

    def _create_variant_alarms(self, args: ModelEndpointArgs) -> list[aws.cloudwatch.MetricAlarm]:
        settings = args["rollback_alarms"]
        actions = args["alarm_actions"]
        # K1: a rollback alarm watches the new fleet only (its EndpointConfigName), so errors of
        # the old fleet cannot abort a good rollout and a canary's errors are not diluted.
        config_name = None if self._serverless else self.endpoint_config.name
        alarms = []
        for variant in self._variants:
            for role, definition in rollback_alarm_definitions(
                self._endpoint_name, variant["name"], settings, config_name
            ):
                alarms.append(
                    aws.cloudwatch.MetricAlarm(
                        f"{self._name}-{variant['name']}-{role}",
                        alarm_description=f"Variant {variant['name']} of {self._endpoint_name}: "
                        f"{role.replace('-', ' ')} above its threshold"
                        + ("" if self._serverless else "; rolls back a deployment in progress"),
                        alarm_actions=actions,
                        ok_actions=actions,
                        tags=self._tags,
                        opts=self._child(),
                        **definition,
                    )
                )
        return alarms

    def _rollback_alarm_names(self, args: ModelEndpointArgs) -> list[Any]:
        return [a.name for a in self.rollback_alarms] + args["extra_rollback_alarm_names"]

    def _grant_describe_rollback_alarms(self, args: ModelEndpointArgs):
        """The execution role may describe the rollback alarms (F6); None without rollback."""
        names = self._rollback_alarm_names(args)
        if self.role is None or not names:
            return None
        return aws.iam.RolePolicy(
            f"{self._name}-rollback-alarms-policy",
            role=self.role.id,
            policy=pulumi.Output.all(*names).apply(
                lambda values: describe_alarms_policy(self._context, list(values))
            ),
            opts=self._child(),
        )

    def _create_endpoint(self, args: ModelEndpointArgs, alarms_policy) -> aws.sagemaker.Endpoint:
        config = None
        if not self._serverless:
            config = deployment_config(args["deployment"], self._rollback_alarm_names(args))
        return aws.sagemaker.Endpoint(
            f"{self._name}-endpoint",
            name=self._endpoint_name,
            endpoint_config_name=self.endpoint_config.name,
            deployment_config=config,
            tags=self._tags,
            # SageMaker reads the rollback alarms with the execution role during an update.
            opts=self._child(depends_on=[alarms_policy] if alarms_policy else []),
        )

    def _create_autoscaling(self) -> None:
        for variant in self._variants:
            scaling = variant.get("autoscaling")
            if scaling is None:
                continue
            target = aws.appautoscaling.Target(
                f"{self._name}-{variant['name']}-scaling-target",
                service_namespace="sagemaker",
                resource_id=f"endpoint/{self._endpoint_name}/variant/{variant['name']}",
                scalable_dimension="sagemaker:variant:DesiredInstanceCount",
                min_capacity=scaling["min_instances"],
                max_capacity=scaling["max_instances"],
                tags=self._tags,
                opts=self._child(depends_on=[self.endpoint]),
            )
            aws.appautoscaling.Policy(
                f"{self._name}-{variant['name']}-scaling-policy",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                resource_id=target.resource_id,
                scalable_dimension=target.scalable_dimension,
                target_tracking_scaling_policy_configuration=target_tracking(scaling),
                opts=self._child(),
            )

    # --- intent methods ----------------------------------------------------------------------

    @property
    def data_capture_enabled(self) -> bool:
        return self._capture is not None

    def monitoring_args(self) -> dict[str, Any]:
        """The endpoint part of ModelMonitorArgs: its name and where it captures data."""
        destination, key = self._capture if self._capture else (None, None)
        return {
            "endpoint_name": self.endpoint.name,
            "data_capture_enabled": self.data_capture_enabled,
            "data_capture_s3_uri": destination or "",
            "data_capture_kms_key_arn": key or "",
        }

    def alarm_args(self) -> dict[str, Any]:
        """The endpoint part of EndpointAlarmsArgs and EndpointDashboardArgs."""
        return {
            "endpoint_name": self.endpoint.name,
            "variant_names": [v["name"] for v in self._variants],
        }

    def endpoint_alarms_args(self) -> dict[str, Any]:
        """The endpoint part of EndpointAlarmsArgs: alarm_args(), whether instances publish
        utilization, and each variant's vCPUs (so the CPU threshold is per vCPU)."""
        if self._serverless:
            return {**self.alarm_args(), "instance_metrics": False}
        vcpus = {v["name"]: instance_facts.vcpus(v["instance_type"]) for v in self._variants}
        return {
            **self.alarm_args(),
            "variant_vcpus": {name: count for name, count in vcpus.items() if count is not None},
        }

    def metric_invocations(self, variant: str) -> alarm_specs.MetricSpec:
        """Invocations of a variant per minute (Sum)."""
        return alarm_specs.invocations(self._endpoint_name, variant)

    def metric_model_latency(self, variant: str, percentile: str = "p99") -> alarm_specs.MetricSpec:
        """Model latency of a variant at a percentile, in microseconds."""
        return alarm_specs.model_latency(self._endpoint_name, variant, percentile)

    def metric_5xx_errors(self, variant: str) -> alarm_specs.MetricSpec:
        """5XX responses of a variant per minute (Sum)."""
        return alarm_specs.errors_5xx(self._endpoint_name, variant)

    def grant_invoke(self, role, *, name: str | None = None) -> aws.iam.RolePolicy:
        """Let `role` invoke this endpoint (synchronously and asynchronously), nothing else."""
        label, role_name = role_grant_target(
            f"ModelEndpoint {self._name!r}", "grant_invoke", role, name
        )
        return aws.iam.RolePolicy(
            f"{self._name}-invoke-{label}",
            role=role_name,
            policy=invoke_policy(self._invoke_arn()),
            opts=self._child(),
        )

    def _invoke_arn(self) -> str:
        # SageMaker ARNs carry the lower-cased name: known now, so the grant shows in a preview.
        return self._context.arn("sagemaker", f"endpoint/{self._endpoint_name.lower()}")


def card_name(endpoint: str, variant: VariantArgs) -> pulumi.Input[str] | None:
    """The card that documents a variant's model: named, or created with a stable name."""
    card = variant.get("model_card")
    if card is None:
        return None
    given = card.get("card_name")
    return stable_name(f"{endpoint}-{variant['name']}-card") if given is None else given


def default_endpoint_name(name: str) -> str:
    """The component name and a suffix stable per project and stack: unique, known in advance.

    Never truncated: a name too long for SageMaker is reported by validation instead.
    """
    return stable_name(name, max_length=len(name) + 8)
