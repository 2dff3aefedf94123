"""ModelCard: the model card of a deployed model, rendered from typed sections and validated."""

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from mlrails_components.governance.args import ModelCardArgs
from mlrails_components.governance.content import schema_problems, without_empty
from mlrails_components.storage.encryption_key import create_key
from mlrails_components.support.aws import aws_context
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems, check_types, plain

STATUSES = ("Draft", "PendingReview", "Approved", "Archived")
# Stands in for values only known later (Outputs) while the content is validated up front.
_LATER = "pending"


class ModelCard(pulumi.ComponentResource):
    """A SageMaker model card whose content is checked against the model card schema before it is
    registered, encrypted with a customer key."""

    card_name: pulumi.Output[str]
    """Name of the card (the value of a model's `model-card` tag)."""
    card_arn: pulumi.Output[str]
    """ARN of the card."""

    def __init__(
        self, name: str, args: ModelCardArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("ModelCard"), name, None, renamed_from("mlrails:governance:ModelCard", opts)
        )
        _validate(name, args)
        tags = args.get("tags")
        self.key = None
        key_arn = args.get("kms_key_arn")
        if key_arn is None:
            self.key, _ = create_key(
                self,
                f"{name}-key",
                f"{name}-key-alias",
                f"{name}-card-key",
                f"Encrypts the {name} model card",
                [aws_context(self).service_principal("sagemaker")],
                tags=tags,
            )
            key_arn = self.key.arn
        self.card = aws.sagemaker.ModelCard(
            f"{name}-card",
            model_card_name=(
                stable_name(name) if args.get("card_name") is None else args["card_name"]
            ),
            model_card_status=args.get("status", "Draft"),
            content=_later_values(args).apply(
                lambda values: json.dumps(render_content(args, values))
            ),
            security_config={"kms_key_id": key_arn},
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.card_name = self.card.model_card_name
        self.card_arn = self.card.model_card_arn
        self.register_outputs({"card_name": self.card_name, "card_arn": self.card_arn})


def _later_values(args: ModelCardArgs) -> pulumi.Output:
    overview = args.get("model_overview", {})
    return pulumi.Output.all(
        model_name=args.get("model_name"),
        artifacts=overview.get("model_artifacts", []),
        images=overview.get("container_images", []),
    )


def render_content(args: ModelCardArgs, values: dict[str, Any]) -> dict[str, Any]:
    """The card's content JSON (a dict), in the model card schema's names."""
    overview = dict(args.get("model_overview", {}))
    overview.pop("model_artifacts", None)
    overview.pop("container_images", None)
    if values.get("model_name"):
        overview["model_name"] = values["model_name"]
    if values.get("artifacts"):
        overview["model_artifact"] = list(values["artifacts"])
    if values.get("images"):
        overview["inference_environment"] = {"container_image": list(values["images"])}
    training = dict(args.get("training_details", {}))
    job = {
        k: training.pop(k)
        for k in ("training_job_arn", "training_datasets", "training_metrics")
        if k in training
    }
    if job:
        training["training_job_details"] = {
            "training_arn": job.get("training_job_arn"),
            "training_datasets": job.get("training_datasets"),
            "training_metrics": job.get("training_metrics"),
        }
    evaluations = [
        {
            **{k: v for k, v in e.items() if k != "metric_groups"},
            "metric_groups": [
                {"name": g["name"], "metric_data": [{"type": "number", **m} for m in g["metrics"]]}
                for g in e.get("metric_groups", [])
            ],
        }
        for e in args.get("evaluation_details", [])
    ]
    content = {
        "model_overview": overview,
        "intended_uses": args.get("intended_uses"),
        "business_details": args.get("business_details"),
        "training_details": training,
        "evaluation_details": evaluations,
        "additional_information": args.get("additional_information"),
    }
    return without_empty(content)


def _validate(name: str, args: ModelCardArgs) -> None:
    problems = Problems("ModelCard", name)
    check_types(ModelCardArgs, args, problems)
    problems.raise_if_any()
    status = args.get("status", "Draft")
    problems.require(
        status in STATUSES,
        "status",
        status,
        "not a model card status",
        f"use one of {', '.join(STATUSES)}",
    )
    card_name = args.get("card_name")
    if card_name is not None and plain(card_name):
        from mlrails_components.sagemaker.service_model import valid_name

        problems.require(
            valid_name(card_name),
            "card_name",
            card_name,
            "not a valid SageMaker name",
            "use letters, digits and single hyphens, at most 63",
        )
    # Values only known later are checked by the provider; everything else against the schema now.
    overview = args.get("model_overview", {})
    stand_ins = {
        "model_name": (
            args.get("model_name") if plain(args.get("model_name")) else "pending-model"
        ),
        "artifacts": [a if plain(a) else _LATER for a in overview.get("model_artifacts", [])],
        "images": [i if plain(i) else _LATER for i in overview.get("container_images", [])],
    }
    for path, message in schema_problems(render_content(args, stand_ins)):
        problems.add_message(
            f"card content at {path}: {message} (model card schema); fix that field of the card"
        )
    problems.raise_if_any()
