"""boto3 clients for an audit: read-only, adaptive retries, one connection pool per service."""

from __future__ import annotations

import ipaddress
import os
import threading
import time
import urllib.parse
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import botocore.utils

from mlrails.errors import UserError

# Every operation an audit may call, by service: the reads its readers make, and nothing else.
# A verb is no guarantee (some Get* operations create things), so each one is named here.
_JOB_KINDS = ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability")
READS: dict[str, frozenset[str]] = {
    "sts": frozenset({"GetCallerIdentity"}),
    "sagemaker": frozenset(
        {
            "ListModels",
            "DescribeModel",
            "ListEndpointConfigs",
            "DescribeEndpointConfig",
            "ListEndpoints",
            "DescribeEndpoint",
            "ListModelCards",
            "DescribeModelCard",
            "ListMonitoringSchedules",
            "DescribeMonitoringSchedule",
            *(f"List{kind}JobDefinitions" for kind in _JOB_KINDS),
            *(f"Describe{kind}JobDefinition" for kind in _JOB_KINDS),
            "ListTags",
        }
    ),
    "cloudwatch": frozenset({"DescribeAlarms", "ListTagsForResource"}),
    "s3": frozenset(
        {
            "ListBuckets",
            "GetBucketLocation",
            "GetBucketTagging",
            "GetBucketEncryption",
            "GetPublicAccessBlock",
            "GetBucketPolicy",
            "GetBucketVersioning",
        }
    ),
    "s3control": frozenset({"GetPublicAccessBlock"}),
    "kms": frozenset({"ListKeys", "DescribeKey", "ListResourceTags", "GetKeyRotationStatus"}),
    "sns": frozenset({"ListTopics", "GetTopicAttributes", "ListTagsForResource"}),
    "iam": frozenset(
        {
            "ListRoles",
            "ListAttachedRolePolicies",
            "ListRolePolicies",
            "GetRolePolicy",
            "GetPolicy",
            "GetPolicyVersion",
            "ListRoleTags",
            "ListPolicyTags",
        }
    ),
}


# Seconds one attempt may wait for an answer (botocore's default is 60).
READ_TIMEOUT = 30


class MutatingCallRefused(RuntimeError):
    """An audit tried to call an operation that is not one of its reads; it never reaches the
    wire."""


def refuse_mutations(model: Any, **_: Any) -> None:
    if model.name not in READS.get(model.service_model.service_name, ()):
        raise MutatingCallRefused(
            f"{model.service_model.service_name}:{model.name} is not a read; an audit only reads"
        )


