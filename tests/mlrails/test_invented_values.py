"""Values the engine invents: output declarations read from the SDK classes, lookup answers of
their declared result type, listed in every report format; StackReference outputs; remote
components reported as not evaluated in every format."""

from __future__ import annotations

import json

import pulumi_aws as aws
import pulumi_aws_native as native

from mlrails.engine.declarations import resource_class, resource_outputs
from mlrails.engine.synthesize import function_result, resource_outputs_for
from tests.conftest import TESTS

CORPUS = TESTS / "corpus"


def _outputs(cls):
    return {p.wire_name: p for p in resource_outputs(cls)}


def test_output_declarations_come_from_the_sdk_class_with_wire_names_and_optionality():
    assert resource_class("aws:sns/topic:Topic") is aws.sns.Topic
    topic = _outputs(aws.sns.Topic)
    # Optional and an input: the provider returns nothing when the program leaves it out.
    assert topic["kmsMasterKeyId"].optional and topic["kmsMasterKeyId"].is_input
    instance = _outputs(aws.ec2.Instance)
    # Computed: typed Output[str], not Optional, although also an input.
    assert not instance["privateIp"].optional and instance["privateIp"].is_input
    assert not instance["publicDns"].is_input
    assert not _outputs(native.kms.Key)["keyId"].optional


def test_resolved_outputs_fill_computed_values_and_leave_unset_optional_inputs_out():
    urn = "urn:pulumi:dev::p::aws:sns/topic:Topic::alerts"
    filled = resource_outputs_for("aws:sns/topic:Topic", "alerts", urn, "eu-west-1", {})
    assert "kmsMasterKeyId" not in filled
    assert filled["owner"] == "123456789012"
    eks = resource_outputs_for("aws:eks/cluster:Cluster", "ml", "urn:x", "eu-west-1", {})
    assert eks["endpoint"].startswith("https://")
    assert eks["certificateAuthority"]["data"].startswith("LS0tLS1CRUdJTi")  # base64 PEM
    assert eks == resource_outputs_for("aws:eks/cluster:Cluster", "ml", "urn:x", "eu-west-1", {})


def test_a_lookup_answer_has_every_field_of_its_result_type_and_echoes_its_arguments():
    zone = function_result("aws:route53/getZone:getZone", {"name": "example.com"}, "eu-west-1")
    assert zone["name"] == "example.com"
    assert zone["zoneId"].startswith("Z") and isinstance(zone["nameServers"], list)
    assert function_result("acme:index/getWidget:getWidget", {}, "eu-west-1") is None


def test_invented_lookups_are_listed_in_every_format(cli):
    project = CORPUS / "route53_acm"
    listed = cli("preview", project, "--format", "json").json()["synthesized_lookups"]
    assert [entry["function"] for entry in listed] == ["aws:route53/getZone:getZone"]
    assert listed[0]["arguments"] == {"name": "example.com"}
    text = cli("preview", project, "--format", "text").out
    assert "invented: aws:route53/getZone:getZone" in text
    markdown = cli("preview", project, "--format", "markdown").out
    assert "### Invented lookup answers" in markdown and "getZone" in markdown
    sarif = json.loads(cli("preview", project, "--format", "sarif").out)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["synthesized-lookup"]
    assert "aws:route53/getZone:getZone" in notes[0]["message"]["text"]


def test_a_remote_component_is_not_evaluated_in_every_format_and_the_summary(cli):
    project = CORPUS / "remote_component"
    document = cli("preview", project, "--format", "json").json()
    assert document["summary"]["not_evaluated"] == 1
    [finding] = [f for f in document["violations"] if f["policy"] == "remote-component"]
    assert finding["status"] == "not_evaluated" and "eks:index:Cluster" in finding["message"]
    assert "1 remote component(s) whose resources were not judged" in cli("preview", project).out
    assert "remote-component" in cli("preview", project, "--format", "markdown").out
    sarif = json.loads(cli("preview", project, "--format", "sarif").out)
    assert any(r["ruleId"] == "remote-component" for r in sarif["runs"][0]["results"])
    junit = cli("preview", project, "--format", "junit").out
    assert "remote (multi-language) component" in junit


def test_stack_reference_outputs_come_from_the_stack_outputs_file(cli, tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"acme/network/prod": {"vpcId": "vpc-0abc"}}))
    project = CORPUS / "stack_reference"
    document = cli("preview", project, "--stack-outputs", outputs, "--format", "json").json()
    [group] = [r for r in document["resources"] if r["name"] == "app"]
    assert group["inputs"]["vpcId"] == "vpc-0abc"
    assert "outputs are unknown" not in cli("preview", project, "--stack-outputs", outputs).out
    assert "outputs are unknown" in cli("preview", project).out


def test_a_malformed_stack_outputs_file_is_one_message_naming_it(cli, tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"acme/network/prod": ["vpc-0abc"]}))
    result = cli("preview", CORPUS / "stack_reference", "--stack-outputs", outputs)
    assert result.code == 2
    assert f"{outputs}: the outputs of stack 'acme/network/prod' are a JSON list" in result.err
    assert "Traceback" not in result.err


def test_piped_text_is_wide_enough_to_read(cli):
    out = cli("preview", CORPUS / "untagged_everything").out
    assert "missing required tag(s): owner, cost-center, data-classification" in out
