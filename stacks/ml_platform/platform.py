"""The platform built from its configuration: shared stores and alerting, then each model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi

from mlrails_components.governance import ModelRegistry
from mlrails_components.monitoring import (
    AlertTopic,
    EndpointAlarms,
    EndpointDashboard,
    ModelMonitor,
    OpenSourceMonitor,
)
from mlrails_components.sagemaker import ModelEndpoint
from mlrails_components.storage import EncryptedBucket

from ml_platform.config import Card, KServe, Model, Monitoring, PlatformConfig, Rollout

if TYPE_CHECKING:
    from mlrails_components.kubernetes import InferenceService


@dataclass
class Shared:
    """What every model's deployment uses."""

    artifacts: EncryptedBucket
    capture: EncryptedBucket
    monitoring: EncryptedBucket
    alerts: AlertTopic
    config: PlatformConfig


def build_platform(config: PlatformConfig) -> None:
    tags = config.tags
    alert_subscriptions: dict[str, Any] = {"email_addresses": list(config.alert_emails)}
    if config.alert_webhook_url is not None:
        # Kept a secret end to end: the URL holds the on-call service's integration key.
        webhook = pulumi.Output.secret(config.alert_webhook_url.get_secret_value())
        alert_subscriptions["https_endpoints"] = [webhook]
    shared = Shared(
        artifacts=EncryptedBucket("artifacts", _artifacts_args(config)),
        capture=EncryptedBucket(
            "capture",
            {"purpose": "capture", "retention_days": config.capture_retention_days, "tags": tags},
        ),
        monitoring=EncryptedBucket("monitoring", {"purpose": "monitoring", "tags": tags}),
        alerts=AlertTopic("alerts", {**alert_subscriptions, "tags": tags}),
        config=config,
    )
    endpoints = {model.name: deploy_model(model, shared) for model in config.models}
    if config.kserve is not None:
        service = serve_on_kubernetes(config.kserve, tags)
        pulumi.export("kserve_url", service.cluster_url)
    pulumi.export("endpoints", {name: e.endpoint_name for name, e in endpoints.items()})
    pulumi.export("artifacts_bucket", shared.artifacts.bucket_name)
    pulumi.export("alert_topic_arn", shared.alerts.topic_arn)


def _artifacts_args(config: PlatformConfig) -> dict[str, Any]:
    """The artifacts store; registry consumers may read the models' folders (cross-account
    deployment reads the package's model data with the consumer's role)."""
    args: dict[str, Any] = {"purpose": "artifacts", "tags": config.tags}
    if config.registry_consumer_accounts:
        args["reader_account_ids"] = list(config.registry_consumer_accounts)
        args["reader_prefixes"] = sorted({f"{model.name}/" for model in config.models})
    return args


def deploy_model(model: Model, shared: Shared) -> ModelEndpoint:
    """Registry version, card, endpoint with rollback alarms, monitors, alarms and dashboard."""
    tags = shared.config.tags
    registry = ModelRegistry(
        f"{model.name}-registry",
        {
            "description": model.card.description,
            "consumer_account_ids": list(shared.config.registry_consumer_accounts),
            "tags": tags,
        },
    )
    version = registry.register_version(
        f"v{model.version}",
        {
            "image": model.image,
            "model_data_url": shared.artifacts.s3_uri(model.model_data),
            "approval_status": model.approval_status,
        },
    )
    endpoint = ModelEndpoint(
        model.name,
        {
            "variants": [
                version.variant(
                    "main", model_data_kms_key_arn=shared.artifacts.key_arn, **_serving(model)
                )
            ],
            "deployment": _deployment(model.rollout),
            "alarm_actions": [shared.alerts.topic_arn],
            "require_approved_model_packages": shared.config.require_approved_models,
            **_capture(model, shared),
            "tags": tags,
        },
    )
    EndpointAlarms(
        f"{model.name}-alarms",
        {
            **endpoint.endpoint_alarms_args(),
            "alarm_actions": [shared.alerts.topic_arn],
            "tags": tags,
        },
    )
    schedule = None
    if model.monitoring is not None and shared.config.monitoring_backend == "open-source":
        # The open-source monitor has its own dashboard of the job's findings.
        OpenSourceMonitor(
            f"{model.name}-monitor", _open_source_args(model, model.monitoring, endpoint, shared)
        )
    elif model.monitoring is not None:
        monitor = ModelMonitor(
            f"{model.name}-monitor", _monitor_args(model, model.monitoring, endpoint, shared)
        )
        # The dashboard's drift widget plots data-quality metrics: only that schedule has them.
        if "data-quality" in monitor.schedules:
            schedule = monitor.schedules["data-quality"].name
    EndpointDashboard(
        f"{model.name}-dashboard",
        {
            **endpoint.alarm_args(),
            **({"monitoring_schedule_name": schedule} if schedule is not None else {}),
            "drift_features": sorted(model.monitoring.drift_thresholds) if schedule else [],
        },
    )
    return endpoint


