"""ModelMonitor: scheduled data quality, model quality, bias and explainability monitoring."""

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.monitoring import alarm_specs
from components.monitoring.schedules import period_hours, schedule_expression
from components.sagemaker.images import repository_arn
from components.support.aws import (
    AwsContext,
    aws_context,
    list_prefix_statement,
    object_arns,
    policy_json,
    prefix_arns,
    sagemaker_trust_policy,
    split_s3_uri,
)
from components.support.naming import stable_name
from components.support.tags import native_tags
from components.support.tokens import renamed_from, token
from components.support.validation import Problems, check_types, plain

PROBLEM_TYPES = ("BinaryClassification", "MulticlassClassification", "Regression")
# Kinds that merge ground truth into the captured data before analysing it.
GROUND_TRUTH_KINDS = ("model-quality", "model-bias")
# MonitoringStoppingCondition.MaxRuntimeInSeconds "cannot exceed the frequency of the job ... For
# model bias and model quality hourly schedules, this can be up to 1800 seconds" (botocore
# sagemaker 2017-07-24); the ground-truth merge job and the analysis share it (DG
# model-monitor-model-quality-schedule.md).
HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES = 30
DEFAULT_MAX_RUNTIME_MINUTES = 50
# Ground truth is assumed to arrive within a day of the request: by default a run analyses the
# schedule's period that ended this long before it (see time_offsets).
GROUND_TRUTH_DELAY_HOURS = 24
# EndpointInput.StartTimeOffset / EndTimeOffset: ISO 8601 durations subtracted from the run's
# time, "-PT#H or -P#D ... M=minutes" (DG model-monitor-model-quality-schedule.md), at most 15
# characters (botocore MonitoringTimeOffsetString).
_OFFSET = re.compile(
    r"^-P(?!$)(?:(?P<days>\d+)D)?(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?)?$"
)
_OFFSET_MAX_LENGTH = 15


class DataQualityArgs(TypedDict):
    """Data quality: do the features the endpoint receives drift from the training baseline?"""

    baseline_constraints_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of constraints.json from a baselining job. Required."""
    baseline_statistics_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of statistics.json from a baselining job. Required."""
    schedule: NotRequired[str]
    """hourly, daily or a SageMaker cron expression. Default: hourly."""
    drift_thresholds: NotRequired[dict[str, float]]
    """Per feature, the baseline drift distance that raises an alarm. Default: none."""


class ModelQualityArgs(TypedDict):
    """Model quality: do predictions still match ground truth as well as at training time?"""

    problem_type: str
    """BinaryClassification, MulticlassClassification or Regression."""
    ground_truth_s3_uri: pulumi.Input[str]
    """S3 prefix where labelled ground truth for captured requests is delivered."""
    baseline_constraints_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of the model quality constraints.json. Required."""
    inference_attribute: NotRequired[str]
    """Field of the prediction in the endpoint's output. Default: the whole output."""
    probability_attribute: NotRequired[str]
    """Field of the probability in the endpoint's output (classification)."""
    probability_threshold: NotRequired[float]
    """Probability above which a binary prediction is positive. Default: SageMaker's 0.5."""
    schedule: NotRequired[str]
    """hourly, daily or a cron expression. Default: daily (ground truth arrives later)."""
    start_time_offset: NotRequired[str]
    """Start of the analysed window before each run, an ISO 8601 duration such as -PT25H or -P2D.
    Default: the end offset plus one schedule period (-PT48H for daily runs)."""
    end_time_offset: NotRequired[str]
    """End of the analysed window before each run (-PT0H: up to the run). Default: -PT24H, so
    ground truth labelled within a day of the request is there when the run merges it."""


class ClarifyArgs(TypedDict):
    """Bias or explainability drift, analysed by SageMaker Clarify."""

    analysis_config_uri: pulumi.Input[str]
    """S3 URI of the Clarify analysis configuration (facets, label, SHAP baseline)."""
    baseline_constraints_uri: NotRequired[pulumi.Input[str]]
    """S3 URI of the Clarify baseline constraints. Required."""
    ground_truth_s3_uri: NotRequired[pulumi.Input[str]]
    """S3 prefix of ground truth; bias monitoring requires it."""
    schedule: NotRequired[str]
    """hourly, daily or a cron expression. Default: daily."""
    start_time_offset: NotRequired[str]
    """Bias only: start of the analysed window before each run (ISO 8601, e.g. -PT48H).
    Default: the end offset plus one schedule period."""
    end_time_offset: NotRequired[str]
    """Bias only: end of the analysed window before each run. Default: -PT24H (ground truth
    labelled within a day)."""


