"""A real AWS API emulator for the audit: a moto server on 127.0.0.1 (`bench.emulator`, which
the audit's bench starts too), started by the tests.

`aws` hands out boto3 clients bound to it (fake credentials, us-east-1); every test starts from
an empty account. `faulty` is a small HTTP proxy in front of the server that injects the faults
a real account produces (denied calls, throttling, resources vanishing mid-scan) and records
every operation the audit calls.
"""

from __future__ import annotations

import math
import os
import threading
import urllib.request
from types import SimpleNamespace

import boto3
import botocore.endpoint
import botocore.retries.bucket
import pytest
from botocore.client import BaseClient

import mlrails.audit.clients
from bench.emulator import moto_server
from mlrails.audit.clients import READS
from tests.audit.fault_proxy import FaultProxy

REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="session")
def moto_url():
    with moto_server() as server:
        yield server.url


@pytest.fixture
def aws_env(monkeypatch):
    """No real credentials, profile or region can leak into a test."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def aws(moto_url, aws_env):
    """boto3 clients on the emulator, for setting up the account under audit."""
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10)

    def client(service: str):
        return boto3.client(service, endpoint_url=moto_url, region_name=REGION)

    client.url = moto_url
    return client


@pytest.fixture
def faulty(aws):
    """A fault-injecting proxy in front of the emulator; its URL goes to --endpoint-url."""
    proxy = FaultProxy(aws.url)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture
def api_calls(mocker):
    """api_calls() starts watching botocore's one path to the wire, every client's
    `BaseClient._make_api_call`, and returns a function giving the (service, operation) pairs
    called since, refused ones included. Start it after the test's own set-up writes."""

    def start():
        spy = mocker.spy(BaseClient, "_make_api_call")

        def made() -> set[tuple[str, str]]:
            return {
                (call.args[0].meta.service_model.service_name, call.args[1])
                for call in spy.call_args_list
            }

        return made

    return start


def outside_the_allow_list(calls: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The calls the clients' allow-list does not name."""
    return {(service, op) for service, op in calls if op not in READS.get(service, ())}


class AuditClock:
    """Time that passes only when the audit waits, so a test sees every wait without waiting.

    botocore waits in two places during retries: the backoff between attempts
    (`botocore/endpoint.py` calls `time.sleep` with the retry handler's delay) and, in the
    adaptive mode the audit uses, the client-side rate limiter's token bucket
    (`botocore/retries/bucket.py` reads `Clock().current_time()` and waits on a
    `threading.Condition`). The audit's --deadline reads `time.monotonic()`.
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.backoffs: list[float] = []
        self.rate_limited: list[float] = []

    def current_time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def backoff(self, seconds: float) -> None:
        self.backoffs.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(mocker):
    """The audit's clock: botocore's retry waits and the deadline all read an AuditClock."""
    audit_clock = AuditClock()

    class RateLimitWait(threading.Condition):
        def wait(self, timeout=None):
            audit_clock.rate_limited.append(timeout)
            # Rounded up to a microsecond: the bucket waits again until its refill covers the
            # token, and a step too small to change `now` would never get it there.
            audit_clock.sleep(math.ceil(timeout * 1e6) / 1e6)
            return False

    # Only these modules' references are replaced: threads elsewhere keep the real clock.
    mocker.patch.object(botocore.endpoint, "time", SimpleNamespace(sleep=audit_clock.backoff))
    mocker.patch.object(botocore.retries.bucket, "Clock", return_value=audit_clock)
    mocker.patch.object(
        botocore.retries.bucket,
        "threading",
        SimpleNamespace(Lock=threading.Lock, Condition=RateLimitWait),
    )
    mocker.patch.object(
        mlrails.audit.clients, "time", SimpleNamespace(monotonic=audit_clock.current_time)
    )
    return audit_clock
