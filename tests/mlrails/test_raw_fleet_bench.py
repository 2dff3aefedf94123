"""The Checkov comparison is fair only if the Pulumi program and the Terraform declare the same
fleet: the same resources of each kind, with the same settings the two tools judge."""

from __future__ import annotations

import collections
import re

from bench.raw_fleet_terraform import terraform_files
from mlrails.engine.run import run_program
from mlrails.project import load_project
from tests.conftest import REPO

# Terraform resource type -> the pulumi_aws type token of the same AWS resource.
SAME_RESOURCE = {
    "aws_kms_key": "aws:kms/key:Key",
    "aws_sns_topic": "aws:sns/topic:Topic",
    "aws_sagemaker_model": "aws:sagemaker/model:Model",
    "aws_sagemaker_endpoint_configuration": "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    "aws_sagemaker_endpoint": "aws:sagemaker/endpoint:Endpoint",
    "aws_cloudwatch_metric_alarm": "aws:cloudwatch/metricAlarm:MetricAlarm",
}


def test_the_program_and_the_terraform_declare_the_same_fleet():
    endpoints = 3
    text = "".join(terraform_files(endpoints).values())
    declared = collections.Counter(
        SAME_RESOURCE[kind] for kind in re.findall(r'^resource "(\w+)"', text, flags=re.M)
    )
    project = load_project(REPO / "bench" / "projects" / "raw_fleet", "bench")
    project.config["raw-fleet:endpoints"] = str(endpoints)
    plan = run_program(project)
    registered = collections.Counter(r.type for r in plan.resources if r.type.startswith("aws:"))
    assert registered == declared
    assert sum(declared.values()) == 2 + 5 * endpoints
    # The settings both tools judge: key rotation, encryption at rest, capture, isolation.
    for setting in ("enable_key_rotation = true", "kms_key_arn", "enable_network_isolation = true"):
        assert setting in text
    records = {r.name: r for r in plan.resources}
    assert records["fleet-key"].inputs["enableKeyRotation"] is True
    assert records["config-0"].inputs["kmsKeyArn"]
    assert records["model-0"].inputs["enableNetworkIsolation"] is True
