"""EndpointAlarms: the alarms an on-call engineer needs on every variant of an endpoint."""

from collections.abc import Mapping
from typing import NotRequired, TypedDict, cast

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring import alarm_specs
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems, check_types, settle


class AlarmThresholdsArgs(TypedDict):
    """Thresholds of EndpointAlarms; each has a default for a typical real-time model."""

    errors_5xx_per_minute: NotRequired[float]
    """5XX responses per minute. Default: 5."""
    errors_4xx_per_minute: NotRequired[float]
    """4XX responses per minute (callers sending bad requests). Default: 50."""
    model_latency_p99_ms: NotRequired[float]
    """p99 time the model takes, in milliseconds. Default: 1000."""
    overhead_latency_p99_ms: NotRequired[float]
    """p99 time SageMaker adds around the model, in milliseconds. Default: 200."""
    cpu_percent: NotRequired[float]
    """Average CPU utilization per vCPU of the variant's instances. CloudWatch sums the cores
    (4 vCPUs read 0-400%), so the alarm's threshold is this times the variant's vCPUs.
    Default: 80."""
    memory_percent: NotRequired[float]
    """Average memory utilization. Default: 85."""
    disk_percent: NotRequired[float]
    """Average disk utilization. Default: 85."""


class EndpointAlarmsArgs(TypedDict):
    """Arguments of EndpointAlarms."""

    endpoint_name: pulumi.Input[str]
    """The endpoint the alarms watch (a ModelEndpoint's endpoint_name)."""
    variant_names: pulumi.Input[list[str]]
    """Its production variants (a ModelEndpoint's variant_names); every alarm is dimensioned on
    endpoint and variant. Known when the component is created: there is one alarm per variant."""
    alarm_actions: list[pulumi.Input[str]]
    """Where alarms notify (an AlertTopic's topic_arn); also notified when they recover."""
    thresholds: NotRequired[AlarmThresholdsArgs]
    """Alarm thresholds. Default: see AlarmThresholdsArgs."""
    expect_traffic: NotRequired[bool]
    """Alarm when a variant receives no invocations for 15 minutes. Default: true."""
    instance_metrics: NotRequired[bool]
    """Alarm on CPU, memory and disk of the instances; false for serverless variants, which
    publish none. Default: true."""
    variant_vcpus: NotRequired[dict[str, int]]
    """vCPUs per instance of each variant, which scale the CPU threshold; required with
    instance_metrics. ModelEndpoint.endpoint_alarms_args() fills it from the instance types."""
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for every alarm."""


DEFAULTS: AlarmThresholdsArgs = {
    "errors_5xx_per_minute": 5,
    "errors_4xx_per_minute": 50,
    "model_latency_p99_ms": 1000,
    "overhead_latency_p99_ms": 200,
    "cpu_percent": 80,
    "memory_percent": 85,
    "disk_percent": 85,
}


class EndpointAlarms(pulumi.ComponentResource):
    """Per variant: 5XX and 4XX errors, model and overhead latency (p99), invocations dropping to
    zero, and CPU, memory and disk utilization. Every alarm notifies, and notifies on recovery.

    Missing data is treated per metric: no invocations means no errors and nothing slow
    (notBreaching) for the error and latency alarms, but means exactly the outage the traffic
    alarm looks for (breaching); instance metrics keep their state when briefly missing.
    """

    alarm_names: pulumi.Output[list[str]]
    """Names of every alarm created."""

    def __init__(
        self, name: str, args: EndpointAlarmsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("EndpointAlarms"),
            name,
            None,
            renamed_from("mlrails:monitoring:EndpointAlarms", opts),
        )
        problems = Problems("EndpointAlarms", name)
        settle(args, "variant_names", problems, "there is one alarm per variant")
        check_types(EndpointAlarmsArgs, args, problems)
        # A list once settled; read only when no problem was found.
        variant_names = cast("list[str]", args.get("variant_names"))
        if not problems.found:
            problems.require(
                bool(args["variant_names"]),
                "variant_names",
                [],
                "nothing to watch",
                "name the variants",
            )
            problems.require(
                bool(args["alarm_actions"]),
                "alarm_actions",
                [],
                "alarms must reach someone",
                "pass an AlertTopic's topic_arn",
            )
            given = cast("Mapping[str, float]", args.get("thresholds", {}))  # all floats
            for key, value in given.items():
                problems.require(
                    value > 0, f"thresholds.{key}", value, "thresholds are positive", "raise it"
                )
            if args.get("instance_metrics", True):
                vcpus = args.get("variant_vcpus", {})
                for variant in variant_names:
                    problems.require(
                        isinstance(vcpus.get(variant), int) and vcpus[variant] >= 1,
                        f"variant_vcpus[{variant!r}]",
                        vcpus.get(variant),
                        "the CPU alarm needs the vCPUs of the variant's instances, since "
                        "CloudWatch sums CPUUtilization over them",
                        "pass ModelEndpoint.endpoint_alarms_args(), or variant_vcpus, or set "
                        "instance_metrics false",
                    )
        problems.raise_if_any()
        self._name = name
        self._args = args
        thresholds = {**DEFAULTS, **args.get("thresholds", {})}
        self.alarms: list[aws.cloudwatch.MetricAlarm] = []
        for variant in variant_names:
            for role, definition in alarm_definitions(
                args["endpoint_name"], variant, thresholds, args
            ):
                self.alarms.append(
                    aws.cloudwatch.MetricAlarm(
                        f"{name}-{variant}-{role}",
                        alarm_description=f"{role.replace('-', ' ')} of variant {variant}",
                        alarm_actions=args["alarm_actions"],
                        ok_actions=args["alarm_actions"],
                        tags=args.get("tags"),
                        opts=pulumi.ResourceOptions(parent=self),
                        **definition,
                    )
                )
        self.alarm_names = pulumi.Output.all(*[a.name for a in self.alarms])
        self.register_outputs({"alarm_names": self.alarm_names})


def alarm_definitions(endpoint_name, variant: str, thresholds, args: EndpointAlarmsArgs):
    """(role, MetricAlarm arguments) of every alarm of one variant."""
    ms = alarm_specs.milliseconds_to_microseconds
    yield (
        "5xx-errors",
        alarm_specs.threshold_alarm(
            alarm_specs.errors_5xx(endpoint_name, variant),
            "GreaterThanThreshold",
            thresholds["errors_5xx_per_minute"],
            3,
            2,
            "notBreaching",
        ),
    )
    yield (
        "4xx-errors",
        alarm_specs.threshold_alarm(
            alarm_specs.errors_4xx(endpoint_name, variant),
            "GreaterThanThreshold",
            thresholds["errors_4xx_per_minute"],
            5,
            3,
            "notBreaching",
        ),
    )
    yield (
        "model-latency",
        alarm_specs.threshold_alarm(
            alarm_specs.model_latency(endpoint_name, variant),
            "GreaterThanThreshold",
            ms(thresholds["model_latency_p99_ms"]),
            5,
            3,
            "notBreaching",
        ),
    )
    yield (
        "overhead-latency",
        alarm_specs.threshold_alarm(
            alarm_specs.overhead_latency(endpoint_name, variant),
            "GreaterThanThreshold",
            ms(thresholds["overhead_latency_p99_ms"]),
            5,
            3,
            "notBreaching",
        ),
    )
    if args.get("expect_traffic", True):
        # No data means no invocations: exactly what this alarm is for.
        yield (
            "no-invocations",
            alarm_specs.threshold_alarm(
                alarm_specs.invocations(endpoint_name, variant, period=300),
                "LessThanThreshold",
                1,
                3,
                3,
                "breaching",
            ),
        )
    if args.get("instance_metrics", True):
        for metric, key in (
            ("CPUUtilization", "cpu_percent"),
            ("MemoryUtilization", "memory_percent"),
            ("DiskUtilization", "disk_percent"),
        ):
            # DG monitoring-cloudwatch.md: CPUUtilization is "the sum of each individual CPU
            # core's utilization" (0-400% on four vCPUs); memory and disk are 0-100%.
            # https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
            scale = args["variant_vcpus"][variant] if metric == "CPUUtilization" else 1
            yield (
                metric.removesuffix("Utilization").lower() + "-utilization",
                alarm_specs.threshold_alarm(
                    alarm_specs.utilization(metric, endpoint_name, variant),
                    "GreaterThanThreshold",
                    thresholds[key] * scale,
                    3,
                    3,
                    "missing",
                ),
            )
