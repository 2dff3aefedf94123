"""No secret reaches an output, whichever inputs are secret and whatever a rule writes.

The property: run every example with random inputs of random resources marked secret (as
`pulumi.Output.secret` would send them), judge it with the bundled pack and with a pack that
tries to leak on purpose, and render every format; no marked value (each carries a random
token) and no `secure:` ciphertext of the stack file appears in any of them. A second part
runs the CLI itself, errors and `--debug` included.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlrails.cli import FORMATS
from mlrails.engine.monitor import RecordingMonitor
from mlrails.engine.run import run_program
from mlrails.errors import UserError
from mlrails.plan import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINELS, is_secret
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.pack import bundled_pack_directory, load_pack
from mlrails.project import load_project
from mlrails.report import render
from mlrails.report.model import Report
from tests.conftest import PROJECTS, REPO

# Python programs only: the offline engine cannot run the Pulumi YAML example.
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "__main__.py").is_file())
CIPHERTEXT = "v1:SECRETCIPHERTEXTqq:bm90IGEgcmVhbCBvbmU="
TOKEN_PREFIX = "Zk9"

# A pack written to leak: every value it can see, in every place a policy can put text.
LEAKY_PACK = """
import json
from pulumi_policy import (EnforcementLevel, PolicyPack, ResourceValidationPolicy,
    StackValidationPolicy)
from mlrails_policies.framework.wire import to_plain
from mlrails_policies.framework.verdicts import NotEvaluatedError

def dump(value):
    return json.dumps(to_plain(value), default=str)

def every_input(args, report):
    report(f"inputs {dump(args.props)} of {args.name}")

def every_resource(args, report):
    secretive = [r for r in args.resources if "secret" in repr(r.props).lower()][:5]
    for r in secretive:
        report(f"{r.name}: {dump(r.props)}", r.urn)
    raise NotEvaluatedError("; ".join(dump(r.props) for r in secretive))

if __name__ == "__main__":
    PolicyPack(name="leaky", policies=[
        ResourceValidationPolicy(name="leak-inputs", description="d", validate=every_input,
            enforcement_level=EnforcementLevel.ADVISORY),
        StackValidationPolicy(name="leak-stack", description="d", validate=every_resource,
            enforcement_level=EnforcementLevel.ADVISORY),
    ])