def serve_on_kubernetes(kserve: KServe, tags: dict[str, str]) -> InferenceService:
    """The KServe model, on the cluster the `kubernetes:` provider configuration points at."""
    # pulumi-kubernetes and the manifest schemas cost ~0.3 s to load: only when KServe is on.
    from mlrails_components.kubernetes import InferenceService

    args: dict[str, Any] = {
        "service_name": kserve.name,
        "namespace": kserve.namespace,
        "model_format": kserve.model_format,
        "storage_uri": kserve.storage_uri,
        "resources": kserve.resources.model_dump(),
        "min_replicas": kserve.min_replicas,
        "max_replicas": kserve.max_replicas,
        "monitoring_labels": dict(kserve.monitoring_labels),
        "labels": dict(tags),
    }
    if kserve.canary_percent is not None:
        args["canary_traffic_percent"] = kserve.canary_percent
    return InferenceService(kserve.name, args)


def _serving(model: Model) -> dict[str, Any]:
    serving = model.serving
    settings: dict[str, Any] = {"model_card": _card(model.card)}
    if serving.serverless is not None:
        settings["serverless"] = {
            "memory_size_mb": serving.serverless.memory_mb,
            "max_concurrency": serving.serverless.max_concurrency,
        }
        return settings
    settings["instance_type"] = serving.instance_type
    settings["initial_instance_count"] = serving.instance_count
    if model.autoscaling is not None:
        settings["autoscaling"] = {
            "min_instances": model.autoscaling.min_instances,
            "max_instances": model.autoscaling.max_instances,
            "target_invocations_per_instance": model.autoscaling.target_invocations_per_instance,
            # The platform's documented contract (config.Autoscaling): rollouts start the new
            # fleet at serving.instanceCount.
            "accept_capacity_drop_during_rollout": True,
        }
    return settings


def _card(card: Card) -> dict[str, Any]:
    overview = {
        "model_description": card.description,
        "model_owner": card.owner,
        "problem_type": card.problem_type,
        "algorithm_type": card.algorithm,
    }
    intended = {
        "intended_uses": card.intended_uses,
        "risk_rating": card.risk_rating,
        "explanations_for_risk_rating": card.risk_explanation,
    }
    additional = {
        "ethical_considerations": card.ethical_considerations,
        "caveats_and_recommendations": card.caveats,
    }
    sections = {
        "model_overview": overview,
        "intended_uses": intended,
        "additional_information": additional,
    }
    return {
        "status": card.status,
        **{
            name: {k: v for k, v in fields.items() if v is not None}
            for name, fields in sections.items()
            if any(v is not None for v in fields.values())
        },
    }


def _deployment(rollout: Rollout) -> dict[str, Any]:
    settings: dict[str, Any] = {"strategy": rollout.strategy}
    if rollout.strategy != "all_at_once":
        settings["bake_minutes"] = rollout.bake_minutes
    step = {
        "canary": ("canary_percent", rollout.canary_percent),
        "linear": ("linear_step_percent", rollout.linear_step_percent),
        "rolling": ("rolling_batch_percent", rollout.rolling_batch_percent),
    }.get(rollout.strategy)
    if step is not None:
        settings[step[0]] = step[1]
    return settings


def _capture(model: Model, shared: Shared) -> dict[str, Any]:
    """Instance endpoints capture to the shared capture store; serverless ones cannot capture."""
    if model.serving.serverless is not None:
        return {"disable_data_capture_unmonitorable": True}
    return {
        "data_capture": {
            "destination_s3_uri": shared.capture.s3_uri(f"{model.name}/"),
            "kms_key_arn": shared.capture.key_arn,
        }
    }


