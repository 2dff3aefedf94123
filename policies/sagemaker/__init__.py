"""Rules for SageMaker endpoints, models, model cards and model monitoring."""