class ModelMonitorArgs(TypedDict):
    """Arguments of ModelMonitor (a ModelEndpoint's monitoring_args() fills the endpoint part)."""

    endpoint_name: pulumi.Input[str]
    """The monitored endpoint."""
    data_capture_enabled: bool
    """Whether the endpoint captures data. Monitoring reads captured data, so false is refused."""
    data_capture_s3_uri: pulumi.Input[str]
    """Where the endpoint captures data: the monitoring role may read it, nothing else."""
    data_capture_kms_key_arn: pulumi.Input[str]
    """Key of the captured data (the jobs decrypt it)."""
    baselines_kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key of the bucket holding the baselines and Clarify analysis configurations, e.g. the
    artifacts EncryptedBucket's key_arn: the jobs decrypt them with it. Default: none, for
    baselines in a bucket without a customer key."""
    ground_truth_kms_key_arn: NotRequired[pulumi.Input[str]]
    """Key of the bucket receiving ground truth (model quality, bias). Default: none, for ground
    truth in a bucket without a customer key."""
    output_s3_uri: pulumi.Input[str]
    """S3 prefix for reports and violations (an EncryptedBucket of purpose monitoring)."""
    output_kms_key_arn: pulumi.Input[str]
    """Key that encrypts the reports and the jobs' processing volumes."""
    data_quality: NotRequired[DataQualityArgs]
    """Monitor data quality. Default: off."""
    model_quality: NotRequired[ModelQualityArgs]
    """Monitor model quality. Default: off."""
    model_bias: NotRequired[ClarifyArgs]
    """Monitor bias drift. Default: off."""
    model_explainability: NotRequired[ClarifyArgs]
    """Monitor feature attribution drift. Default: off."""
    instance_type: NotRequired[str]
    """Processing instance of the jobs. Default: ml.m5.xlarge."""
    volume_size_gb: NotRequired[int]
    """Processing volume, 1 to 16384 GB. Default: 20."""
    max_runtime_minutes: NotRequired[int]
    """Longest run of a job, at most its schedule's period; for hourly model quality and bias
    schedules at most 30, shared by the ground-truth merge and the analysis. Default: 50, and 30
    for hourly model quality and bias."""
    role_arn: NotRequired[pulumi.Input[str]]
    """An existing role for the jobs. Default: a new least-privilege role."""
    alarm_actions: NotRequired[list[pulumi.Input[str]]]
    """Where drift alarms and violations notify (an AlertTopic's topic_arn). Default: none."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for every child."""


KINDS = {
    # kind: (argument, MonitoringType, Clarify?, default schedule)
    "data-quality": ("data_quality", "DataQuality", False, "hourly"),
    "model-quality": ("model_quality", "ModelQuality", False, "daily"),
    "model-bias": ("model_bias", "ModelBias", True, "daily"),
    "model-explainability": ("model_explainability", "ModelExplainability", True, "daily"),
}


