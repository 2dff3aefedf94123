"""The scan: list each kind of resource, then read each one in detail, on a bounded thread pool.

Listings run in parallel across services; each resource a listing finds is read as soon as it
is found. A failed read becomes a `Fault` and the scan goes on. A resource whose description
could not be read stays in the result as a bare record (its ARN and name), so every rule that
judges its type reports it as not evaluated instead of passing it over.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import botocore.exceptions

from mlrails.audit.clients import Clients, MutatingCallRefused
from mlrails.audit.faults import DELETED, Fault, classify
from mlrails.audit.wire import UNREAD_OBJECT, record, tag_map
from mlrails.errors import UserError
from mlrails.plan import ResourceRecord


@dataclass(frozen=True)
class Listed:
    """A resource a listing found: enough to name it, and what its reader needs to read it."""

    arn: str
    type: str
    name: str
    data: Any = None


class Reader(Protocol):
    """Reads one kind of resource. `types` are the record types it produces: if its listing
    fails, rules that depend on them cannot be evaluated."""

    @property
    def types(self) -> tuple[str, ...]: ...

    def list(self, scan: Scan) -> Iterable[Listed]: ...

    def read(self, scan: Scan, listed: Listed) -> None: ...


class ReadFailed(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.describe())
        self.fault = fault


@dataclass
class ScanResult:
    account: str
    region: str
    records: list[ResourceRecord]
    faults: list[Fault]
    calls: int


@dataclass
class Scan:
    clients: Clients
    account: str
    _records: dict[str, ResourceRecord] = field(default_factory=dict)
    _faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    calls: int = 0

    @property
    def region(self) -> str:
        return self.clients.region

    @property
    def partition(self) -> str:
        return self.clients.partition

    # --- for readers ---------------------------------------------------------------------

    def arn(self, service: str, resource: str, region: bool = True, account: bool = True) -> str:
        return (
            f"arn:{self.partition}:{service}:{self.region if region else ''}:"
            f"{self.account if account else ''}:{resource}"
        )

    def call(
        self,
        service: str,
        operation: str,
        *,
        about: str | None = None,
        types: tuple[str, ...] = (),
        absent: tuple[str, ...] = (),
        **params: Any,
    ) -> dict[str, Any] | None:
        """One read. Errors whose code is in `absent` mean "not configured" and return None;
        any other error raises ReadFailed with the fault, naming `about` and `types`."""
        client = self.clients(service)
        with self._lock:
            self.calls += 1
        try:
            return getattr(client, _method(client, operation))(**params)
        except MutatingCallRefused:
            raise
        except botocore.exceptions.NoCredentialsError:
            raise UserError(
                "no AWS credentials: set AWS_PROFILE (or --profile), or the AWS_ACCESS_KEY_ID "
                "and AWS_SECRET_ACCESS_KEY environment variables, for a principal with read "
                "access (e.g. the SecurityAudit managed policy)."
            ) from None
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            if (
                isinstance(error, botocore.exceptions.ClientError)
                and error.response.get("Error", {}).get("Code") in absent
            ):
                return None
            kind, code, message = classify(error)
            raise ReadFailed(
                Fault(f"{service}:{operation}", kind, code, message, about, types)
            ) from None

    def describe(
        self, service: str, operation: str, *, about: str | None = None, **params: Any
    ) -> dict[str, Any]:
        """One read of a resource that was just listed: every error raises ReadFailed."""
        return self.call(service, operation, about=about, **params) or {}

    def pages(
        self,
        service: str,
        operation: str,
        key: str,
        *,
        about: str | None = None,
        types: tuple[str, ...] = (),
        token: tuple[str, str] = ("NextToken", "NextToken"),
        absent: tuple[str, ...] = (),
        **params: Any,
    ) -> list[Any]:
        """Every item of a paginated listing (request token name, response token name); none
        when the answer is an `absent` code. An operation that does not paginate is one page."""
        found: list[Any] = []
        request = dict(params)
        while True:
            page = (
                self.call(service, operation, about=about, types=types, absent=absent, **request)
                or {}
            )
            found.extend(page.get(key, []))
            next_token = page.get(token[1])
            if not next_token:
                return found
            request[token[0]] = next_token

    def partial(self, read: Callable[[], Any], unknown: Any) -> Any:
        """A read whose failure leaves one part of a record unknown (rules that need it report
        the resource as not evaluated) instead of losing the whole record."""
        try:
            return read()
        except ReadFailed as failed:
            if failed.fault.kind == DELETED:
                raise  # the resource itself is gone: no record at all
            self.fault(failed.fault)
            return unknown

    def tags(
        self,
        service: str,
        operation: str,
        about: str,
        *,
        key: str = "Tags",
        token: tuple[str, str] = ("NextToken", "NextToken"),
        absent: tuple[str, ...] = (),
        **params: Any,
    ) -> Any:
        """A resource's tags as a map ({} when it has none, or the answer is an `absent` code),
        or unknown if they could not be read: only the rules about tags are then not evaluated."""
        return self.partial(
            lambda: tag_map(
                self.pages(
                    service, operation, key, about=about, token=token, absent=absent, **params
                )
            ),
            UNREAD_OBJECT,
        )

    def add(self, resource: ResourceRecord) -> None:
        with self._lock:
            self._records[resource.urn] = resource

    def fault(self, fault: Fault) -> None:
        """A partial failure the reader worked around (the record carries what was read)."""
        with self._lock:
            self._faults.append(fault)

    # --- the scan ------------------------------------------------------------------------

    def run(
        self,
        readers: list[Reader],
        workers: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> ScanResult:
        # Finished tasks arrive on a queue: constant work per task, however many are pending
        # (waiting on the set of pending futures costs time in proportion to its size).
        finished: queue.SimpleQueue = queue.SimpleQueue()
        outstanding: set[Future] = set()
        found = done = 0

        def submit(pool: ThreadPoolExecutor, task: tuple[str, Any, Any], *call: Any) -> None:
            future = pool.submit(*call)
            outstanding.add(future)
            future.add_done_callback(lambda f: finished.put((task, f)))

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="audit") as pool:
            for reader in readers:
                submit(pool, ("list", reader, None), lambda r=reader: list(r.list(self)))
            while outstanding:
                (stage, reader, listed), future = finished.get()
                outstanding.discard(future)
                error = future.exception()
                if isinstance(error, MutatingCallRefused | UserError):
                    for other in outstanding:
                        other.cancel()
                    raise error
                if stage == "list":
                    if error is not None:
                        self._listing_failed(reader, error)
                        continue
                    for item in future.result():
                        found += 1
                        submit(pool, ("read", reader, item), reader.read, self, item)
                else:
                    done += 1
                    if error is not None:
                        self._read_failed(listed, error)
                if progress is not None:
                    progress(done, found)
        return ScanResult(
            account=self.account,
            region=self.region,
            records=sorted(self._records.values(), key=lambda r: (r.type, r.urn)),
            faults=sorted(
                self._faults, key=lambda f: (f.operation, f.resource or "", f.kind, f.code)
            ),
            calls=self.calls,
        )

    def _listing_failed(self, reader: Reader, error: BaseException) -> None:
        fault = _fault_of(error, None, reader.types)
        self.fault(
            Fault(fault.operation, fault.kind, fault.code, fault.message, None, reader.types)
        )

    def _read_failed(self, listed: Listed, error: BaseException) -> None:
        fault = _fault_of(error, listed.arn, (listed.type,))
        self.fault(fault)
        if fault.kind != DELETED and fault.resource == listed.arn:
            with self._lock:
                self._records.setdefault(
                    listed.arn, record(listed.arn, listed.type, listed.name, {})
                )


def _fault_of(error: BaseException, about: str | None, types: tuple[str, ...]) -> Fault:
    if isinstance(error, ReadFailed):
        fault = error.fault
        return Fault(
            fault.operation,
            fault.kind,
            fault.code,
            fault.message,
            fault.resource or about,
            fault.types or types,
        )
    # A response the reader did not expect: reported, never a crash.
    kind, code, message = classify(error)
    return Fault("reading", kind, code, message, about, types)


def _method(client: Any, operation: str) -> str:
    """The client method of an API operation, by botocore's own mapping."""
    for method, api_name in client.meta.method_to_api_mapping.items():
        if api_name == operation:
            return method
    raise ValueError(f"{client.meta.service_model.service_name} has no operation {operation}")