def _monitor_args(
    model: Model, monitoring: Monitoring, endpoint: ModelEndpoint, shared: Shared
) -> dict[str, Any]:
    baselines = f"{model.name}/v{model.version}/baselines"
    ground_truth = shared.monitoring.s3_uri(f"{model.name}/ground-truth/")
    artifacts = shared.artifacts
    args: dict[str, Any] = {
        **endpoint.monitoring_args(),
        "output_s3_uri": shared.monitoring.s3_uri(f"{model.name}/reports"),
        "output_kms_key_arn": shared.monitoring.key_arn,
        "baselines_kms_key_arn": artifacts.key_arn,
        "ground_truth_kms_key_arn": shared.monitoring.key_arn,
        "alarm_actions": [shared.alerts.topic_arn],
        "tags": shared.config.tags,
    }
    if monitoring.data_quality:
        args["data_quality"] = {
            "baseline_constraints_uri": artifacts.s3_uri(f"{baselines}/data/constraints.json"),
            "baseline_statistics_uri": artifacts.s3_uri(f"{baselines}/data/statistics.json"),
            "schedule": monitoring.schedule,
            "drift_thresholds": dict(monitoring.drift_thresholds),
        }
    if monitoring.model_quality is not None:
        quality = monitoring.model_quality
        args["model_quality"] = {
            "problem_type": quality.problem_type,
            "ground_truth_s3_uri": ground_truth,
            "baseline_constraints_uri": artifacts.s3_uri(f"{baselines}/quality/constraints.json"),
            "schedule": monitoring.schedule,
            **(
                {"probability_attribute": quality.probability_attribute}
                if quality.probability_attribute
                else {}
            ),
            **(
                {"probability_threshold": quality.probability_threshold}
                if quality.probability_threshold is not None
                else {}
            ),
        }
    for kind, enabled in (
        ("model_bias", monitoring.bias),
        ("model_explainability", monitoring.explainability),
    ):
        if enabled:
            folder = kind.removeprefix("model_")
            args[kind] = {
                "analysis_config_uri": artifacts.s3_uri(
                    f"{baselines}/{folder}/analysis_config.json"
                ),
                "baseline_constraints_uri": artifacts.s3_uri(
                    f"{baselines}/{folder}/constraints.json"
                ),
                "schedule": monitoring.schedule,
            }
            if kind == "model_bias":
                args[kind]["ground_truth_s3_uri"] = ground_truth
    return args


def _open_source_args(
    model: Model, monitoring: Monitoring, endpoint: ModelEndpoint, shared: Shared
) -> dict[str, Any]:
    """The open-source backend: baseline dataset in the artifacts bucket, ground truth and
    reports in the monitoring bucket; bias segments are the model's configured ones;
    explainability is the job's Clarify-free feature-attribution drift."""
    baselines = f"{model.name}/v{model.version}/baselines"
    args: dict[str, Any] = {
        **endpoint.monitoring_args(),
        "output_s3_uri": shared.monitoring.s3_uri(f"{model.name}/reports"),
        "output_kms_key_arn": shared.monitoring.key_arn,
        "job_image_uri": shared.config.monitoring_job_image,
        "schedule": monitoring.schedule,
        "data_quality": {
            "baseline_dataset_uri": shared.artifacts.s3_uri(f"{baselines}/data/baseline.csv"),
            "baseline_kms_key_arn": shared.artifacts.key_arn,
            "drift_thresholds": dict(monitoring.drift_thresholds),
        },
        "alarm_actions": [shared.alerts.topic_arn],
        "tags": shared.config.tags,
    }
    if monitoring.model_quality is not None:
        quality = monitoring.model_quality
        args["model_quality"] = {
            "problem_type": quality.problem_type,
            "ground_truth_s3_uri": shared.monitoring.s3_uri(f"{model.name}/ground-truth/"),
            **(
                {"inference_attribute": quality.probability_attribute}
                if quality.probability_attribute
                else {}
            ),
        }
    if monitoring.bias:
        args["model_bias"] = {"segments": list(monitoring.bias_segments)}
    if monitoring.explainability:
        # Without Clarify: how each feature goes with the model's score, baseline against the
        # window, ranked and compared by NDCG (mlrails_monitoring_job.attribution).
        quality = monitoring.model_quality
        score = quality.probability_attribute if quality else None
        args["feature_attribution"] = {"inference_attribute": score} if score else {}
    return args
