"""The CLI under hostile and careless input: each case is what a user (or a program, or a pack)
did, the exit code it must give and a fragment of what it must say.

Every case runs through the CLI entry point (`mlrails.cli.main`) on files written to a fresh
directory. The contract: a user error exits 2 with one paragraph and no traceback; no program
or pack can turn a verdict into another exit code; a warning leaves the exit code alone; no
secret (plaintext or `secure:` ciphertext) reaches any output.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import PROJECTS, TINY_PACK

PROJECT = "proj"
HOSTILE_PROGRAMS = PROJECTS / "hostile_programs"
CIPHERTEXT = "v1:AAAACIPHERTEXTxyzw:QmlsbHlCb2JCb2I="
CIPHERTEXT_PART = "CIPHERTEXTxyzw"  # any part of it is a leak
KEY_PROGRAM = (HOSTILE_PROGRAMS / "one_key.py").read_text()
BASE_FILES: dict[str, str | bytes] = {
    f"{PROJECT}/Pulumi.yaml": "name: hostile\nruntime: python\n",
    f"{PROJECT}/Pulumi.dev.yaml": f"config:\n  aws:region: eu-west-1\n  token:\n    secure: {CIPHERTEXT}\n",
    f"{PROJECT}/__main__.py": KEY_PROGRAM,
}
PREVIEW_ARGS = ("preview", "{tmp}/proj", "--stack", "dev", "--policy-pack", str(TINY_PACK))
EMPTY_PREVIEW = {
    "project": "hostile",
    "stack": "dev",
    "mode": "resolved",
    "resources": [],
    "violations": [],
    "summary": {"resources": 0, "mandatory": 0, "advisory": 0, "waived": 0, "not_evaluated": 0},
}


def preview_json(**changes) -> str:
    return json.dumps({**EMPTY_PREVIEW, **changes})


def violation(**changes) -> dict:
    found = {
        "policy": "p",
        "pack": "tiny",
        "enforcement": "mandatory",
        "severity": "high",
        "urn": None,
        "message": "m",
        "waived": False,
    }
    return {k: v for k, v in {**found, **changes}.items() if v is not ...}


def program(name: str) -> dict[str, str]:
    """The project's program: tests/projects/hostile_programs/<name>.py."""
    return {f"{PROJECT}/__main__.py": (HOSTILE_PROGRAMS / f"{name}.py").read_text()}


def pack(validate_body: str, main_tail: str = "") -> dict[str, str]:
    """A pack in {tmp}/pack whose one mandatory policy runs `validate_body`."""
    return {
        "pack/PulumiPolicy.yaml": "runtime: python\n",
        "pack/__main__.py": (
            "import os, sys\n"
            "from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy\n"
            "def check(args, report):\n"
            f"    {validate_body}\n"
            "policy = ResourceValidationPolicy(name='p', description='d', validate=check,\n"
            "    enforcement_level=EnforcementLevel.MANDATORY)\n"
            f"{main_tail}"
            "if __name__ == '__main__':\n"
            "    PolicyPack(name='hostile-pack', policies=[policy])\n"
        ),
    }


PACK_ARGS = ("preview", "{tmp}/proj", "--stack", "dev", "--policy-pack", "{tmp}/pack")
BILLION_LAUGHS = "config:\n  aws:region: eu-west-1\n  hostile:lol0: &a0 [lol]\n" + "".join(
    f"  hostile:lol{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
    f"*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
    for i in range(1, 10)
)


@dataclass(frozen=True)
class Case:
    id: str
    code: int
    fragment: str
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    args: tuple[str, ...] = PREVIEW_ARGS
    env: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    """Symlinks to create: path -> target."""


