"""ModelMonitor: scheduled data quality, model quality, bias and explainability monitoring."""

import json

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring import alarm_specs
from mlrails_components.monitoring.model_monitor_access import MonitorAccess, monitor_policy
from mlrails_components.monitoring.model_monitor_args import ModelMonitorArgs
from mlrails_components.monitoring.model_monitor_defaults import Job
from mlrails_components.monitoring.model_monitor_jobs import BUILDERS, JobContext
from mlrails_components.monitoring.model_monitor_validation import validated
from mlrails_components.monitoring.monitor_images import monitor_image
from mlrails_components.support.aws import aws_context, sagemaker_trust_policy
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tokens import renamed_from, token


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
        self._monitor = validated(name, args)
        self._context = aws_context(self)
        self._args = args
        self._tags = args.get("tags")
        self.role = None if "role_arn" in args else self._create_role()
        role_arn = self.role.arn if self.role else pulumi.Output.from_input(args["role_arn"])
        self.schedules: dict[str, aws.sagemaker.MonitoringSchedule] = {}
        for job in self._monitor.jobs:
            definition = self._create_job_definition(job, role_arn)
            self.schedules[job.kind.name] = self._create_schedule(job, definition)
            self._create_violations_rule(job.kind.name)
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

    def _image(self, job: Job) -> str:
        return monitor_image("clarify" if job.kind.clarify else "model-monitor", self._context)

    # --- jobs --------------------------------------------------------------------------------

    def _create_job_definition(
        self, job: Job, role_arn: pulumi.Output[str]
    ) -> pulumi.CustomResource:
        context = JobContext(self._name, self._monitor, role_arn, self._image(job), self._child())
        return BUILDERS[job.kind.name](job, context)

    def _create_schedule(
        self, job: Job, definition: pulumi.CustomResource
    ) -> aws.sagemaker.MonitoringSchedule:
        kind = job.kind.name
        assert job.expression is not None  # validation refused a schedule without one
        # pulumi-aws names its job definitions `name`; pulumi-aws-native `job_definition_name`.
        definition_name = (
            definition.name
            if isinstance(definition, aws.sagemaker.DataQualityJobDefinition)
            else definition.job_definition_name  # type: ignore[attr-defined]  # every pulumi-aws-native job definition has it
        )
        return aws.sagemaker.MonitoringSchedule(
            f"{self._name}-{kind}-schedule",
            name=self._resource_name(f"{kind}-schedule"),
            monitoring_schedule_config={
                "monitoring_job_definition_name": definition_name,
                "monitoring_type": job.kind.monitoring_type,
                "schedule_config": {"schedule_expression": job.expression},
            },
            tags=self._tags,
            opts=self._child(depends_on=[definition]),
        )

    # --- alerting ----------------------------------------------------------------------------

    def _create_violations_rule(self, kind: str) -> None:
        actions = self._monitor.alarm_actions
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
        schedule = self._resource_name("data-quality-schedule")
        for feature, threshold in self._monitor.drift_thresholds.items():
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
                alarm_actions=self._monitor.alarm_actions,
                ok_actions=self._monitor.alarm_actions,
                tags=self._tags,
                opts=self._child(),
            )

    # --- role --------------------------------------------------------------------------------

    def _create_role(self) -> aws.iam.Role:
        role = aws.iam.Role(
            f"{self._name}-role",
            assume_role_policy=sagemaker_trust_policy(self._context),
            description=f"Model Monitor jobs of {self._name}",
            tags=self._tags,
            opts=self._child(),
        )
        jobs = self._monitor.jobs
        baselines = [
            job.settings[key]
            for job in jobs
            for key in (
                "baseline_constraints_uri",
                "baseline_statistics_uri",
                "analysis_config_uri",
            )
            if key in job.settings
        ]
        ground_truth = [
            job.settings["ground_truth_s3_uri"]
            for job in jobs
            if "ground_truth_s3_uri" in job.settings
        ]
        args = self._args
        images = sorted({self._image(job) for job in jobs})
        shadow_endpoints = any(job.kind.name == "model-explainability" for job in jobs)
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
                    shadow_endpoints=shadow_endpoints,
                ),
            )
        )
        aws.iam.RolePolicy(
            f"{self._name}-role-policy", role=role.id, policy=policy, opts=self._child()
        )
        return role
