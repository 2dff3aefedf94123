"""An HTTP proxy in front of the AWS emulator that injects faults and records operations.

It names each request's operation the way AWS does: the `X-Amz-Target` header of JSON
protocols (`SageMaker.ListEndpoints` -> ListEndpoints), the `Action` of query protocols (IAM,
SNS, CloudWatch), and for S3 the method and sub-resource (`GET ?encryption` ->
`s3:GET encryption`). Faults answer with the error a real account sends, in the protocol's
own format, so botocore parses them exactly as it would from AWS.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Errors by kind: HTTP status, code, message.
ERRORS = {
    "denied": (
        403,
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action",
    ),
    "throttled": (400, "ThrottlingException", "Rate exceeded"),
}
S3_CODES = {"AccessDeniedException": "AccessDenied", "ThrottlingException": "SlowDown"}


@dataclass
class Fault:
    operation: str
    kind: str  # "denied" or "throttled"
    matching: str = ""  # only requests whose body or path contains this text


@dataclass
class FaultProxy:
    target: str
    faults: list[Fault] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    # Run once the emulator has answered, before the answer reaches the client: the place to
    # change the account mid-scan (e.g. delete what a listing just returned).
    after: dict[str, Callable[[bytes], None]] = field(default_factory=dict)
    # Canned answers for operations the emulator does not implement: operation -> a function
    # of the request body giving the JSON answer, or None to let the emulator answer.
    answers: dict[str, Callable[[bytes], dict]] = field(default_factory=dict)

    def start(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                operation = operation_of(self.command, self.path, self.headers, body)
                proxy.seen.append(operation)
                for fault in proxy.faults:
                    text = body.decode(errors="replace") + self.path
                    if fault.operation == operation and fault.matching in text:
                        return self._error(fault.kind, operation)
                answer = proxy.answers.get(operation)
                document = answer(body) if answer is not None else None
                if document is not None:
                    return self._answer(document)
                status, headers, payload = forward(proxy.target, self, body)
                hook = proxy.after.get(operation)
                if hook is not None:
                    hook(payload)
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _answer(self, document: dict):
                payload = json.dumps(document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _error(self, kind: str, operation: str):
                status, code, message = ERRORS[kind]
                if operation.startswith("s3:"):
                    payload = (
                        f"<Error><Code>{S3_CODES[code]}</Code><Message>{message}</Message></Error>"
                    ).encode()
                    content_type = "application/xml"
                elif self.headers.get("X-Amz-Target"):
                    payload = json.dumps({"__type": code, "message": message}).encode()
                    content_type = "application/x-amz-json-1.1"
                else:
                    payload = (
                        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                        f"<Message>{message}</Message></Error></ErrorResponse>"
                    ).encode()
                    content_type = "text/xml"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("x-amzn-ErrorType", code)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def operation_of(method: str, path: str, headers, body: bytes) -> str:
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    if body and b"Action=" in body:
        return urllib.parse.parse_qs(body.decode())["Action"][0]
    query = urllib.parse.urlsplit(path).query
    action = urllib.parse.parse_qs(query).get("Action")
    if action:
        return action[0]
    subresources = sorted(k for k in urllib.parse.parse_qs(query, keep_blank_values=True))
    return f"s3:{method} {' '.join(subresources)}".rstrip()


def forward(target: str, handler: BaseHTTPRequestHandler, body: bytes):
    request = urllib.request.Request(
        target + handler.path,
        data=body if handler.command not in ("GET", "HEAD") else None,
        method=handler.command,
        headers={k: v for k, v in handler.headers.items() if k.lower() != "host"},
    )
    request.add_header("Host", urllib.parse.urlsplit(target).netloc)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.getheaders(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.items(), error.read()