CASES = [
    # Secrets: a YAML error in a stack file with --debug shows no ciphertext.
    Case(
        "yaml-error-with-debug-hides-the-ciphertext",
        2,
        "is not valid YAML at line 4",
        # PyYAML's own message quotes the start of the unterminated ciphertext.
        {f"{PROJECT}/Pulumi.dev.yaml": f'config:\n  token:\n    secure: "{CIPHERTEXT}\n'},
        (*PREVIEW_ARGS, "--debug"),
    ),
    Case(
        "duplicate-yaml-key-in-stack-file",
        2,
        "key 'hostile:token' appears twice (lines 3 and 5)",
        {
            f"{PROJECT}/Pulumi.dev.yaml": (
                f"config:\n  aws:region: eu-west-1\n  hostile:token:\n    secure: {CIPHERTEXT}\n"
                f"  hostile:token: plain\n"
            )
        },
    ),
    # Programs that try to end the judge.
    Case(
        "program-sys-exit-0",
        2,
        "the program called sys.exit(0)",
        program("sys_exit_0"),
    ),
    Case("program-sys-exit-3", 2, "called sys.exit(3)", program("sys_exit_3")),
    Case("program-os-exit-0", 2, "called os._exit(0)", program("os_exit_0")),
    Case(
        "program-posix-exit-0",
        2,
        "called os._exit(0)",
        program("posix_exit_0"),
    ),
    Case(
        "program-sys-exit-inside-apply",
        2,
        "called sys.exit(0)",
        program("sys_exit_inside_apply"),
    ),
    Case(
        "program-os-exit-inside-apply",
        2,
        "called os._exit(0)",
        program("os_exit_inside_apply"),
    ),
    Case(
        "program-raises-a-base-exception",
        2,
        "raised Boom: stop",
        program("raises_a_base_exception"),
    ),
    Case(
        "program-sets-its-own-mocks",
        2,
        "pulumi.runtime.set_mocks",
        program("sets_its_own_mocks"),
    ),
    # Packs that try to end the judge.
    Case(
        "validator-sys-exit-0", 2, "policy 'p' called sys.exit(0)", pack("sys.exit(0)"), PACK_ARGS
    ),
    Case("validator-os-exit-0", 2, "policy 'p' called os._exit(0)", pack("os._exit(0)"), PACK_ARGS),
    Case(
        "pack-program-sys-exit-0",
        2,
        "failed to load: it called sys.exit(0)",
        pack("pass", main_tail="sys.exit(0)\n"),
        PACK_ARGS,
    ),
    Case(
        "pack-invalid-option-schema",
        2,
        "declares an invalid config_schema",
        {
            **pack("pass"),
            "pack/__main__.py": pack("pass")["pack/__main__.py"].replace(
                "validate=check,",
                "validate=check, config_schema=__import__('pulumi_policy').PolicyConfigSchema("
                "properties={'x': {'type': 'strnig'}}),",
            ),
        },
        PACK_ARGS,
    ),
    Case(
        "a-policies-folder-above-the-project-is-not-loaded",
        1,
        "kms-key-rotation",
        {
            "policies/PulumiPolicy.yaml": "runtime: python\n",
            "policies/__main__.py": pack("pass")["pack/__main__.py"],
        },
        ("preview", "{tmp}/proj", "--stack", "dev", "--format", "json"),
    ),
    # Where the program is.
    Case(
        "main-outside-the-project",
        2,
        "outside the project directory",
        {
            f"{PROJECT}/Pulumi.yaml": "name: hostile\nruntime: python\nmain: ../evil.py\n",
            "evil.py": KEY_PROGRAM,
        },
    ),
    Case(
        "main-absolute-path",
        2,
        "outside the project directory",
        {
            f"{PROJECT}/Pulumi.yaml": "name: hostile\nruntime: python\nmain: {tmp}/evil.py\n",
            "evil.py": KEY_PROGRAM,
        },
    ),
    Case(
        "main-symlink-out-of-the-project",
        2,
        "outside the project directory",
        {
            f"{PROJECT}/Pulumi.yaml": "name: hostile\nruntime: python\nmain: prog.py\n",
            "evil.py": KEY_PROGRAM,
        },
        links={f"{PROJECT}/prog.py": "{tmp}/evil.py"},
    ),
    # What Pulumi refuses.
    Case(
        "duplicate-urn",
        2,
        "Duplicate resource URN 'urn:pulumi:dev::hostile::aws:kms/key:Key::key'",
        program("duplicate_urn"),
    ),
    Case(
        "project-name-with-double-colon",
        2,
        "project names are 1 to 100 characters",
        {f"{PROJECT}/Pulumi.yaml": "name: 'a::b'\nruntime: python\n"},
    ),
    # Encodings, depth, size.
    Case(
        "project-file-not-utf8",
        2,
        "Pulumi.yaml: is not UTF-8 text",
        {f"{PROJECT}/Pulumi.yaml": "name: caf\xe9\nruntime: python\n".encode("latin-1")},
    ),
    Case(
        "stack-file-not-utf8",
        2,
        "Pulumi.dev.yaml: is not UTF-8 text",
        {f"{PROJECT}/Pulumi.dev.yaml": b"config:\n  hostile:x: \xff\xfe\n"},
    ),
    Case(
        "policy-config-not-utf8",
        2,
        "policy.json: is not UTF-8 text",
        {"policy.json": b'{"all": "mandatory\xff"}'},
        (*PREVIEW_ARGS, "--policy-config", "{tmp}/policy.json"),
    ),
    Case(
        "policy-config-nested-100000-deep",
        2,
        "nests arrays or objects too deeply",
        {"policy.json": "[" * 100_000 + "]" * 100_000},
        (*PREVIEW_ARGS, "--policy-config", "{tmp}/policy.json"),
    ),
    Case(
        "stack-file-billion-laughs",
        2,
        "expand to more than 1,000,000 values",
        {f"{PROJECT}/Pulumi.dev.yaml": BILLION_LAUGHS},
    ),
    # diff inputs.
    Case(
        "diff-input-not-utf8",
        2,
        "base.json: is not UTF-8 text",
        {"base.json": b'{"project": "\xff"}', "head.json": preview_json()},
        ("diff", "{tmp}/base.json", "{tmp}/head.json"),
    ),
    Case(
        "diff-input-nested-100000-deep",
        2,
        "base.json: nests arrays or objects too deeply",
        {"base.json": "[" * 100_000 + "]" * 100_000, "head.json": preview_json()},
        ("diff", "{tmp}/base.json", "{tmp}/head.json"),
    ),
    Case(
        "diff-violations-a-number",
        2,
        "key `violations` is 5; expected array",
        {"base.json": preview_json(), "head.json": preview_json(violations=5)},
        ("diff", "{tmp}/base.json", "{tmp}/head.json"),
    ),
    Case(
        "diff-violation-without-enforcement",
        2,
        "key `violations[0].enforcement` is missing",
        {
            "base.json": preview_json(),
            "head.json": preview_json(violations=[violation(enforcement=...)]),
        },
        ("diff", "{tmp}/base.json", "{tmp}/head.json"),
    ),
    # --output.
    Case(
        "output-under-proc",
        2,
        "is under /proc",
        args=(*PREVIEW_ARGS, "--output", "/proc/self/report.txt"),
    ),
    Case(
        "output-in-a-missing-directory",
        2,
        "does not exist",
        args=(*PREVIEW_ARGS, "--output", "{tmp}/missing/report.txt"),
    ),
    Case(
        "output-is-the-policy-config",
        2,
        "is one of the inputs",
        {"policy.json": '{"all": "mandatory"}'},
        (*PREVIEW_ARGS, "--policy-config", "{tmp}/policy.json", "--output", "{tmp}/policy.json"),
    ),
    Case(
        "output-is-the-diff-base",
        2,
        "is one of the inputs",
        {"base.json": preview_json(), "head.json": preview_json()},
        ("diff", "{tmp}/base.json", "{tmp}/head.json", "--output", "{tmp}/base.json"),
    ),
    # audit set-up.
    Case(
        "audit-endpoint-not-a-url",
        2,
        "--endpoint-url 'not a url' is not an http(s) URL",
        args=("audit", "--region", "us-east-1", "--endpoint-url", "not a url"),
    ),
    Case(
        "audit-region-not-a-region",
        2,
        "--region 'us east 1!' is not a region name",
        args=("audit", "--region", "us east 1!"),
    ),
    Case(
        "audit-malformed-aws-config",
        2,
        "aws-config: the AWS configuration cannot be used",
        {"aws-config": "[default\nregion = \n"},
        ("audit", "--region", "us-east-1"),
        env={"AWS_CONFIG_FILE": "{tmp}/aws-config"},
    ),
    Case(
        "audit-unknown-aws-profile-named-as-given",
        2,
        "AWS_PROFILE=ghost: no such profile",
        args=("audit", "--region", "us-east-1"),
        env={"AWS_PROFILE": "ghost"},
    ),
    # Silent no-ops are warned about; the verdict stands.
    Case(
        "waiver-matching-nothing",
        1,
        "warning: the waiver of 'kms-key-rotation' for resource 'no-such-key' matches no resource",
        {
            "policy.json": json.dumps(
                {
                    "kms-key-rotation": {
                        "waivers": [
                            {"resource": "no-such-key", "reason": "r", "expires": "2999-01-01"}
                        ]
                    }
                }
            )
        },
        ("preview", "{tmp}/proj", "--stack", "dev", "--policy-config", "{tmp}/policy.json"),
    ),
    Case(
        "options-under-all",
        1,
        "warning: {tmp}/policy.json: options under `all` (allowedKeyPrefix)",
        {"policy.json": json.dumps({"all": {"allowedKeyPrefix": "arn:"}})},
        (*PREVIEW_ARGS, "--policy-config", "{tmp}/policy.json"),
    ),
    Case(
        "same-pack-twice",
        1,
        "warning: --policy-pack {tiny}: the pack 'tiny' is given twice",
        args=(*PREVIEW_ARGS, "--policy-pack", str(TINY_PACK)),
    ),
    Case(
        "diff-across-projects",
        0,
        "warning: {tmp}/base.json is a preview of project 'hostile'",
        {"base.json": preview_json(), "head.json": preview_json(project="other")},
        ("diff", "{tmp}/base.json", "{tmp}/head.json"),
    ),
]


