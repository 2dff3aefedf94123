"""The job's tests run against the same moto server the audit's tests start (tests/audit)."""

from tests.audit.conftest import aws, aws_env, moto_url  # noqa: F401  (fixtures, reused)
from tests.monitoring_job.runs import account  # noqa: F401  (fixture)
