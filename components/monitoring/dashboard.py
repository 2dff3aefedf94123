"""EndpointDashboard: one CloudWatch dashboard per endpoint, its body built as plain data."""

import json
from collections.abc import Callable
from typing import Any, NotRequired, TypedDict, cast

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring import alarm_specs
from mlrails_components.support.aws import aws_context
from mlrails_components.support.naming import stable_name
from mlrails_components.support.tokens import renamed_from, token
from mlrails_components.support.validation import Problems, check_types, settle


class EndpointDashboardArgs(TypedDict):
    """Arguments of EndpointDashboard."""

    endpoint_name: pulumi.Input[str]
    """The endpoint shown."""
    variant_names: pulumi.Input[list[str]]
    """Its variants (a ModelEndpoint's variant_names); every graph has one line per variant."""
    monitoring_schedule_name: NotRequired[pulumi.Input[str]]
    """A data quality schedule (ModelMonitor's) whose drift metrics are shown. Default: none."""
    drift_features: NotRequired[list[str]]
    """Features whose baseline drift is graphed. Default: none."""


class EndpointDashboard(pulumi.ComponentResource):
    """Invocations, latency percentiles, errors and utilization per variant, and monitoring drift."""

    dashboard_name: pulumi.Output[str]
    """Name of the dashboard."""

    def __init__(
        self, name: str, args: EndpointDashboardArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            token("EndpointDashboard"),
            name,
            None,
            renamed_from("mlrails:monitoring:EndpointDashboard", opts),
        )
        problems = Problems("EndpointDashboard", name)
        settle(args, "variant_names", problems, "every graph has one line per variant")
        check_types(EndpointDashboardArgs, args, problems)
        problems.require(
            not problems.found and bool(args["variant_names"]),
            "variant_names",
            args.get("variant_names"),
            "a dashboard needs variants to show",
            "name them",
        )
        problems.raise_if_any()
        region = aws_context(self).region
        body = pulumi.Output.all(args["endpoint_name"], args.get("monitoring_schedule_name")).apply(
            lambda values: json.dumps(
                dashboard_body(
                    values[0],
                    cast("list[str]", args["variant_names"]),  # settled above
                    region,
                    values[1],
                    args.get("drift_features", []),
                )
            )
        )
        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=stable_name(name),
            dashboard_body=body,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dashboard_name = self.dashboard.dashboard_name
        self.register_outputs({"dashboard_name": self.dashboard_name})


def dashboard_body(
    endpoint: str, variants: list[str], region: str, schedule: str | None, features: list[str]
) -> dict[str, Any]:
    """The CloudWatch dashboard document: a grid of metric widgets, two per row."""

    def per_variant(metric: Callable[..., alarm_specs.MetricSpec]) -> list[list[Any]]:
        return [metric(endpoint, v).widget_row(v) for v in variants]

    def utilization(*metrics: str) -> list[list[Any]]:
        return [
            alarm_specs.utilization(m, endpoint, v).widget_row(v) for m in metrics for v in variants
        ]

    widgets = [
        ("Invocations per minute", per_variant(alarm_specs.invocations), 60),
        (
            "Model latency p50 / p90 / p99 (µs)",
            [
                alarm_specs.model_latency(endpoint, v, p).widget_row(f"{v} {p}")
                for p in ("p50", "p90", "p99")
                for v in variants
            ],
            60,
        ),
        ("5XX errors per minute", per_variant(alarm_specs.errors_5xx), 60),
        ("4XX errors per minute", per_variant(alarm_specs.errors_4xx), 60),
        ("CPU utilization (%)", utilization("CPUUtilization"), 300),
        (
            "Memory and disk utilization (%)",
            utilization("MemoryUtilization", "DiskUtilization"),
            300,
        ),
    ]
    if schedule and features:
        widgets.append(
            (
                "Baseline drift per feature (data quality monitor)",
                [alarm_specs.feature_drift(endpoint, schedule, f).widget_row(f) for f in features],
                3600,
            )
        )
    return {
        "widgets": [
            {
                "type": "metric",
                "x": (index % 2) * 12,
                "y": (index // 2) * 6,
                "width": 12,
                "height": 6,
                "properties": {
                    "title": title,
                    "region": region,
                    "view": "timeSeries",
                    "stacked": False,
                    "period": period,
                    "metrics": metrics,
                },
            }
            for index, (title, metrics, period) in enumerate(widgets)
        ]
    }
