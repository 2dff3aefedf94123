"""OpenSourceMonitor: the monitoring backend for accounts without SageMaker Model Monitor.

Model Monitor is closed to new AWS customers; the replacement AWS documents is open-source drift
and quality analysis run in the account on a schedule, publishing CloudWatch metrics with alarms
(developer guide, "Amazon SageMaker Model Monitor availability change",
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-availability-change.html). This
component declares that: an EventBridge Scheduler schedule invoking a Lambda function that runs
the repository's monitoring job (monitoring_job/, an Evidently run over the endpoint's data
capture) from a container image, least-privilege roles for both, alarms on the metrics the job
publishes, and a dashboard. Feature-attribution drift, where enabled, is the job's Clarify-free
surrogate (mlrails_monitoring_job.attribution), not SHAP. The function's ENDPOINT_NAME environment variable links it to the
endpoint it watches (the sagemaker-endpoint-monitored rule reads it).
"""

import json

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring import alarm_specs, job_metrics, open_source_access
from mlrails_components.monitoring.open_source_args import OpenSourceMonitorArgs
from mlrails_components.monitoring.open_source_settings import job_environment
from mlrails_components.monitoring.open_source_validation import validated
from mlrails_components.support.aws import aws_context
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tokens import token
from mlrails_monitoring_job import metric_names as names

# EventBridge Scheduler cron has six fields (minutes hours day-of-month month day-of-week year;
# Scheduler user guide, "Schedule types", cron expressions). Runs start five minutes past the
# hour: capture reaches S3 a few minutes after the requests (developer guide, View Captured Data).
SCHEDULES = {"hourly": ("cron(5 * * * ? *)", 1), "daily": ("cron(5 0 * * ? *)", 24)}
LOG_RETENTION_DAYS = 365  # a year of run logs, for post-market monitoring records


