"""Names a component chooses itself, when other resources must know them before creation."""

import hashlib

import pulumi


def stable_name(base: str, max_length: int = 63) -> str:
    """`base` and a suffix stable per project and stack: unique across stacks, known in advance.

    For names AWS scopes to an account and Region (or account), which several stacks and
    projects share. `base` is cut to fit `max_length` (63: SageMaker's EntityName,
    MonitoringScheduleName and MonitoringJobDefinitionName, botocore sagemaker 2017-07-24); the
    suffix hashes the whole `base`, so two long names that share their start still differ.
    """
    digest = hashlib.sha256(
        f"{pulumi.get_project()}/{pulumi.get_stack()}/{base}".encode()
    ).hexdigest()[:7]
    return f"{base[: max_length - 8]}-{digest}"