class Clients:
    """One client per service, shared by the scan's threads (boto3 clients are thread-safe,
    sessions are not, so every client is made under a lock from one session)."""

    def __init__(
        self,
        *,
        region: str | None,
        profile: str | None,
        endpoint_url: str | None,
        workers: int,
        max_attempts: int,
        deadline: float | None = None,
    ) -> None:
        _check_endpoint_url(endpoint_url)
        try:
            # Region names are host labels; botocore's own check, before any client exists.
            botocore.utils.validate_region_name(region)
            self._session = boto3.session.Session(profile_name=profile, region_name=region)
            self.region = self._session.region_name
        except botocore.exceptions.InvalidRegionError:
            raise UserError(
                f"--region {region!r} is not a region name (letters, digits and '-', such as "
                "eu-west-1)."
            ) from None
        except botocore.exceptions.ProfileNotFound:
            raise UserError(
                f"{_profile_source(profile)}: no such profile in the AWS config and credentials "
                "files. Use a profile of ~/.aws/config, or unset AWS_PROFILE."
            ) from None
        except botocore.exceptions.BotoCoreError as err:  # e.g. ConfigParseError
            config_file = os.environ.get("AWS_CONFIG_FILE", "~/.aws/config")
            raise UserError(
                f"{config_file}: the AWS configuration cannot be used: {err}. Fix the file (or "
                "point AWS_CONFIG_FILE at a valid one)."
            ) from None
        self.partition = _partition(self._session, self.region)
        if not self.region:
            raise UserError(
                "no AWS region: pass --region, or set AWS_REGION or a region in your profile."
            )
        self._endpoint_url = endpoint_url
        self.deadline_seconds = deadline
        self.deadline = None if deadline is None else time.monotonic() + deadline
        self._config = botocore.config.Config(
            # total_max_attempts counts the first call too: --max-attempts 3 is three calls.
            retries={"mode": "adaptive", "total_max_attempts": max_attempts},
            max_pool_connections=workers + 2,
            # A silent endpoint holds a call no longer than this (botocore's default read
            # timeout is 60 s per attempt); the deadline bounds the whole scan.
            connect_timeout=min(5, deadline or 5),
            read_timeout=min(READ_TIMEOUT, deadline or READ_TIMEOUT),
            user_agent_extra="mlrails-audit",
        )
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, service: str) -> Any:
        with self._lock:
            client = self._clients.get(service)
            if client is None:
                try:
                    client = self._session.client(
                        service,
                        region_name=self.region,
                        endpoint_url=self._endpoint_url,
                        config=self._config,
                    )
                except (ValueError, botocore.exceptions.BotoCoreError) as err:
                    raise UserError(
                        f"cannot set up the AWS {service} client: {err}. Check --region, "
                        "--endpoint-url and the AWS configuration."
                    ) from None
                client.meta.events.register("before-call.*.*", refuse_mutations)
                client.meta.events.register("before-send.*.*", self._within_deadline)
                if service == "s3control":
                    client.meta.events.register("before-sign.s3-control.*", local_control_host)
                self._clients[service] = client
            return client

    def _within_deadline(self, **_: Any) -> None:
        """Before every attempt (retries too): past the deadline, the audit stops."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlineExceeded(
                f"the audit did not finish within --deadline {self.deadline_seconds:g} s; AWS (or "
                "--endpoint-url) answers too slowly or not at all. Check the endpoint and the "
                "network, or raise --deadline."
            )


class DeadlineExceeded(UserError):
    """The audit ran past --deadline: stop every read, report nothing partial as a verdict."""


def _check_endpoint_url(endpoint_url: str | None) -> None:
    if endpoint_url is None:
        return
    parts = urllib.parse.urlsplit(endpoint_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in endpoint_url:
        raise UserError(
            f"--endpoint-url {endpoint_url!r} is not an http(s) URL; pass one such as "
            "http://127.0.0.1:5000 or https://vpce-1234.sts.eu-west-1.vpce.amazonaws.com."
        )


def _profile_source(profile: str | None) -> str:
    """How the user named the profile: the flag, or the environment."""
    if profile is not None:
        return f"--profile {profile}"
    return f"AWS_PROFILE={os.environ.get('AWS_PROFILE') or os.environ.get('AWS_DEFAULT_PROFILE')}"


def _partition(session: boto3.session.Session, region: str | None) -> str:
    try:
        return session.get_partition_for_region(region) if region else "aws"
    except Exception:  # an emulator's or a new region botocore does not know yet
        return "aws"


def local_control_host(request: Any, **_: Any) -> None:
    """S3 Control sends every call to `ACCOUNT.<endpoint host>`, to an --endpoint-url too. An
    endpoint given by IP address or as localhost (an emulator, a local proxy) has no such host
    name, so there the call goes to the endpoint as given and the account travels in its
    header only, as botocore does for S3 buckets (by path, not by host) on such endpoints."""
    parts = urllib.parse.urlsplit(request.url)
    account, _, endpoint = parts.netloc.partition(".")
    if account.isdigit() and _is_local(urllib.parse.urlsplit(f"//{endpoint}").hostname):
        request.url = urllib.parse.urlunsplit(parts._replace(netloc=endpoint))


def _is_local(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host or "")
    except ValueError:
        return False
    return True
