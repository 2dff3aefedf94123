"""How a failed read is classified: by the AWS error code when there is one, by the bare HTTP
status only when there is not."""

from __future__ import annotations

import botocore.exceptions
import pytest

from mlrails.audit.faults import FAILED, UNSUPPORTED, classify


def client_error(status: int, code: str, message: str) -> botocore.exceptions.ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return botocore.exceptions.ClientError(response, "GetBucketLifecycleConfiguration")


def test_a_404_with_an_aws_error_code_keeps_its_code_and_message():
    error = client_error(404, "NoSuchLifecycleConfiguration", "The lifecycle does not exist")
    assert classify(error) == (
        FAILED,
        "NoSuchLifecycleConfiguration",
        "The lifecycle does not exist",
    )


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (404, "404", "Not Found"),  # no AWS error in the body: botocore's generic code
        (501, "501", "Not Implemented"),
        (400, "400", "<html><body>Unknown action</body></html>"),  # a web page
    ],
    ids=["404", "501", "web-page"],
)
def test_a_bare_http_error_is_an_operation_the_endpoint_does_not_support(status, code, message):
    kind, found_code, found_message = classify(client_error(status, code, message))
    assert (kind, found_code) == (UNSUPPORTED, code)
    assert found_message == f"HTTP {status} without an AWS error: not implemented there"


def test_an_aws_not_implemented_error_is_unsupported_with_its_own_message():
    error = client_error(501, "NotImplemented", "ListMonitoringSchedules is not yet implemented")
    assert classify(error) == (
        UNSUPPORTED,
        "NotImplemented",
        "ListMonitoringSchedules is not yet implemented",
    )


def test_an_error_that_is_not_a_client_error_is_a_failure_named_by_its_type():
    error = botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
    kind, code, message = classify(error)
    assert (kind, code) == (FAILED, "EndpointConnectionError")
    assert "http://127.0.0.1:9" in message
