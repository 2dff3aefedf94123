"""ModelEndpoint: a SageMaker endpoint that rolls out gradually and rolls back on its own."""

from typing import Any, cast

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring import alarm_specs
from mlrails_components.sagemaker.args import ModelEndpointArgs, VariantArgs
from mlrails_components.sagemaker.child_args import data_capture_config, variant_config
from mlrails_components.sagemaker.deployment import deployment_config
from mlrails_components.sagemaker.endpoint_children import (
    Parent,
    create_autoscaling,
    create_execution_role,
    create_model,
    create_variant_alarms,
)
from mlrails_components.sagemaker.endpoint_intents import EndpointIntents
from mlrails_components.sagemaker.exclusions import advisories
from mlrails_components.sagemaker.execution_role import describe_alarms_policy, invoke_policy
from mlrails_components.sagemaker.images import variant_images
from mlrails_components.sagemaker.validation import validate
from mlrails_components.storage import EncryptedBucket, EncryptedBucketArgs
from mlrails_components.storage.encryption_key import create_key
from mlrails_components.support.aws import aws_context
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems


class ModelEndpoint(EndpointIntents, pulumi.ComponentResource):
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
        images = variant_images(self._all_variants(), self._context.region, problems)
        problems.raise_if_any()
        self._parent = Parent(self, name, self._endpoint_name, self._tags)

        self.key = self._create_key(args)
        self._key_arn = self.key.arn if self.key else args.get("kms_key_arn")
        self.capture_bucket, self._capture = self._capture_target(args)
        self.role: aws.iam.Role | None = None
        role_policy: aws.iam.RolePolicy | None = None
        if "execution_role_arn" not in args:
            self.role, role_policy = create_execution_role(
                self._parent,
                self._context,
                self._all_variants(),
                images,
                self._capture,
                in_vpc=bool(args.get("vpc_subnet_ids")),
            )
        role_arn = (
            self.role.arn if self.role else pulumi.Output.from_input(args["execution_role_arn"])
        )
        isolation = self._network_isolation(args)
        self.models = {
            v["name"]: create_model(
                self._parent, v, images[v["name"]], role_arn, args, isolation, role_policy
            )
            for v in self._all_variants()
        }
        self.endpoint_config = self._create_endpoint_config(args)
        # Error-rate and latency alarms per variant; on instances they also drive rollback.
        self.alarms = create_variant_alarms(
            self._parent, args, None if self._serverless else self.endpoint_config.name
        )
        self.rollback_alarms = [] if self._serverless else self.alarms
        alarms_policy = self._grant_describe_rollback_alarms(args)
        self.endpoint = self._create_endpoint(args, alarms_policy)
        create_autoscaling(self._parent, self._variants, self.endpoint)

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

    def _capture_target(self, args: ModelEndpointArgs) -> tuple[EncryptedBucket | None, Any]:
        if self._serverless or args.get("disable_data_capture_unmonitorable"):
            return None, None
        capture = args["data_capture"]
        if "destination_s3_uri" in capture:
            return None, (capture["destination_s3_uri"], capture["kms_key_arn"])
        bucket_args: EncryptedBucketArgs = {"purpose": "capture"}
        if self._tags is not None:  # a child component rejects `tags: None`
            bucket_args["tags"] = self._tags
        bucket = EncryptedBucket(f"{self._name}-capture", bucket_args, opts=self._child())
        return bucket, (bucket.s3_uri(f"{self._endpoint_name}/"), bucket.key_arn)

    def _network_isolation(self, args: ModelEndpointArgs) -> bool | None:
        # DG serverless-endpoints.md lists network isolation among the features Serverless
        # Inference does not support (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions):
        # left unset there rather than claimed.
        if self._serverless:
            return None
        return not args.get("allow_model_network_access", False)

    def _create_endpoint_config(
        self, args: ModelEndpointArgs
    ) -> aws.sagemaker.EndpointConfiguration:
        production = [
            variant_config(v, self.models[v["name"]].name, float(v["initial_variant_weight"]))
            for v in self._variants
        ]
        shadow = None
        if self._shadow:
            # The shadow's weight relative to the production variant is the share it receives.
            share = args["shadow_sampling_percent"] / 100
            weight = float(self._variants[0]["initial_variant_weight"]) * share
            shadow = [
                cast(  # the shadow variant has the production variant's fields
                    "aws.sagemaker.EndpointConfigurationShadowProductionVariantArgsDict",
                    variant_config(self._shadow, self.models[self._shadow["name"]].name, weight),
                )
            ]
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


def default_endpoint_name(name: str) -> str:
    """The component name and a suffix stable per project and stack: unique, known in advance.

    Never truncated: a name too long for SageMaker is reported by validation instead.
    """
    return stable_name(name, max_length=len(name) + 8)
