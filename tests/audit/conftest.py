"""A real AWS API emulator for the audit: a moto server on 127.0.0.1 (`bench.emulator`, which
the audit's bench starts too), started by the tests.

`aws` hands out boto3 clients bound to it (fake credentials, us-east-1); every test starts from
an empty account. `faulty` is a small HTTP proxy in front of the server that injects the faults
a real account produces (denied calls, throttling, resources vanishing mid-scan) and records
every operation the audit calls.
"""

from __future__ import annotations

import os
import urllib.request

import boto3
import pytest

from bench.emulator import moto_server
from mlrails.audit.clients import READS
from mlrails.audit.scan import Scan
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
def reader_calls(monkeypatch):
    """Every (service, operation) the audit's readers call during the test."""
    calls: set[tuple[str, str]] = set()
    call = Scan.call

    def recorded(scan, service, operation, **params):
        calls.add((service, operation))
        return call(scan, service, operation, **params)

    monkeypatch.setattr(Scan, "call", recorded)
    return calls


def outside_the_allow_list(calls: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The calls the clients' allow-list does not name."""
    return {(service, op) for service, op in calls if op not in READS.get(service, ())}
