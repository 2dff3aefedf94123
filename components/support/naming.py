"""Names a component chooses itself, when other resources must know them before creation."""

import hashlib

import pulumi


def stable_name(base: str, max_length: int = 63) -> str:
    """`base` and a suffix stable per project and stack: unique across stacks, known in advance."""
    digest = hashlib.sha256(
        f"{pulumi.get_project()}/{pulumi.get_stack()}/{base}".encode()
    ).hexdigest()[:7]
    return f"{base[: max_length - 8]}-{digest}"