class OpenSourceMonitor(pulumi.ComponentResource):
    """A scheduled Lambda run of the monitoring job on one endpoint, its alarms and dashboard."""

    function_name: pulumi.Output[str]
    """Name of the job's Lambda function."""
    role_arn: pulumi.Output[str]
    """ARN of the role the job runs as."""
    schedule_names: pulumi.Output[list[str]]
    """Name of the schedule that runs the job."""

    def __init__(
        self, name: str, args: OpenSourceMonitorArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(token("OpenSourceMonitor"), name, None, opts)
        args = validated(name, args)
        self._name = name
        self._args = args
        self._tags = args.get("tags")
        self._context = aws_context(self)
        self._namespace = args["metric_namespace"]
        self._schedule, self._window_hours = SCHEDULES[args["schedule"]]
        self.monitor_name = stable_name(name, 64)  # Lambda function names: at most 64 characters
        self.role = self._create_role()
        self.function = self._create_function()
        self.schedule = self._create_schedule()
        self.alarms = self._create_alarms()
        self.dashboard = self._create_dashboard()
        self.function_name = self.function.name
        self.role_arn = self.role.arn
        self.schedule_names = pulumi.Output.all(self.schedule.name)
        self.register_outputs(
            {
                "function_name": self.function_name,
                "role_arn": self.role_arn,
                "schedule_names": self.schedule_names,
            }
        )

    def _child(self, **options) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **options)

    @property
    def _log_group_name(self) -> str:
        # Lambda writes to /aws/lambda/<function name> unless told otherwise (Lambda developer
        # guide, "Sending Lambda function logs to CloudWatch Logs").
        return f"/aws/lambda/{self.monitor_name}"

    def _create_role(self) -> aws.iam.Role:
        args = self._args
        role = aws.iam.Role(
            f"{self._name}-role",
            assume_role_policy=open_source_access.trust_policy(self._context, "lambda"),
            description=f"Monitoring job of {self._name}",
            tags=self._tags,
            opts=self._child(),
        )
        quality = args.get("model_quality")
        output_key = args["output_kms_key_arn"]
        dq = args["data_quality"]
        reads = [(dq["baseline_dataset_uri"], dq["baseline_kms_key_arn"])]
        lists = []
        if quality:
            gt = pulumi.Output.from_input(quality["ground_truth_s3_uri"]).apply(
                lambda u: u.rstrip("/") + "/"
            )
            reads.append((gt, quality["ground_truth_kms_key_arn"]))
            lists.append(gt)
        capture = pulumi.Output.from_input(args["data_capture_s3_uri"]).apply(
            lambda u: u.rstrip("/")
        )
        endpoint_capture = pulumi.Output.concat(capture, "/", args["endpoint_name"], "/")
        log_group_arn = self._context.arn("logs", f"log-group:{self._log_group_name}")
        policy = pulumi.Output.all(
            endpoint_capture,
            args["data_capture_kms_key_arn"],
            [pulumi.Output.all(uri, key) for uri, key in reads],
            lists,
            args["output_s3_uri"],
            output_key,
        ).apply(
            lambda v: open_source_access.job_policy(
                self._context,
                capture_uri=v[0],
                capture_key=v[1],
                reads=[tuple(pair) for pair in v[2]],
                lists=v[3],
                output_uri=v[4],
                output_key=v[5],
                namespace=self._namespace,
                log_group_arn=log_group_arn,
            )
        )
        self.role_policy = aws.iam.RolePolicy(
            f"{self._name}-role-policy", role=role.id, policy=policy, opts=self._child()
        )
        return role

    def _create_function(self) -> aws.lambda_.Function:
        logs = aws.cloudwatch.LogGroup(
            f"{self._name}-logs",
            name=self._log_group_name,
            retention_in_days=LOG_RETENTION_DAYS,
            tags=self._tags,
            opts=self._child(),
        )
        return aws.lambda_.Function(
            f"{self._name}-function",
            name=self.monitor_name,
            description=f"Drift, quality and bias monitoring of {self._name}",
            package_type="Image",
            image_uri=self._args["job_image_uri"],
            role=self.role.arn,
            memory_size=self._args["memory_size_mb"],
            timeout=self._args["timeout_seconds"],
            environment=job_environment(
                self._args, self.monitor_name, self._window_hours, self._namespace
            ),
            tags=self._tags,
            opts=self._child(depends_on=[logs, self.role_policy]),
        )

    def _create_schedule(self) -> aws.scheduler.Schedule:
        function_arn = self._context.arn("lambda", f"function:{self.monitor_name}")
        role = aws.iam.Role(
            f"{self._name}-scheduler-role",
            assume_role_policy=open_source_access.trust_policy(self._context, "scheduler"),
            description=f"EventBridge Scheduler runs the monitoring job of {self._name}",
            tags=self._tags,
            opts=self._child(),
        )
        policy = aws.iam.RolePolicy(
            f"{self._name}-scheduler-role-policy",
            role=role.id,
            policy=open_source_access.scheduler_policy(function_arn),
            opts=self._child(),
        )
        return aws.scheduler.Schedule(
            f"{self._name}-schedule",
            name=self.monitor_name,  # Scheduler names: at most 64 characters (botocore scheduler)
            schedule_expression=self._schedule,
            schedule_expression_timezone="UTC",
            flexible_time_window={"mode": "OFF"},
            target={
                "arn": self.function.arn,
                "role_arn": role.arn,
                # The scheduled time, so a retried run analyses the same window (Scheduler user
                # guide, "Adding context attributes").
                "input": json.dumps({"scheduled_time": "<aws.scheduler.scheduled-time>"}),
                "retry_policy": {"maximum_retry_attempts": 2, "maximum_event_age_in_seconds": 3600},
            },
            opts=self._child(depends_on=[policy]),
        )

    def _alarm(self, suffix: str, description: str, spec, anomaly_band: float | None = None):
        actions = self._args["alarm_actions"]
        # No data means no run finished in the period: the job-errors alarm covers failures.
        condition = (
            job_metrics.anomaly_alarm(spec, anomaly_band)
            if anomaly_band is not None
            else alarm_specs.threshold_alarm(
                spec, "GreaterThanOrEqualToThreshold", 1.0, 1, 1, "notBreaching"
            )
        )
        return aws.cloudwatch.MetricAlarm(
            f"{self._name}-{suffix}",
            alarm_description=description,
            **condition,
            alarm_actions=actions,
            ok_actions=actions,
            tags=self._tags,
            opts=self._child(),
        )

    def _create_alarms(self) -> list[aws.cloudwatch.MetricAlarm]:
        endpoint, monitor = self._args["endpoint_name"], self.monitor_name
        period = self._window_hours * 3600
        findings = [(names.DATASET_DRIFT, "drift", "Dataset drift")]
        if "feature_attribution" in self._args:
            findings.append(
                (names.FEATURE_ATTRIBUTION_DRIFT, "attribution", "Feature-attribution drift")
            )
        if "model_quality" in self._args:
            findings.append(
                (names.MODEL_QUALITY_VIOLATION, "quality", "Model quality below baseline")
            )
        if "model_bias" in self._args:
            findings.append((names.BIAS_VIOLATION, "bias", "A segment's quality gap"))
        alarms = [
            self._alarm(
                suffix,
                f"{text} at {self._name}",
                job_metrics.finding(self._namespace, metric, endpoint, monitor, period),
            )
            for metric, suffix, text in findings
        ]
        for feature in sorted(self._args["data_quality"]["drift_thresholds"]):
            spec = job_metrics.feature_drift(self._namespace, endpoint, monitor, feature, period)
            alarms.append(
                self._alarm(f"drift-{feature}", f"Drift of {feature} at {self._name}", spec)
            )
        dq = self._args["data_quality"]
        for feature in sorted(dq["anomaly_detection_features"]):
            spec = job_metrics.feature_drift_score(
                self._namespace, endpoint, monitor, feature, period
            )
            alarms.append(
                self._alarm(
                    f"drift-anomaly-{feature}",
                    f"Unusual drift score of {feature} at {self._name}",
                    spec,
                    anomaly_band=dq["anomaly_band_stddev"],
                )
            )
        errors = job_metrics.function_errors(self.monitor_name, period)
        alarms.append(self._alarm("job-errors", f"Monitoring run of {self._name} failed", errors))
        return alarms

    def _create_dashboard(self) -> aws.cloudwatch.Dashboard:
        attribution = "feature_attribution" in self._args
        metrics = [names.DATASET_DRIFT]
        metrics += [names.FEATURE_ATTRIBUTION_DRIFT] if attribution else []
        metrics += [names.MODEL_QUALITY_VIOLATION] if "model_quality" in self._args else []
        metrics += [names.BIAS_VIOLATION] if "model_bias" in self._args else []
        features = sorted(self._args["data_quality"]["drift_thresholds"])
        body = pulumi.Output.from_input(self._args["endpoint_name"]).apply(
            lambda endpoint: json.dumps(
                job_metrics.dashboard_body(
                    self._namespace,
                    endpoint,
                    self.monitor_name,
                    self._context.region,
                    self._window_hours * 3600,
                    metrics,
                    features,
                    attribution,
                )
            )
        )
        return aws.cloudwatch.Dashboard(
            f"{self._name}-dashboard",
            dashboard_name=self.monitor_name,
            dashboard_body=body,
            opts=self._child(),
        )