class ModelMonitor(pulumi.ComponentResource):
    """A job definition and a MonitoringSchedule per enabled kind, on one endpoint.

    Every job encrypts its outputs and volume with the given key and traffic between its
    instances. All but explainability run network-isolated: Clarify computes feature attributions
    against a shadow endpoint it creates and calls, which isolation forbids (DG
    clarify-processing-job-configure-parameters.md: EnableNetworkIsolation "must be set to False
    ... so that Clarify can invoke an endpoint"; clarify-config-json-monitor-model-explainability-
    parameters.md). Model quality and bias runs analyse a window that ended a day earlier, when
    the ground truth has arrived. Violations found by a run are sent to alarm_actions
    (an EventBridge rule on the run's "CompletedWithViolations" result), and drift alarms watch
    the per-feature metrics the data quality monitor publishes.
    """

    schedule_names: pulumi.Output[list[str]]
    """Names of the monitoring schedules."""
    role_arn: pulumi.Output[str]
    """ARN of the role the jobs run as."""

    def __init__(
        self, name: str, args: ModelMonitorArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("ModelMonitor"), name, None, renamed_from("mlrails:monitoring:ModelMonitor", opts)
        )
        self._name = name
        _validate(name, args)
        self._context = aws_context(self)
        self._args = args
        self._tags = args.get("tags")
        kinds = [k for k, (arg, *_) in KINDS.items() if arg in args]
        self.role = None if "role_arn" in args else self._create_role(kinds)
        role_arn = self.role.arn if self.role else pulumi.Output.from_input(args["role_arn"])
        self.schedules: dict[str, aws.sagemaker.MonitoringSchedule] = {}
        for kind in kinds:
            job = self._create_job_definition(kind, role_arn)
            self.schedules[kind] = self._create_schedule(kind, job)
            self._create_violations_rule(kind)
        self._create_drift_alarms()
        self.schedule_names = pulumi.Output.all(*[s.name for s in self.schedules.values()])
        self.role_arn = role_arn
        self.register_outputs({"schedule_names": self.schedule_names, "role_arn": self.role_arn})

    def _child(self, **options) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **options)

    def _resource_name(self, kind: str) -> str:
        """Schedule names: stable, unique per stack, known in a preview (the violations rule, the
        drift alarms and dashboards name them), at most 63 characters (botocore
        MonitoringScheduleName). A schedule is updated in place (UpdateMonitoringSchedule).

        Job definitions have no update API: any change (a new model version's baselines)
        replaces them, and Pulumi creates the replacement before deleting the old one, which a
        fixed name would make fail with a name conflict. So the provider names them (unique,
        random), and the schedule follows the new name.
        """
        return stable_name(f"{self._name}-{kind}")

    # --- jobs --------------------------------------------------------------------------------

    def _cluster(self) -> dict[str, Any]:
        return {
            "instance_count": 1,
            "instance_type": self._args.get("instance_type", "ml.m5.xlarge"),
            "volume_size_in_gb": self._args.get("volume_size_gb", 20),
            "volume_kms_key_id": self._args["output_kms_key_arn"],
        }

    def _output(self, kind: str) -> dict[str, Any]:
        uri = pulumi.Output.from_input(self._args["output_s3_uri"]).apply(
            lambda u: f"{u.rstrip('/')}/{kind}/"
        )
        return {
            "s3_output": {
                "s3_uri": uri,
                "local_path": "/opt/ml/processing/output",
                "s3_upload_mode": "EndOfJob",
            }
        }

    def _create_job_definition(self, kind: str, role_arn):
        argument, _, clarify, _ = KINDS[kind]
        settings = self._args[argument]
        common = {
            "role_arn": role_arn,
            "network_config": {
                "enable_inter_container_traffic_encryption": True,
                # Clarify's explainability job calls a shadow endpoint (class docstring).
                "enable_network_isolation": kind != "model-explainability",
            },
            "stopping_condition": {
                "max_runtime_in_seconds": max_runtime_minutes(self._args, kind) * 60
            },
        }
        endpoint_input: dict[str, Any] = {
            "endpoint_name": self._args["endpoint_name"],
            "local_path": "/opt/ml/processing/input/endpoint",
        }
        if kind in GROUND_TRUTH_KINDS:
            start, end = time_offsets(settings, _schedule(settings, kind))
            endpoint_input["start_time_offset"] = start
            endpoint_input["end_time_offset"] = end
        image = monitor_image("clarify" if clarify else "model-monitor", self._context)
        baseline = {"constraints_resource": {"s3_uri": settings["baseline_constraints_uri"]}}
        name = f"{self._name}-{kind}-job"
        if kind == "data-quality":
            baseline["statistics_resource"] = {"s3_uri": settings["baseline_statistics_uri"]}
            return aws.sagemaker.DataQualityJobDefinition(
                name,
                data_quality_app_specification={
                    "image_uri": image,
                    # Publishes feature_baseline_drift_<feature> metrics the drift alarms watch.
                    "environment": {"publish_cloudwatch_metrics": "Enabled"},
                },
                data_quality_baseline_config=baseline,
                data_quality_job_input={"endpoint_input": endpoint_input},
                data_quality_job_output_config={
                    "kms_key_id": self._args["output_kms_key_arn"],
                    "monitoring_outputs": self._output(kind),
                },
                job_resources={"cluster_config": self._cluster()},
                tags=self._tags,
                opts=self._child(),
                **common,
            )
        import pulumi_aws_native as native  # only programs that monitor beyond data quality need it

        output_config = {
            "kms_key_id": self._args["output_kms_key_arn"],
            "monitoring_outputs": [self._output(kind)],
        }
        native_common = {
            "endpoint_name": self._args["endpoint_name"],
            "job_resources": {"cluster_config": self._cluster()},
            "tags": native_tags(self._tags),
            "opts": self._child(),
            **common,
        }
        if kind == "model-quality":
            for key, wire in (
                ("inference_attribute", "inference_attribute"),
                ("probability_attribute", "probability_attribute"),
                ("probability_threshold", "probability_threshold_attribute"),
            ):
                if key in settings:
                    endpoint_input[wire] = settings[key]
            return native.sagemaker.ModelQualityJobDefinition(
                name,
                model_quality_app_specification={
                    "image_uri": image,
                    "problem_type": settings["problem_type"],
                },
                model_quality_baseline_config=baseline,
                model_quality_job_input={
                    "endpoint_input": endpoint_input,
                    "ground_truth_s3_input": {"s3_uri": settings["ground_truth_s3_uri"]},
                },
                model_quality_job_output_config=output_config,
                **native_common,
            )
        app = {"image_uri": image, "config_uri": settings["analysis_config_uri"]}
        if kind == "model-bias":
            return native.sagemaker.ModelBiasJobDefinition(
                name,
                model_bias_app_specification=app,
                model_bias_baseline_config=baseline,
                model_bias_job_input={
                    "endpoint_input": endpoint_input,
                    "ground_truth_s3_input": {"s3_uri": settings["ground_truth_s3_uri"]},
                },
                model_bias_job_output_config=output_config,
                **native_common,
            )
        return native.sagemaker.ModelExplainabilityJobDefinition(
            name,
            model_explainability_app_specification=app,
            model_explainability_baseline_config=baseline,
            model_explainability_job_input={"endpoint_input": endpoint_input},
            model_explainability_job_output_config=output_config,
            **native_common,
        )

    def _create_schedule(self, kind: str, job) -> aws.sagemaker.MonitoringSchedule:
        job_name = job.name if kind == "data-quality" else job.job_definition_name
        argument, monitoring_type, _, _ = KINDS[kind]
        schedule = _schedule(self._args[argument], kind)
        return aws.sagemaker.MonitoringSchedule(
            f"{self._name}-{kind}-schedule",
            name=self._resource_name(f"{kind}-schedule"),
            monitoring_schedule_config={
                "monitoring_job_definition_name": job_name,
                "monitoring_type": monitoring_type,
                "schedule_config": {"schedule_expression": schedule_expression(schedule)},
            },
            tags=self._tags,
            opts=self._child(depends_on=[job]),
        )

    # --- alerting ----------------------------------------------------------------------------

    def _create_violations_rule(self, kind: str) -> None:
        actions = self._args.get("alarm_actions", [])
        if not actions:
            return
        schedule_arn = self._context.arn(
            "sagemaker", f"monitoring-schedule/{self._resource_name(f'{kind}-schedule').lower()}"
        )
        # A monitoring run is a processing job; SageMaker reports its outcome to EventBridge with
        # the schedule's ARN and an exit message that starts with "CompletedWithViolations".
        rule = aws.cloudwatch.EventRule(
            f"{self._name}-{kind}-violations",
            description=f"{kind} monitoring of {self._name} found violations",
            event_pattern=json.dumps(
                {
                    "source": ["aws.sagemaker"],
                    "detail-type": ["SageMaker Processing Job State Change"],
                    "detail": {
                        "MonitoringScheduleArn": [schedule_arn],
                        "ExitMessage": [{"prefix": "CompletedWithViolations"}],
                    },
                }
            ),
            tags=self._tags,
            opts=self._child(),
        )
        for index, action in enumerate(actions):
            aws.cloudwatch.EventTarget(
                f"{self._name}-{kind}-violations-{index}",
                rule=rule.name,
                arn=action,
                opts=self._child(),
            )

    def _create_drift_alarms(self) -> None:
        settings = self._args.get("data_quality")
        if not settings:
            return
        schedule = self._resource_name("data-quality-schedule")
        for feature, threshold in settings.get("drift_thresholds", {}).items():
            aws.cloudwatch.MetricAlarm(
                f"{self._name}-drift-{feature}",
                alarm_description=f"Baseline drift of feature {feature} at {self._name}",
                # No data means no monitoring run this hour, not drift.
                **alarm_specs.threshold_alarm(
                    alarm_specs.feature_drift(self._args["endpoint_name"], schedule, feature),
                    "GreaterThanThreshold",
                    threshold,
                    1,
                    1,
                    "notBreaching",
                ),
                alarm_actions=self._args.get("alarm_actions", []),
                ok_actions=self._args.get("alarm_actions", []),
                tags=self._tags,
                opts=self._child(),
            )

    # --- role --------------------------------------------------------------------------------

    def _create_role(self, kinds: list[str]) -> aws.iam.Role:
        role = aws.iam.Role(
            f"{self._name}-role",
            assume_role_policy=sagemaker_trust_policy(self._context),
            description=f"Model Monitor jobs of {self._name}",
            tags=self._tags,
            opts=self._child(),
        )
        baselines, ground_truth = [], []
        for kind in kinds:
            settings = self._args[KINDS[kind][0]]
            baselines += [
                settings[k]
                for k in (
                    "baseline_constraints_uri",
                    "baseline_statistics_uri",
                    "analysis_config_uri",
                )
                if k in settings
            ]
            if "ground_truth_s3_uri" in settings:
                ground_truth.append(settings["ground_truth_s3_uri"])
        args = self._args
        images = sorted(
            {
                monitor_image("clarify" if KINDS[k][2] else "model-monitor", self._context)
                for k in kinds
            }
        )
        policy = pulumi.Output.all(
            baselines=baselines,
            baselines_key=args.get("baselines_kms_key_arn"),
            capture_uri=args["data_capture_s3_uri"],
            capture_key=args["data_capture_kms_key_arn"],
            ground_truth_uris=ground_truth,
            ground_truth_key=args.get("ground_truth_kms_key_arn"),
            output_uri=args["output_s3_uri"],
            output_key=args["output_kms_key_arn"],
        ).apply(
            lambda values: monitor_policy(
                self._context,
                MonitorAccess(
                    **values,
                    images=images,
                    shadow_endpoints="model-explainability" in kinds,
                ),
            )
        )
        aws.iam.RolePolicy(
            f"{self._name}-role-policy", role=role.id, policy=policy, opts=self._child()
        )
        return role