def _fill(text: str, tmp: Path) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{tiny}", str(TINY_PACK))


def _write(tmp: Path, case: Case) -> None:
    files: dict[str, str | bytes | None] = {**BASE_FILES, **case.files}
    for relative, content in files.items():
        if content is None:
            continue
        path = tmp / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(_fill(content, tmp))
    for link, target in case.links.items():
        (tmp / link).symlink_to(_fill(target, tmp))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_gives_its_exit_code_and_message(cli, tmp_path, monkeypatch, case):
    _write(tmp_path, case)
    for name, value in case.env.items():
        monkeypatch.setenv(name, _fill(value, tmp_path))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    started = time.monotonic()
    result = cli(*(_fill(a, tmp_path) for a in case.args))
    everything = result.out + result.err
    assert (result.code, _fill(case.fragment, tmp_path) in everything) == (case.code, True), (
        everything[-2000:]
    )
    assert "Traceback" not in result.err or "--debug" in case.args
    assert CIPHERTEXT_PART not in everything
    assert time.monotonic() - started < 60
    if case.code == 2 and "--debug" not in case.args:
        assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err


def test_a_pack_given_twice_runs_once(cli, tmp_path):
    _write(tmp_path, Case("twice", 1, ""))
    once = cli(*(_fill(a, tmp_path) for a in PREVIEW_ARGS), "--format", "json").json()
    twice = cli(
        *(_fill(a, tmp_path) for a in PREVIEW_ARGS), "--policy-pack", TINY_PACK, "--format", "json"
    ).json()
    assert twice["violations"] == once["violations"] and len(once["violations"]) == 1


