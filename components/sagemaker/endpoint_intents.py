"""ModelEndpoint's intent methods: what other components and roles need of an endpoint
(monitoring and alarm arguments, metrics, an invoke grant), without hand-written IAM or
dimensions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from mlrails_components.monitoring import alarm_specs
from mlrails_components.sagemaker import instance_facts
from mlrails_components.sagemaker.args import VariantArgs
from mlrails_components.sagemaker.execution_role import invoke_policy
from mlrails_components.support.aws import AwsContext, role_grant_target


class EndpointIntents:
    """Mixed into ModelEndpoint, which sets these attributes before any method is called."""

    # Declared for the type checker only: Pulumi's component analyzer reads a component's class
    # annotations, inherited ones too, as its outputs.
    if TYPE_CHECKING:
        _name: str
        _endpoint_name: str
        _context: AwsContext
        _serverless: bool
        _variants: list[VariantArgs]
        _capture: tuple[Any, Any] | None
        endpoint: aws.sagemaker.Endpoint

        def _child(self, **options: Any) -> pulumi.ResourceOptions: ...

    @property
    def data_capture_enabled(self) -> bool:
        return self._capture is not None

    def monitoring_args(self) -> dict[str, Any]:
        """The endpoint part of ModelMonitorArgs: its name and where it captures data."""
        destination, key = self._capture if self._capture else (None, None)
        return {
            "endpoint_name": self.endpoint.name,
            "data_capture_enabled": self.data_capture_enabled,
            "data_capture_s3_uri": destination or "",
            "data_capture_kms_key_arn": key or "",
        }

    def alarm_args(self) -> dict[str, Any]:
        """The endpoint part of EndpointAlarmsArgs and EndpointDashboardArgs."""
        return {
            "endpoint_name": self.endpoint.name,
            "variant_names": [v["name"] for v in self._variants],
        }

    def endpoint_alarms_args(self) -> dict[str, Any]:
        """The endpoint part of EndpointAlarmsArgs: alarm_args(), whether instances publish
        utilization, and each variant's vCPUs (so the CPU threshold is per vCPU)."""
        if self._serverless:
            return {**self.alarm_args(), "instance_metrics": False}
        vcpus = {v["name"]: instance_facts.vcpus(v["instance_type"]) for v in self._variants}
        return {
            **self.alarm_args(),
            "variant_vcpus": {name: count for name, count in vcpus.items() if count is not None},
        }

    def metric_invocations(self, variant: str) -> alarm_specs.MetricSpec:
        """Invocations of a variant per minute (Sum)."""
        return alarm_specs.invocations(self._endpoint_name, variant)

    def metric_model_latency(self, variant: str, percentile: str = "p99") -> alarm_specs.MetricSpec:
        """Model latency of a variant at a percentile, in microseconds."""
        return alarm_specs.model_latency(self._endpoint_name, variant, percentile)

    def metric_5xx_errors(self, variant: str) -> alarm_specs.MetricSpec:
        """5XX responses of a variant per minute (Sum)."""
        return alarm_specs.errors_5xx(self._endpoint_name, variant)

    def grant_invoke(self, role, *, name: str | None = None) -> aws.iam.RolePolicy:
        """Let `role` invoke this endpoint (synchronously and asynchronously), nothing else."""
        label, role_name = role_grant_target(
            f"ModelEndpoint {self._name!r}", "grant_invoke", role, name
        )
        return aws.iam.RolePolicy(
            f"{self._name}-invoke-{label}",
            role=role_name,
            policy=invoke_policy(self._invoke_arn()),
            opts=self._child(),
        )

    def _invoke_arn(self) -> str:
        # SageMaker ARNs carry the lower-cased name: known now, so the grant shows in a preview.
        return self._context.arn("sagemaker", f"endpoint/{self._endpoint_name.lower()}")
