"""ModelMonitor's job definitions: one builder per kind of monitoring.

Data quality has a pulumi-aws resource; model quality, bias and explainability exist only in
pulumi-aws-native, imported only by programs that monitor them.

The cluster and baseline fragments are typed with model quality's ArgsDicts, which have the
same fields as the other kinds'. The output, window and Clarify fragments are `Any`: each kind's
SDK type for them is its own (pulumi-aws-native gives every job definition its own enum for
S3UploadMode and S3InputMode), so no one ArgsDict fits them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring.model_monitor_args import ModelMonitorArgs
from mlrails_components.monitoring.model_monitor_defaults import Job, Monitor
from mlrails_components.support.tags import native_tags

if TYPE_CHECKING:
    from pulumi_aws_native import sagemaker as native_sagemaker
    from pulumi_aws_native.sagemaker import (
        ModelQualityJobDefinitionClusterConfigArgsDict,
        ModelQualityJobDefinitionModelQualityBaselineConfigArgsDict,
    )

_INPUT_PATH = "/opt/ml/processing/input/endpoint"
_OUTPUT_PATH = "/opt/ml/processing/output"


@dataclass(frozen=True)
class JobContext:
    """What every job definition of one monitor shares."""

    name: str
    """The component's name: job definitions are named `<name>-<kind>-job`."""
    monitor: Monitor
    role_arn: pulumi.Output[str]
    image: str
    """The analyser's image for this job's kind."""
    opts: pulumi.ResourceOptions

    @property
    def args(self) -> ModelMonitorArgs:
        return self.monitor.args

    def output_uri(self, kind: str) -> pulumi.Output[str]:
        return pulumi.Output.from_input(self.args["output_s3_uri"]).apply(
            lambda u: f"{u.rstrip('/')}/{kind}/"
        )

    def cluster(self) -> ModelQualityJobDefinitionClusterConfigArgsDict:
        """The processing cluster, as every job definition's cluster_config takes it (the four
        SDK types have the same fields)."""
        return {
            "instance_count": 1,
            "instance_type": self.monitor.instance_type,
            "volume_size_in_gb": self.monitor.volume_size_gb,
            "volume_kms_key_id": self.args["output_kms_key_arn"],
        }

    def s3_output(self, kind: str) -> Any:
        return {
            "s3_uri": self.output_uri(kind),
            "local_path": _OUTPUT_PATH,
            "s3_upload_mode": "EndOfJob",
        }


def data_quality(job: Job, context: JobContext) -> aws.sagemaker.DataQualityJobDefinition:
    settings, args = job.settings, context.args
    return aws.sagemaker.DataQualityJobDefinition(
        f"{context.name}-{job.kind.name}-job",
        data_quality_app_specification={
            "image_uri": context.image,
            # Publishes feature_baseline_drift_<feature> metrics the drift alarms watch.
            "environment": {"publish_cloudwatch_metrics": "Enabled"},
        },
        data_quality_baseline_config={
            "constraints_resource": {"s3_uri": settings["baseline_constraints_uri"]},
            "statistics_resource": {"s3_uri": settings["baseline_statistics_uri"]},
        },
        data_quality_job_input={
            "endpoint_input": {"endpoint_name": args["endpoint_name"], "local_path": _INPUT_PATH}
        },
        data_quality_job_output_config={
            "kms_key_id": args["output_kms_key_arn"],
            "monitoring_outputs": {"s3_output": context.s3_output(job.kind.name)},
        },
        job_resources={"cluster_config": context.cluster()},
        role_arn=context.role_arn,
        network_config={
            "enable_inter_container_traffic_encryption": True,
            "enable_network_isolation": True,
        },
        stopping_condition={"max_runtime_in_seconds": job.max_runtime_minutes * 60},
        tags=args.get("tags"),
        opts=context.opts,
    )