@pytest.fixture
def silent_endpoint():
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def html_endpoint():
    """An HTTP server on 127.0.0.1 that answers every request with an HTML page."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b"<html><body>Sign in to the proxy</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def aws_test_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def test_a_silent_endpoint_stops_the_audit_at_its_deadline(
    cli, silent_endpoint, aws_test_credentials
):
    started = time.monotonic()
    result = cli(
        "audit", "--region", "us-east-1", "--endpoint-url", silent_endpoint, "--deadline", "2"
    )
    elapsed = time.monotonic() - started
    assert result.code == 2
    assert "did not finish within --deadline 2 s" in result.err
    # One attempt may wait its read timeout (at most the deadline) before the deadline is seen.
    assert elapsed < 2 * 2 + 3, elapsed


def test_an_endpoint_answering_html_is_one_message(cli, html_endpoint, aws_test_credentials):
    result = cli(
        "audit", "--region", "us-east-1", "--endpoint-url", html_endpoint, "--max-attempts", "1"
    )
    assert result.code == 2
    assert "is not an AWS API response" in result.err and "Traceback" not in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_output_into_a_read_only_directory_is_refused_before_the_run(cli, tmp_path):
    _write(tmp_path, Case("read-only", 2, ""))
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = cli(*(_fill(a, tmp_path) for a in PREVIEW_ARGS), "--output", locked / "r.txt")
    assert result.code == 2 and "is not writable" in result.err