def _schedule(settings: dict, kind: str) -> str:
    return settings.get("schedule", KINDS[kind][3])


def max_runtime_minutes(args: ModelMonitorArgs, kind: str) -> int:
    """The job's MaxRuntimeInSeconds in minutes: as given, or the default that fits its schedule."""
    if "max_runtime_minutes" in args:
        return args["max_runtime_minutes"]
    expression = schedule_expression(_schedule(args[KINDS[kind][0]], kind))
    if kind in GROUND_TRUTH_KINDS and expression and period_hours(expression) == 1:
        return HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES
    return DEFAULT_MAX_RUNTIME_MINUTES


def offset_minutes(offset: str) -> int | None:
    """Minutes an EndpointInput time offset reaches back, or None if SageMaker would reject it."""
    match = _OFFSET.match(offset) if len(offset) <= _OFFSET_MAX_LENGTH else None
    if match is None:
        return None
    days, hours, minutes = (int(match[part] or 0) for part in ("days", "hours", "minutes"))
    return (days * 24 + hours) * 60 + minutes


def time_offsets(settings: dict, schedule: str) -> tuple[str, str]:
    """(StartTimeOffset, EndTimeOffset): as given, or one schedule period ending a day ago."""
    end = settings.get("end_time_offset", f"-PT{GROUND_TRUTH_DELAY_HOURS}H")
    if "start_time_offset" in settings:
        return settings["start_time_offset"], end
    period = period_hours(schedule_expression(schedule) or schedule_expression("daily"))
    back = (offset_minutes(end) or 0) + period * 60
    start = f"-PT{back // 60}H" if back % 60 == 0 else f"-PT{back}M"
    return start, end


