"""Reading Pulumi.yaml and Pulumi.<stack>.yaml as the Pulumi CLI does."""

from __future__ import annotations

import json

import pytest

from mlrails.errors import UserError
from mlrails.project import SECRET_PLACEHOLDER, load_project, stack_names
from tests.conftest import PROJECTS


def write_project(tmp_path, pulumi_yaml="name: p\nruntime: python\n", stack=None, main=True):
    (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml)
    if stack is not None:
        (tmp_path / "Pulumi.dev.yaml").write_text(stack)
    if main:
        (tmp_path / "__main__.py").write_text("")
    return tmp_path


def test_config_keys_are_namespaced_rendered_as_strings_and_secrets_listed():
    project = load_project(PROJECTS / "raw_aws", "dev")
    assert project.name == "raw-aws"
    assert project.config["aws:region"] == "eu-west-1"
    assert project.config["raw-aws:owner"] == "ml-platform"
    assert project.config["raw-aws:bucketPrefix"] == "models"
    # The stack value wins over the project default; numbers reach the program as strings.
    assert project.config["raw-aws:retentionDays"] == "90"
    assert json.loads(project.config["raw-aws:labels"]) == {"team": "ml", "tier": "gold"}
    assert project.config["raw-aws:webhookToken"] == SECRET_PLACEHOLDER
    assert project.secret_keys == ("raw-aws:webhookToken",)


def test_project_config_defaults_apply_when_the_stack_is_silent(tmp_path):
    write_project(
        tmp_path,
        "name: p\nruntime: python\nconfig:\n  size:\n    type: integer\n    default: 3\n"
        "  aws:region: us-west-2\n",
        stack="config: {}\n",
    )
    project = load_project(tmp_path, "dev")
    assert project.config == {"p:size": "3", "aws:region": "us-west-2"}
    assert project.region == "us-west-2"


def test_secure_value_nested_in_an_object_makes_the_key_secret(tmp_path):
    write_project(
        tmp_path, stack="config:\n  db:\n    user: admin\n    password:\n      secure: v1:xx\n"
    )
    project = load_project(tmp_path, "dev")
    assert json.loads(project.config["p:db"]) == {"user": "admin", "password": SECRET_PLACEHOLDER}
    assert project.secret_keys == ("p:db",)


def test_main_may_name_a_program_directory():
    project = load_project(PROJECTS / "component", "dev")
    assert project.program == (PROJECTS / "component" / "program").resolve()


@pytest.mark.parametrize(
    ("pulumi_yaml", "stack", "fragment"),
    [
        ("name: p\nruntime: nodejs\n", "config: {}", "runtime` is 'nodejs'"),
        ("runtime: python\n", "config: {}", "key `name` is None"),
        ("name: p\nruntime: python\nmain: nowhere/\n", "config: {}", "does not exist"),
        ("name: p\nruntime: [python\n", "config: {}", "not valid YAML at line 3"),
        ("name: p\nruntime: python\n", "config:\n  a:b:c: 1\n", "config key 'a:b:c'"),
        ("name: p\nruntime: python\n", "config: [1, 2]\n", "key `config` is a list"),
        ("name: p\nruntime: python\n", "- just\n- a list\n", "holds a list at the top level"),
    ],
)
def test_malformed_project_or_stack_file_names_file_and_key(tmp_path, pulumi_yaml, stack, fragment):
    write_project(tmp_path, pulumi_yaml, stack)
    with pytest.raises(UserError) as err:
        load_project(tmp_path, "dev")
    assert fragment in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_unknown_stack_lists_the_stacks_that_exist(tmp_path):
    write_project(tmp_path, stack="config: {}\n")
    with pytest.raises(
        UserError, match=r"unknown stack 'prod'.*Stacks with a configuration file here: dev"
    ):
        load_project(tmp_path, "prod")


def test_stack_files_are_found_in_stack_config_dir(tmp_path):
    write_project(tmp_path, "name: p\nruntime: python\nstackConfigDir: config\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "Pulumi.prod.yml").write_text("config:\n  aws:region: eu-west-1\n")
    (tmp_path / "Pulumi.ignored.yaml").write_text("config: {}\n")
    assert stack_names(tmp_path) == ["prod"]
    project = load_project(tmp_path, "prod")
    assert project.stack_file == tmp_path / "config" / "Pulumi.prod.yml"
    assert project.region == "eu-west-1"
    with pytest.raises(UserError, match=r"Stacks with a configuration file here: prod\."):
        load_project(tmp_path, "ignored")


def test_stack_config_dir_must_be_a_path(tmp_path):
    write_project(tmp_path, "name: p\nruntime: python\nstackConfigDir: [config]\n")
    with pytest.raises(UserError, match=r"key `stackConfigDir` is \['config'\]"):
        stack_names(tmp_path)


def test_missing_project_file_and_directory_are_explained(tmp_path):
    with pytest.raises(UserError, match=r"no Pulumi\.yaml here"):
        load_project(tmp_path, "dev")
    with pytest.raises(UserError, match="no such project directory"):
        load_project(tmp_path / "absent", "dev")


def test_program_directory_without_main_is_rejected(tmp_path):
    write_project(tmp_path, stack="config: {}\n", main=False)
    with pytest.raises(UserError, match=r"has no __main__\.py"):
        load_project(tmp_path, "dev")
