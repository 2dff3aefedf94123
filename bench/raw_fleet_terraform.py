"""The raw fleet of bench/projects/raw_fleet as Terraform, for Checkov: the same resources with
the same arguments (one KMS key, one SNS topic; per endpoint a model, an endpoint configuration,
an endpoint and two alarms), written out block by block as a program's loop unrolls them."""

from __future__ import annotations

from pathlib import Path

# The values bench/projects/raw_fleet/__main__.py uses.
ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310"
TAGS = {"owner": "ml-platform", "cost-center": "42", "data-classification": "internal"}
ALARMS = (("Invocation5XXErrors", 1, "Sum"), ("ModelLatency", 500000, "Average"))

_HEADER = """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "fleet_key" {
  enable_key_rotation = true
  tags = %(tags)s
}

resource "aws_sns_topic" "fleet_alerts" {
  kms_master_key_id = aws_kms_key.fleet_key.arn
  tags = %(tags)s
}
"""

_ENDPOINT = """
resource "aws_sagemaker_model" "model_%(i)d" {
  execution_role_arn       = "%(role)s"
  enable_network_isolation = true
  primary_container {
    image          = "%(image)s"
    model_data_url = "s3://fleet-models/%(i)d/model.tar.gz"
  }
  tags = %(tags)s
}

resource "aws_sagemaker_endpoint_configuration" "config_%(i)d" {
  kms_key_arn = aws_kms_key.fleet_key.arn
  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.model_%(i)d.name
    initial_instance_count = 2
    instance_type          = "ml.m5.large"
  }
  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 100
    destination_s3_uri          = "s3://fleet-capture/%(i)d"
    kms_key_id                  = aws_kms_key.fleet_key.arn
    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
  tags = %(tags)s
}

resource "aws_sagemaker_endpoint" "endpoint_%(i)d" {
  endpoint_config_name = aws_sagemaker_endpoint_configuration.config_%(i)d.name
  tags = %(tags)s
}
"""

_ALARM = """
resource "aws_cloudwatch_metric_alarm" "endpoint_%(i)d_%(label)s" {
  alarm_name          = "endpoint-%(i)d-%(label)s"
  namespace           = "AWS/SageMaker"
  metric_name         = "%(metric)s"
  dimensions = {
    EndpointName = aws_sagemaker_endpoint.endpoint_%(i)d.name
    VariantName  = "primary"
  }
  statistic           = "%(statistic)s"
  period              = 60
  evaluation_periods  = 1
  threshold           = %(threshold)d
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.fleet_alerts.arn]
  tags = %(tags)s
}
"""


def _tags() -> str:
    pairs = "\n".join(f'    "{key}" = "{value}"' for key, value in TAGS.items())
    return "{\n" + pairs + "\n  }"


# Endpoints per .tf file. Checkov gives up on a file it cannot parse in 10 seconds
# (HCL_PARSE_TIMEOUT_SEC in checkov/terraform/parser_utils.py, 3.3.30), and a Terraform project
# of this size is split into files anyway.
ENDPOINTS_PER_FILE = 25


def _endpoint(i: int, tags: str) -> str:
    parts = [_ENDPOINT % {"i": i, "role": ROLE, "image": IMAGE, "tags": tags}]
    for metric, threshold, statistic in ALARMS:
        values = {"metric": metric, "threshold": threshold, "statistic": statistic}
        parts.append(_ALARM % {"i": i, "label": metric.lower(), "tags": tags, **values})
    return "".join(parts)


def terraform_files(endpoints: int) -> dict[str, str]:
    """The fleet's .tf files by name: 2 + 5 * endpoints resources."""
    tags = _tags()
    files = {"main.tf": _HEADER % {"tags": tags}}
    for start in range(0, endpoints, ENDPOINTS_PER_FILE):
        stop = min(start + ENDPOINTS_PER_FILE, endpoints)
        body = "".join(_endpoint(i, tags) for i in range(start, stop))
        files[f"endpoints_{start:04d}.tf"] = body
    return files


def write(directory: Path, endpoints: int) -> Path:
    """Write the fleet into `directory` (emptied of .tf files first)."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.tf"):
        old.unlink()
    for name, text in terraform_files(endpoints).items():
        (directory / name).write_text(text)
    return directory