@dataclass(frozen=True)
class MonitorAccess:
    """What the jobs of one monitor read, write and run (URIs and key ARNs, resolved)."""

    baselines: list[str]
    baselines_key: str | None
    capture_uri: str
    capture_key: str
    ground_truth_uris: list[str]
    ground_truth_key: str | None
    output_uri: str
    output_key: str
    images: list[str]
    shadow_endpoints: bool


def monitor_policy(context: AwsContext, access: MonitorAccess) -> str:
    """The jobs' role policy (DG sagemaker-roles.md, "CreateProcessingJob API: Execution Role
    Permissions"): read the inputs (s3:GetObject, s3:ListBucket on the input buckets, kms:Decrypt
    "if your input is encrypted using SSE-KMS"), write the output (kms:Encrypt for the output
    key), kms:CreateGrant "if you specify a volume KMS key", pull the image, logs and metrics."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadBaselines",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": sorted({object_arns(context, u) for u in access.baselines}),
        },
        {
            "Sid": "ReadCapturedData",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": prefix_arns(context, access.capture_uri),
        },
        *_listings("ListCapturedData", context, [access.capture_uri]),
    ]
    if access.ground_truth_uris:
        statements += [
            {
                "Sid": "ReadGroundTruth",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": sorted({prefix_arns(context, u) for u in access.ground_truth_uris}),
            },
            *_listings("ListGroundTruth", context, access.ground_truth_uris),
        ]
    input_keys = {access.capture_key, access.baselines_key}
    if access.ground_truth_uris:
        input_keys.add(access.ground_truth_key)
    statements += [
        {
            "Sid": "DecryptInputs",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": sorted(k for k in input_keys if k),
            "Condition": context.key_only_via("s3"),
        },
        {
            "Sid": "WriteReports",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": prefix_arns(context, access.output_uri),
        },
        {
            # Uploading SSE-KMS objects generates data keys; parts of a multipart upload decrypt.
            "Sid": "EncryptReports",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": access.output_key,
        },
        {
            # The output key also encrypts the processing volume, which SageMaker attaches with a
            # grant on the role's behalf; kms:GrantIsForAWSResource limits the grant to that
            # (KMS DG, https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
            "Sid": "EncryptVolumes",
            "Effect": "Allow",
            "Action": "kms:CreateGrant",
            "Resource": access.output_key,
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
        },
    ]
    repositories = sorted({r for i in access.images if (r := repository_arn(i, context.partition))})
    statements += [
        {
            # The DG's CreateProcessingJob policy scopes ECR pull to AppSpecification.ImageUri and
            # makes no exception for AWS-owned images; a role whose ECR grant left out the
            # AWS-owned account of a prebuilt image failed to pull it
            # (awslabs/aws-solutions-constructs#986). So the analyzer's repository is granted.
            "Sid": "PullMonitorImages",
            "Effect": "Allow",
            "Action": [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            "Resource": repositories,
        },
        {
            # ECR issues registry tokens for the whole account; the action has no resource.
            "Sid": "AuthenticateToEcr",
            "Effect": "Allow",
            "Action": "ecr:GetAuthorizationToken",
            "Resource": "*",
        },
        {
            "Sid": "WriteJobLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            "Resource": context.arn("logs", "log-group:/aws/sagemaker/ProcessingJobs:*"),
        },
        {
            # Metrics have no resource ARN; the namespace condition scopes the grant.
            "Sid": "PublishMonitoringMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringLike": {"cloudwatch:namespace": "aws/sagemaker/Endpoints/*"}},
        },
    ]
    if access.shadow_endpoints:
        # Clarify runs its analysis against a temporary shadow endpoint named sm-clarify-*.
        shadow = [
            context.arn("sagemaker", f"{kind}/sm-clarify-*")
            for kind in ("model", "endpoint-config", "endpoint")
        ]
        statements.append(
            {
                "Sid": "ClarifyShadowEndpoint",
                "Effect": "Allow",
                "Action": [
                    "sagemaker:CreateModel",
                    "sagemaker:CreateEndpointConfig",
                    "sagemaker:CreateEndpoint",
                    "sagemaker:DescribeEndpoint",
                    "sagemaker:InvokeEndpoint",
                    "sagemaker:DeleteEndpoint",
                    "sagemaker:DeleteEndpointConfig",
                    "sagemaker:DeleteModel",
                ],
                "Resource": shadow,
            }
        )
    return policy_json(statements)


def _listings(sid: str, context: AwsContext, uris: list[str]) -> list[dict]:
    """ListBucket on each bucket of `uris`, for their prefixes only: a job reads an input prefix
    by listing it (DG sagemaker-roles.md, CreateProcessingJob: s3:ListBucket on input buckets)."""
    prefixes: dict[str, set[str]] = {}
    for uri in uris:
        bucket, prefix = split_s3_uri(uri)
        prefixes.setdefault(bucket, set()).add(prefix.strip("/"))
    statements = []
    for index, (bucket, scopes) in enumerate(sorted(prefixes.items())):
        name = sid if index == 0 else f"{sid}{index + 1}"
        arn = f"arn:{context.partition}:s3:::{bucket}"
        statement = list_prefix_statement(name, arn, next(iter(scopes)) if len(scopes) == 1 else "")
        if len(scopes) > 1 and all(scopes):
            patterns = {f"{p}/*" for p in scopes} | scopes
            statement["Condition"] = {"StringLike": {"s3:prefix": sorted(patterns)}}
        statements.append(statement)
    return statements


# (image table, scope, version) of the two monitoring images in the SDK's image_uri_config.
_MONITOR_IMAGES = {
    "model-monitor": ("model-monitor.json", None, ""),
    "clarify": ("clarify.json", "processing", "1.0"),
}


@functools.lru_cache(maxsize=32)
def monitor_image(framework: str, context: AwsContext) -> str:
    """The Model Monitor or Clarify image of the context's region, read from the SageMaker SDK's
    own image tables. Importing the SDK to call `image_uris.retrieve` costs about two seconds of
    every program run; tests/components/monitoring checks both agree in every region."""
    table, scope, version = _MONITOR_IMAGES[framework]
    document = json.loads(_sdk_image_tables().joinpath(table).read_text(encoding="utf-8"))
    entry = (document[scope] if scope else document)["versions"][version]
    account = entry["registries"].get(context.region)
    if account is None:
        raise ValueError(f"SageMaker has no {framework} image in region {context.region}")
    uri = f"{account}.dkr.ecr.{context.region}.{context.dns_suffix}/{entry['repository']}"
    return f"{uri}:{version}" if version else uri


@functools.cache
def _sdk_image_tables() -> Path:
    """The SDK's image_uri_config directory, found without importing the SDK."""
    spec = importlib.util.find_spec("sagemaker")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the sagemaker-core package is not installed; reinstall mlrails")
    return Path(spec.submodule_search_locations[0]) / "core" / "image_uri_config"


