"""The open-source monitoring job of mlrails: drift, model quality and bias of a SageMaker
endpoint, computed from its data capture with Evidently, published as CloudWatch metrics and an
HTML/JSON report. Runs as a Lambda function (`handler.handler`) or from the command line
(`python -m mlrails_monitoring_job`)."""

from mlrails_monitoring_job.errors import JobInputError

__all__ = ["JobInputError"]
