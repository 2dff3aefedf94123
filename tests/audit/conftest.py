"""A real AWS API emulator for the audit: a moto server on 127.0.0.1, started by the tests.

`aws` hands out boto3 clients bound to it (fake credentials, us-east-1); every test starts from
an empty account. `faulty` is a small HTTP proxy in front of the server that injects the faults
a real account produces (denied calls, throttling, resources vanishing mid-scan) and records
every operation the audit calls.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

from tests.audit.fault_proxy import FaultProxy

REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def moto_server(**environment: str):
    """A moto server on a free port of 127.0.0.1 for the duration; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def moto_url():
    with moto_server() as url:
        yield url


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
