"""The package hosted exactly as the Pulumi engine hosts it, driven over its gRPC protocol.

A fresh venv is built from the plugin's requirements (the mlrails distribution built from a copy
of this repository), the plugin is started from its own directory, and the test speaks to it
with pulumi's provider stubs while serving the resource monitor and engine itself
(tests/components/package_host.py). Building the venv takes a minute or two, once per session.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import grpc
import jsonschema
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import alias_pb2, provider_pb2, provider_pb2_grpc

from mlrails_components.provider import COMPONENTS, package_schema
from tests.components import package_host
from tests.components.package_host import PROJECT, STACK
from tests.components.provider_inputs import INPUTS, WIRED_ONLY, Wired, wire

METASCHEMA = Path(__file__).parent / "data" / "pulumi-package-metaschema.json"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
AWS_PROVIDER = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::eu::0a1b2c3d"
KUBERNETES_PROVIDER = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:kubernetes::gke::4e5f6a7b"
OLD_TOKENS = {
    "EncryptionKey": "mlrails:storage:EncryptionKey",
    "EncryptedBucket": "mlrails:storage:EncryptedBucket",
    "ModelEndpoint": "mlrails:sagemaker:ModelEndpoint",
    "ModelMonitor": "mlrails:monitoring:ModelMonitor",
    "EndpointAlarms": "mlrails:monitoring:EndpointAlarms",
    "AlertTopic": "mlrails:monitoring:AlertTopic",
    "EndpointDashboard": "mlrails:monitoring:EndpointDashboard",
    "ModelCard": "mlrails:governance:ModelCard",
    "ModelRegistry": "mlrails:governance:ModelRegistry",
    "InferenceService": "mlrails:kubernetes:InferenceService",
}


# The plugin's virtualenv is built from scratch, as the engine builds it: minutes, so `make check`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def plugin(tmp_path_factory):
    """(venv python, plugin directory): the plugin installed as the engine installs it."""
    plugin = package_host.copy_distribution_sources(tmp_path_factory.mktemp("package"))
    return package_host.build_plugin_venv(plugin), plugin


@pytest.fixture(scope="module")
def hosted(plugin, tmp_path_factory):
    """(provider stub, engine): the plugin running, started in a program's directory."""
    python, directory = plugin
    engine, server = package_host.serve_engine(
        {AWS_PROVIDER: "aws-provider-id", KUBERNETES_PROVIDER: "kubernetes-provider-id"}
    )
    program = tmp_path_factory.mktemp("program")
    process = package_host.start_plugin(python, directory, engine, program)
    try:
        line = process.stdout.readline().strip()
        assert line.isdigit(), f"no port printed: {line!r} {process.stderr.read()[-4000:]}"
        channel = grpc.insecure_channel(f"127.0.0.1:{line}")
        grpc.channel_ready_future(channel).result(timeout=60)
        yield provider_pb2_grpc.ResourceProviderStub(channel), engine
        channel.close()
    finally:
        process.kill()
        process.wait()
        server.stop(None)


def test_the_plugin_directory_holds_nothing_that_could_shadow_an_installed_package():
    # The engine puts the plugin directory first on the import path (`python <plugin dir>`).
    plugin = Path(__file__).parents[2] / "components" / "plugin"
    entries = {p.name for p in plugin.iterdir()} - {"venv", "__pycache__"}
    assert entries == {"PulumiPlugin.yaml", "__main__.py", "requirements.txt"}


@pytest.fixture(scope="module")
def served_schema(hosted) -> dict:
    stub, _ = hosted
    return json.loads(stub.GetSchema(provider_pb2.GetSchemaRequest(version=0)).schema)


def test_the_served_schema_is_the_one_the_reference_renders(served_schema):
    assert served_schema == package_schema()


def test_the_served_schema_is_valid_against_pulumis_package_metaschema(served_schema):
    assert validation_errors(served_schema) == []