def model_quality(job: Job, context: JobContext) -> native_sagemaker.ModelQualityJobDefinition:
    from pulumi_aws_native import sagemaker as native

    settings = job.settings
    endpoint_input: native.ModelQualityJobDefinitionEndpointInputArgsDict = {
        "endpoint_name": context.args["endpoint_name"],
        "local_path": _INPUT_PATH,
        **_window(job),
    }
    if "inference_attribute" in settings:
        endpoint_input["inference_attribute"] = settings["inference_attribute"]
    if "probability_attribute" in settings:
        endpoint_input["probability_attribute"] = settings["probability_attribute"]
    if "probability_threshold" in settings:
        endpoint_input["probability_threshold_attribute"] = settings["probability_threshold"]
    return native.ModelQualityJobDefinition(
        f"{context.name}-{job.kind.name}-job",
        model_quality_app_specification={
            "image_uri": context.image,
            "problem_type": settings["problem_type"],
        },
        model_quality_baseline_config=_baseline(job),
        model_quality_job_input={
            "endpoint_input": endpoint_input,
            "ground_truth_s3_input": {"s3_uri": settings["ground_truth_s3_uri"]},
        },
        model_quality_job_output_config=_output_config(job, context),
        **_native_common(job, context, network_isolation=True),
    )


def model_bias(job: Job, context: JobContext) -> native_sagemaker.ModelBiasJobDefinition:
    from pulumi_aws_native import sagemaker as native

    settings = job.settings
    return native.ModelBiasJobDefinition(
        f"{context.name}-{job.kind.name}-job",
        model_bias_app_specification=_clarify_app(job, context),
        model_bias_baseline_config=_baseline(job),
        model_bias_job_input={
            "endpoint_input": {
                "endpoint_name": context.args["endpoint_name"],
                "local_path": _INPUT_PATH,
                **_window(job),
            },
            "ground_truth_s3_input": {"s3_uri": settings["ground_truth_s3_uri"]},
        },
        model_bias_job_output_config=_output_config(job, context),
        **_native_common(job, context, network_isolation=True),
    )


def model_explainability(
    job: Job, context: JobContext
) -> native_sagemaker.ModelExplainabilityJobDefinition:
    from pulumi_aws_native import sagemaker as native

    return native.ModelExplainabilityJobDefinition(
        f"{context.name}-{job.kind.name}-job",
        model_explainability_app_specification=_clarify_app(job, context),
        model_explainability_baseline_config=_baseline(job),
        model_explainability_job_input={
            "endpoint_input": {
                "endpoint_name": context.args["endpoint_name"],
                "local_path": _INPUT_PATH,
            }
        },
        model_explainability_job_output_config=_output_config(job, context),
        # Clarify computes feature attributions against a shadow endpoint it creates and calls,
        # which network isolation forbids (see ModelMonitor's docstring).
        **_native_common(job, context, network_isolation=False),
    )


BUILDERS = {
    "data-quality": data_quality,
    "model-quality": model_quality,
    "model-bias": model_bias,
    "model-explainability": model_explainability,
}


def _window(job: Job) -> Any:
    """The analysed window of a ground-truth kind, ending when its ground truth has arrived."""
    start, end = job.time_offsets or (None, None)
    return {"start_time_offset": start, "end_time_offset": end}


def _baseline(job: Job) -> ModelQualityJobDefinitionModelQualityBaselineConfigArgsDict:
    """The baseline constraints (bias and explainability baselines have the same fields)."""
    return {"constraints_resource": {"s3_uri": job.settings["baseline_constraints_uri"]}}


def _clarify_app(job: Job, context: JobContext) -> Any:
    return {"image_uri": context.image, "config_uri": job.settings["analysis_config_uri"]}


def _output_config(job: Job, context: JobContext) -> Any:
    return {
        "kms_key_id": context.args["output_kms_key_arn"],
        "monitoring_outputs": [{"s3_output": context.s3_output(job.kind.name)}],
    }


def _native_common(job: Job, context: JobContext, network_isolation: bool) -> dict[str, Any]:
    """The settings every pulumi-aws-native job definition takes the same way."""
    return {
        "endpoint_name": context.args["endpoint_name"],
        "job_resources": {"cluster_config": context.cluster()},
        "role_arn": context.role_arn,
        "network_config": {
            "enable_inter_container_traffic_encryption": True,
            "enable_network_isolation": network_isolation,
        },
        "stopping_condition": {"max_runtime_in_seconds": job.max_runtime_minutes * 60},
        "tags": native_tags(context.args.get("tags")),
        "opts": context.opts,
    }
