"""What an audit could not read, and why: faults are results, never crashes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import botocore.exceptions

DENIED = "denied"
THROTTLED = "throttled"
UNSUPPORTED = "unsupported"
DELETED = "deleted"
FAILED = "failed"

_DENIED_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "AuthorizationError",
    "AuthorizationErrorException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
}
_THROTTLED_CODES = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
}
_NOT_FOUND_CODES = {
    "ResourceNotFound",
    "ResourceNotFoundException",
    "NoSuchEntity",
    "NotFound",
    "NotFoundException",
    "NoSuchBucket",
    "ResourceNotFoundFault",
}
_UNSUPPORTED_CODES = {"NotImplemented", "InvalidAction", "UnknownOperationException"}


@dataclass(frozen=True)
class Fault:
    """One read that failed. `resource` is the ARN it was about (None for a listing); `types`
    are the resource types it left unread, which decides the rules it leaves not evaluated."""

    operation: str
    kind: str
    code: str
    message: str
    resource: str | None
    types: tuple[str, ...]

    @property
    def blocks_completeness(self) -> bool:
        """A resource deleted during the scan is simply gone; everything else leaves a gap."""
        return self.kind != DELETED

    def describe(self) -> str:
        what = {
            DENIED: "was denied",
            THROTTLED: "was throttled beyond the retries",
            UNSUPPORTED: "is not supported by the endpoint",
            DELETED: "found the resource deleted during the scan",
            FAILED: "failed",
        }[self.kind]
        return f"{self.operation} {what} ({self.code}: {self.message})"

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "resource": self.resource,
            "types": list(self.types),
        }


def classify(error: BaseException) -> tuple[str, str, str]:
    """(kind, code, message) of an error raised by a boto3 call (or by a reader's own code)."""
    if isinstance(error, botocore.exceptions.ClientError):
        details = error.response.get("Error", {})
        code = str(details.get("Code") or "Unknown")
        message = _one_line(details.get("Message") or str(error))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _DENIED_CODES or status == 403:
            return DENIED, code, message
        if code in _THROTTLED_CODES:
            return THROTTLED, code, message
        if code in _NOT_FOUND_CODES or _validation_not_found(code, message):
            return DELETED, code, message
        if code in _UNSUPPORTED_CODES:
            return UNSUPPORTED, code, message
        # An emulator or a partition without the operation answers with a bare HTTP error: a
        # body that is no AWS error, or none, for which botocore makes the status the code. A
        # 404 with an AWS code of its own (NoSuchLifecycleConfiguration) is that error instead.
        web_page = message.lstrip().startswith("<")
        if web_page or (status in (404, 501) and code == str(status)):
            return UNSUPPORTED, code, f"HTTP {status} without an AWS error: not implemented there"
        return FAILED, code, message
    return FAILED, type(error).__name__, _one_line(str(error))


def _validation_not_found(code: str, message: str) -> bool:
    # SageMaker reports a missing resource as a ValidationException ("Could not find ...").
    lowered = message.lower()
    return code == "ValidationException" and (
        "could not find" in lowered or "does not exist" in lowered
    )


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= 200 else line[:197] + "..."
