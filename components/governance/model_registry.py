"""ModelRegistry: a model package group, shared with consumer accounts, and its versions."""

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlrails_components.governance.args import ModelPackageVersionArgs, ModelRegistryArgs
from mlrails_components.support.aws import AwsContext, aws_context, policy_json
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tags import native_tags
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems, check_types

APPROVAL_STATUSES = ("Approved", "PendingManualApproval", "Rejected")


@dataclass(frozen=True)
class ModelPackageVersion:
    """A registered version: its ARN, its approval status, and how to deploy it."""

    arn: pulumi.Output[str]
    approval_status: str
    resource: pulumi.Resource
    image: pulumi.Input[str]
    model_data_url: pulumi.Input[str]

    def variant(self, name: str, **settings: Any) -> dict[str, Any]:
        """VariantArgs for ModelEndpoint that serve this version: its approval status, and its
        image and model data, which the endpoint's execution role must be able to fetch. Pass
        the model data's key as `model_data_kms_key_arn`."""
        return {
            "name": name,
            "model_package_arn": self.arn,
            "model_package_approval_status": self.approval_status,
            "model_package_image": self.image,
            "model_package_model_data_url": self.model_data_url,
            **settings,
        }


class ModelRegistry(pulumi.ComponentResource):
    """A SageMaker model package group whose packages named accounts may deploy.

    Cross-account deployment also needs the package's model data and image: give the artifacts
    EncryptedBucket `reader_account_ids` with the same accounts (its bucket and key policies then
    let them read), and an image in this account's ECR a repository policy for them.
    """

    group_name: pulumi.Output[str]
    """Name of the model package group."""
    group_arn: pulumi.Output[str]
    """ARN of the model package group."""

    def __init__(
        self, name: str, args: ModelRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("ModelRegistry"),
            name,
            None,
            renamed_from("mlrails:governance:ModelRegistry", opts),
        )
        problems = Problems("ModelRegistry", name)
        check_types(ModelRegistryArgs, args, problems)
        for account in args.get("consumer_account_ids", []) if not problems.found else []:
            problems.require(
                account.isdigit() and len(account) == 12,
                "consumer_account_ids",
                account,
                "an AWS account id is 12 digits",
                "fix the id",
            )
        problems.raise_if_any()
        self._name = name
        self._context = aws_context(self)
        self._tags = args.get("tags")
        self._group = args.get("group_name") or stable_name(name)
        self.group = aws.sagemaker.ModelPackageGroup(
            f"{name}-group",
            model_package_group_name=self._group,
            model_package_group_description=args.get("description", f"Versions of {name}"),
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        if args.get("consumer_account_ids"):
            aws.sagemaker.ModelPackageGroupPolicy(
                f"{name}-policy",
                model_package_group_name=self.group.model_package_group_name,
                resource_policy=group_policy(
                    self._context, self._group, args["consumer_account_ids"]
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.group_name = self.group.model_package_group_name
        self.group_arn = self.group.arn
        self.register_outputs({"group_name": self.group_name, "group_arn": self.group_arn})

    def register_version(self, name: str, args: ModelPackageVersionArgs) -> ModelPackageVersion:
        """Register a model version in the group with its approval status (pulumi-aws-native)."""
        import pulumi_aws_native as native  # only programs that register versions need it

        problems = Problems("ModelRegistry.register_version", name)
        check_types(ModelPackageVersionArgs, args, problems)
        if not problems.found:
            problems.require(
                args["approval_status"] in APPROVAL_STATUSES,
                "approval_status",
                args["approval_status"],
                "not a model approval status",
                f"use one of {', '.join(APPROVAL_STATUSES)}",
            )
        problems.raise_if_any()
        content_types = args.get("content_types", ["text/csv", "application/json"])
        specification: native.sagemaker.ModelPackageInferenceSpecificationArgsDict = {
            "containers": [{"image": args["image"], "model_data_url": args["model_data_url"]}],
            "supported_content_types": content_types,
            "supported_response_mime_types": content_types,
        }
        package = native.sagemaker.ModelPackage(
            f"{self._name}-{name}",
            model_package_group_name=self.group.model_package_group_name,
            model_approval_status=native.sagemaker.ModelPackageModelApprovalStatus(
                args["approval_status"]
            ),
            model_package_description=args.get("description"),
            inference_specification=specification,
            tags=native_tags(self._tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return ModelPackageVersion(
            package.model_package_arn,
            args["approval_status"],
            package,
            args["image"],
            args["model_data_url"],
        )


def group_policy(context: AwsContext, group: str, accounts: list[str]) -> str:
    """Consumer accounts may read the group and deploy its packages, nothing else.

    The grant is the one the DG gives for cross-account deployment (model-registry-deploy.md,
    "Deploy a Model Version from a Different Account"): DescribeModelPackageGroup on the group;
    DescribeModelPackage, ListModelPackages and CreateModel on its packages (UpdateModelPackage,
    which would let a consumer approve a version, is left out). It cannot be limited to approved
    versions: `sagemaker:ModelApprovalStatus` is a condition key of Create/UpdateModelPackage,
    not of DescribeModelPackage (Service Authorization Reference, Amazon SageMaker), and an
    absent key makes StringEquals false (IAM UG, condition operators), so such a statement
    grants nothing. The consumer deploys approved versions only (ModelEndpoint's
    require_approved_model_packages).
    """
    principals = sorted(f"arn:{context.partition}:iam::{a}:root" for a in accounts)
    return policy_json(
        [
            {
                "Sid": "ConsumersReadTheGroup",
                "Effect": "Allow",
                "Principal": {"AWS": principals},
                "Action": "sagemaker:DescribeModelPackageGroup",
                "Resource": context.arn("sagemaker", f"model-package-group/{group.lower()}"),
            },
            {
                "Sid": "ConsumersDeployPackages",
                "Effect": "Allow",
                "Principal": {"AWS": principals},
                "Action": [
                    "sagemaker:CreateModel",
                    "sagemaker:DescribeModelPackage",
                    "sagemaker:ListModelPackages",
                ],
                "Resource": context.arn("sagemaker", f"model-package/{group.lower()}/*"),
            },
        ]
    )