"""


@pytest.fixture(scope="module")
def leaky_pack(tmp_path_factory):
    directory = tmp_path_factory.mktemp("leaky")
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (directory / "__main__.py").write_text(LEAKY_PACK)
    return load_pack(directory)


@pytest.fixture(scope="module")
def bundled_pack():
    return load_pack(bundled_pack_directory())


def _mark(value, rng: random.Random, tokens: list[str], inside: bool = False):
    """`value` with random parts made secret; each secret string gets a fresh token."""
    if is_secret(value) or (isinstance(value, str) and value in UNKNOWN_SENTINELS):
        return value
    whole = not inside and rng.random() < 0.1 and isinstance(value, dict | list)
    if isinstance(value, dict):
        out = {k: _mark(v, rng, tokens, inside or whole) for k, v in value.items()}
    elif isinstance(value, list):
        out = [_mark(v, rng, tokens, inside or whole) for v in value]
    elif isinstance(value, str) and (inside or rng.random() < 0.3):
        tokens.append(f"{TOKEN_PREFIX}{rng.getrandbits(40):010x}")
        out = tokens[-1] + value
        whole = not inside
    else:
        return value
    return {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": out} if whole else out


@pytest.fixture
def marking(monkeypatch):
    """Make RegisterResource mark random inputs secret; returns (seed setter, tokens)."""
    state = {"rng": random.Random(0), "tokens": []}
    original = RecordingMonitor.RegisterResource

    def register(self, request):
        if request.custom and not request.type.startswith("pulumi:providers:"):
            inputs = json_format.MessageToDict(request.object)
            marked = _mark(inputs, state["rng"], state["tokens"])
            request.object.Clear()
            request.object.update(marked)
        return original(self, request)

    monkeypatch.setattr(RecordingMonitor, "RegisterResource", register)
    return state


def _with_secure_key(example: Path, destination: Path) -> Path:
    """A copy of `example` whose stack file also holds a `secure:` value."""
    copy = destination / example.name
    shutil.copytree(example, copy)
    for stack_file in copy.glob("Pulumi.*.yaml"):
        text = stack_file.read_text()
        if "config:" not in text:
            text += "config:\n"
        stack_file.write_text(text + f"  extra:token:\n    secure: {CIPHERTEXT}\n")
    return copy


def _every_output(project, packs) -> str:
    """Every format of the report of `project` judged by `packs`, or the error it gives."""
    try:
        plan = run_program(project, "resolved")
        findings = evaluate(plan, packs, resolve_settings(packs, {}))
    except UserError as err:
        return f"error: {err}\n{err.__cause__!r}"
    report = Report(plan=plan, findings=findings, packs=packs, policies_evaluated=True)
    return "\n".join(render(report, fmt) for fmt in FORMATS)


@pytest.mark.parametrize(
    "example",
    [
        # The fleet (hundreds of resources, the same components as the others) takes most of
        # the time: `make check` runs it.
        pytest.param(e, id=e.name, marks=[pytest.mark.slow] if e.name == "fleet" else [])
        for e in EXAMPLES
    ],
)
@settings(
    # One draw per example keeps the suite fast; raise it to search harder.
    max_examples=int(os.environ.get("MLRAILS_SECRET_EXAMPLES", "1")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_no_secret_input_reaches_any_output(
    example, seed, marking, bundled_pack, leaky_pack, tmp_path_factory
):
    marking["rng"] = random.Random(seed)
    marking["tokens"] = []
    project_dir = _with_secure_key(example, tmp_path_factory.mktemp("secret"))
    stack = next(project_dir.glob("Pulumi.*.yaml")).name.split(".")[1]
    text = _every_output(load_project(project_dir, stack), [bundled_pack, leaky_pack])
    assert marking["tokens"], "no input was marked secret"
    leaked = sorted({t for t in marking["tokens"] if t.lower() in text.lower()})
    assert not leaked, leaked
    assert CIPHERTEXT not in text
    assert "[secret]" in text


def test_the_examples_exercise_every_rule_of_the_bundled_pack(bundled_pack):
    goldens = REPO / "tests" / "examples" / "golden"
    types = {
        # "parent-type$type::name" in the golden graphs
        resource["resource"].rsplit("::", 1)[0].split("$")[-1]
        for example in EXAMPLES
        for resource in json.loads((goldens / f"{example.name}.json").read_text())["resources"]
    }
    assert types
    unexercised = [
        p.name for p in bundled_pack.policies if not any(p.rule.judges_type(t) for t in types)
    ]
    assert unexercised == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_secret_names_images_and_ids_stay_masked_in_every_format(cli, fmt, tmp_path):
    args = ("preview", PROJECTS / "secret_names", "--stack", "dev", "--format", fmt)
    on_stdout = cli(*args)
    written = cli(*args, "--output", tmp_path / "report")
    assert on_stdout.code == written.code == 1
    everything = on_stdout.out + on_stdout.err + written.err + (tmp_path / "report").read_text()
    assert "topsecret" not in everything.lower()
    assert "CIPHERTEXT" not in everything
    assert "[secret]" in everything
    assert "'value':" not in everything  # never a secret's dict repr


def test_an_id_arn_or_name_derived_from_a_secret_is_secret(cli):
    document = cli(
        "preview", PROJECTS / "secret_names", "--stack", "dev", "--no-policy", "--format", "json"
    ).json()
    inputs = {r["name"]: r["inputs"] for r in document["resources"]}
    # The attachment uses the policy's ARN, the deployment the namespace's id.
    assert inputs["attach"]["policyArn"] == "[secret]"
    assert inputs["app"]["metadata"]["namespace"].startswith("[secret]")


def test_a_crashing_policy_with_debug_shows_no_secret(cli, tmp_path):
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (pack_dir / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "def boom(args, report):\n"
        "    if args.resource_type == 'aws:sagemaker/model:Model':\n"
        "        raise ValueError(str(args.props['primaryContainer']['image']))\n"
        "if __name__ == '__main__':\n"
        "    PolicyPack(name='boom', policies=[ResourceValidationPolicy(name='b', "
        "description='d', validate=boom)])\n"
    )
    result = cli(
        "preview", PROJECTS / "secret_names", "--stack", "dev", "--policy-pack", pack_dir, "--debug"
    )
    assert result.code == 2 and "raised ValueError" in result.err
    assert "Traceback" in result.err
    assert "topsecret" not in (result.out + result.err).lower()


def test_a_program_error_quoting_a_secret_input_masks_it(cli, tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(PROJECTS / "secret_names", project)
    main = project / "__main__.py"
    main.write_text(main.read_text() + "raise ValueError(f'cannot use {marker}-policy here')\n")
    result = cli("preview", project, "--stack", "dev", "--no-policy", "--debug")
    assert result.code == 2 and "cannot use [secret] here" in result.err
    assert "topsecret" not in result.err.lower()
