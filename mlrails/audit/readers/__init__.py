"""The readers of an audit, one module per AWS service."""

from __future__ import annotations

from mlrails.audit.readers import cloudwatch, iam, kms, s3, sagemaker, sns
from mlrails.audit.scan import Reader

READERS: list[Reader] = [
    *sagemaker.READERS,
    *cloudwatch.READERS,
    *s3.READERS,
    *kms.READERS,
    *sns.READERS,
    *iam.READERS,
]