def test_the_metaschema_check_finds_a_misspelt_field(served_schema):
    assert validation_errors({**served_schema, "licence": "Apache-2.0"})


def test_the_served_schema_names_no_type_with_args(served_schema):
    assert served_schema["namespace"] == "mlrails" and served_schema["repository"]
    assert [t for t in served_schema["types"] if t.endswith("Args")] == []


def test_the_end_to_end_wiring_inputs_take_outputs(served_schema):
    alarms = served_schema["resources"]["mlrails:index:EndpointAlarms"]["inputProperties"]
    endpoint = served_schema["resources"]["mlrails:index:ModelEndpoint"]["properties"]
    assert not alarms["variantNames"].get("plain") and "variantNames" in endpoint
    helpers = {"invokePolicyJson", "dataCaptureS3Uri", "dataCaptureKmsKeyArn", "metricDimensions"}
    assert helpers <= set(endpoint)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_constructs_from_plain_inputs_with_protect_and_providers(
    hosted, served_schema, component
):
    stub, engine = hosted
    name = component.__name__
    response = construct(stub, engine, name, wire(INPUTS[name], outputs=False), protect=True)
    own, children = split(engine, name)
    assert response.urn == f"urn:pulumi:{STACK}::{PROJECT}::mlrails:index:{name}::{own.name}"
    # A class registering a token the schema does not declare fails here.
    assert own.type == f"mlrails:index:{name}" and own.type in served_schema["resources"]
    assert own.parent == STACK_URN and children
    assert descends_from_component(engine, response.urn)
    assert [c.name for c in children if not c.protect] == []
    assert providers_missing(children) == []
    assert returned_outputs(response) == set(served_schema["resources"][own.type]["properties"])


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_registers_an_alias_from_its_old_token(hosted, component):
    stub, engine = hosted
    name = component.__name__
    construct(stub, engine, name, wire(INPUTS[name], outputs=False))
    own, _ = split(engine, name)
    # A component first released under its index token has no older one to alias.
    assert alias_types(own) == ([OLD_TOKENS[name]] if name in OLD_TOKENS else [])


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_constructs_from_outputs_of_other_resources(hosted, component):
    stub, engine = hosted
    name = component.__name__
    inputs, dependencies = wire(INPUTS[name], outputs=True)
    response = construct(stub, engine, name, (inputs, dependencies))
    _, children = split(engine, name)
    reached = {urn for child in children for urn in child.dependencies}
    expected = {urn for key, urns in dependencies.items() if key not in WIRED_ONLY for urn in urns}
    assert expected and expected <= reached
    assert returned_outputs(response)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_previews_with_outputs_still_unknown(hosted, component):
    # In a preview, what other new resources will produce is unknown; variant names stay known
    # (a ModelEndpoint's come from its plain variants).
    stub, engine = hosted
    name = component.__name__
    inputs, dependencies = wire(INPUTS[name], outputs=True, unknown=True)
    response = construct(stub, engine, name, (inputs, dependencies), dry_run=True)
    _, children = split(engine, name)
    assert children and response.urn.endswith(f"::mlrails:index:{name}::{name.lower()}-test")


def test_variant_names_unknown_in_a_preview_are_one_clear_error(hosted):
    stub, engine = hosted
    inputs, dependencies = wire(INPUTS["EndpointAlarms"], outputs=True)
    inputs["variantNames"] = {rpc._special_sig_key: rpc._special_output_value_sig}
    with pytest.raises(grpc.RpcError, match=r"`variant_names` is .*one alarm per variant"):
        construct(stub, engine, "EndpointAlarms", (inputs, dependencies), dry_run=True)


def test_an_integer_input_with_a_fraction_is_refused_naming_it(hosted):
    stub, engine = hosted
    inputs = wire(INPUTS["EncryptionKey"], outputs=False)
    inputs["deletionWindowDays"] = 14.5
    with pytest.raises(grpc.RpcError, match=r"`deletion_window_days` is 14\.5"):
        construct(stub, engine, "EncryptionKey", inputs)