def _validate(name: str, args: ModelMonitorArgs) -> None:
    problems = Problems("ModelMonitor", name)
    check_types(ModelMonitorArgs, args, problems)
    if problems.found:
        problems.raise_if_any()

    problems.require(
        args["data_capture_enabled"],
        "data_capture_enabled",
        False,
        "Model Monitor analyses captured requests, and this endpoint captures none",
        "enable data capture on the endpoint (ModelEndpoint's default)",
    )
    enabled = [k for k, (arg, *_) in KINDS.items() if arg in args]
    problems.require(
        bool(enabled),
        "data_quality / model_quality / model_bias / model_explainability",
        None,
        "no kind of monitoring is enabled",
        "enable at least data_quality",
    )
    runtime = args.get("max_runtime_minutes", DEFAULT_MAX_RUNTIME_MINUTES)
    problems.require(
        1 <= runtime <= 1440,
        "max_runtime_minutes",
        runtime,
        "a job runs 1 minute to 24 hours (MonitoringMaxRuntimeInSeconds 1 to 86400)",
        "choose 1 to 1440",
    )
    for kind in enabled:
        argument = KINDS[kind][0]
        settings = args[argument]
        schedule = _schedule(settings, kind)
        expression = schedule_expression(schedule) if isinstance(schedule, str) else None
        problems.require(
            expression is not None,
            f"{argument}.schedule",
            schedule,
            "SageMaker monitors hourly, daily, or on cron(0 H ? * * *) / cron(0 H/N ? * * *)",
            "use hourly, daily or such a cron expression",
        )
        if expression is not None:
            _check_runtime(problems, args, kind, expression)
        _check_offsets(problems, settings, kind, argument)
        required = ["baseline_constraints_uri"] + (
            ["baseline_statistics_uri"] if kind == "data-quality" else []
        )
        required += ["ground_truth_s3_uri"] if kind == "model-bias" else []
        for key in required:
            problems.require(
                key in settings,
                f"{argument}.{key}",
                None,
                f"{kind.replace('-', ' ')} monitoring compares each run against a baseline from training"
                if key.startswith("baseline")
                else "bias monitoring needs labelled ground truth",
                f"pass the S3 URI from the baselining job ({key})",
            )
        for key in (
            "baseline_constraints_uri",
            "baseline_statistics_uri",
            "analysis_config_uri",
            "ground_truth_s3_uri",
        ):
            value = settings.get(key)
            if isinstance(value, str) and plain(value):
                problems.require(
                    value.startswith("s3://"),
                    f"{argument}.{key}",
                    value,
                    "must be in S3",
                    "pass an s3:// URI",
                )
        if kind == "model-quality":
            problems.require(
                settings["problem_type"] in PROBLEM_TYPES,
                "model_quality.problem_type",
                settings["problem_type"],
                "unknown problem type",
                f"use one of {', '.join(PROBLEM_TYPES)}",
            )
        if kind == "data-quality":
            for feature, threshold in settings.get("drift_thresholds", {}).items():
                problems.require(
                    threshold > 0,
                    f"data_quality.drift_thresholds.{feature}",
                    threshold,
                    "a drift distance threshold is positive",
                    "raise it",
                )
    problems.raise_if_any()