def test_an_output_for_an_integer_that_takes_none_is_refused_naming_it(hosted):
    # Not a TypeError from the provider's int() of an Output: the component's own message.
    stub, engine = hosted
    inputs, dependencies = wire(
        {**INPUTS["EncryptionKey"], "deletionWindowDays": Wired(14)}, outputs=True
    )
    with pytest.raises(grpc.RpcError, match=r"`deletion_window_days` is <pulumi.output.Output"):
        construct(stub, engine, "EncryptionKey", (inputs, dependencies))


def test_the_provider_answers_configure_accepting_outputs(hosted):
    stub, _ = hosted
    answer = stub.Configure(provider_pb2.ConfigureRequest(acceptSecrets=True))
    assert answer.acceptOutputs and answer.acceptResources
    assert stub.GetPluginInfo(empty_pb2.Empty()).version == package_schema()["version"]


# --- helpers --------------------------------------------------------------------------------


def validation_errors(schema: dict) -> list[str]:
    # The metaschema's patterns use ECMAScript named groups, `(?<name>`; Python's are `(?P<name>`.
    text = re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", METASCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(json.loads(text))
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(schema)]


def construct(stub, engine, component: str, inputs, protect=False, dry_run=False):
    inputs, dependencies = inputs if isinstance(inputs, tuple) else (inputs, {})
    engine.reset()
    message = struct_pb2.Struct()
    message.update(inputs)  # every number becomes a double, as on the real wire
    request = provider_pb2.ConstructRequest(
        project=PROJECT,
        stack=STACK,
        organization="organization",
        dryRun=dry_run,
        monitorEndpoint=engine.address,
        type=f"mlrails:index:{component}",
        name=f"{component.lower()}-test",
        parent=STACK_URN,
        inputs=message,
        inputDependencies={
            key: provider_pb2.ConstructRequest.PropertyDependencies(urns=urns)
            for key, urns in dependencies.items()
        },
        protect=protect,
        providers={
            "aws": f"{AWS_PROVIDER}::aws-provider-id",
            "kubernetes": f"{KUBERNETES_PROVIDER}::kubernetes-provider-id",
        },
        accepts_output_values=True,
    )
    return stub.Construct(request, timeout=120)


def split(engine, component: str):
    """(the component's own registration, every other registration of the Construct)."""
    own = [r for r in engine.registrations if r.type.endswith(f":{component}") and not r.custom]
    assert len(own) == 1, [r.type for r in engine.registrations]
    return own[0], [r for r in engine.registrations if r is not own[0]]


def descends_from_component(engine, component_urn: str) -> bool:
    """Every registration has the component as parent, or a parent that descends from it.

    Default providers are the exception: the engine registers them at the stack's root for a
    package no explicit provider was given for (here aws-native, whose provider the Construct
    call does not name)."""
    parents = {r.urn: r.parent for r in engine.monitor.records}
    for record in engine.monitor.records:
        if record.is_provider:
            continue
        urn = record.urn
        while urn != component_urn:
            if urn not in parents or parents[urn] in (None, STACK_URN):
                return False
            urn = parents[urn]
    return True


def providers_missing(children) -> list[str]:
    """Custom children not using the provider the Construct call named for their package."""
    wanted = {"aws": AWS_PROVIDER, "kubernetes": KUBERNETES_PROVIDER}
    return [
        f"{c.type} {c.name}"
        for c in children
        if c.custom and not c.provider.startswith(wanted[c.type.split(":")[0]] + "::")
    ]


def alias_types(registration) -> list[str]:
    return [a.spec.type for a in registration.aliases if isinstance(a, alias_pb2.Alias)]


def returned_outputs(response) -> set[str]:
    return set(json_format.MessageToDict(response.state))