def _check_runtime(problems: Problems, args: ModelMonitorArgs, kind: str, expression: str) -> None:
    """MaxRuntimeInSeconds "cannot exceed the frequency of the job", and for hourly model quality
    and bias at most 1800 s (botocore MonitoringStoppingCondition)."""
    runtime = max_runtime_minutes(args, kind)
    period = period_hours(expression)
    if kind in GROUND_TRUTH_KINDS and period == 1:
        limit = HOURLY_GROUND_TRUTH_MAX_RUNTIME_MINUTES
        problems.require(
            runtime <= limit,
            "max_runtime_minutes",
            runtime,
            f"an hourly {kind} run may take at most {limit} minutes (1800 s: its ground-truth "
            "merge and analysis share the hour)",
            f"use {limit} or less, or a less frequent schedule",
        )
    else:
        problems.require(
            runtime <= period * 60,
            "max_runtime_minutes",
            runtime,
            f"a {kind} job must finish before its next run, {period * 60} minutes later",
            f"use {period * 60} or less",
        )


def _check_offsets(problems: Problems, settings: dict, kind: str, argument: str) -> None:
    given = [k for k in ("start_time_offset", "end_time_offset") if k in settings]
    if kind not in GROUND_TRUTH_KINDS:
        for key in given:
            problems.add(
                f"{argument}.{key}",
                settings[key],
                "offsets delay the analysed window for late ground truth, which "
                f"{kind.replace('-', ' ')} does not use (no such field on its endpoint input)",
                "remove it",
            )
        return
    minutes = {}
    for key in given:
        value = settings[key]
        minutes[key] = offset_minutes(value) if isinstance(value, str) else None
        problems.require(
            minutes[key] is not None,
            f"{argument}.{key}",
            value,
            "a time offset is a negative ISO 8601 duration such as -PT24H, -P2D or -PT90M, "
            "at most 15 characters",
            "write it as -PT<hours>H, -P<days>D or -PT<minutes>M",
        )
    if None in minutes.values():
        return
    start, end = time_offsets(settings, _schedule(settings, kind))
    problems.require(
        offset_minutes(start) > offset_minutes(end),
        f"{argument}.start_time_offset",
        start,
        f"the analysed window must start before it ends (end_time_offset {end})",
        "reach further back with start_time_offset than with end_time_offset",
    )
