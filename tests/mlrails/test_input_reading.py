"""Reading input files: the limits and YAML rules behind the hostile-input campaign."""

from __future__ import annotations

import pytest

from mlrails.errors import UserError
from mlrails.files import read_text_input
from mlrails.yaml_input import read_yaml_mapping


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.json"
    big.write_text("x" * 100)
    with pytest.raises(UserError, match=r"big.json: is larger than .* too large for the policy"):
        read_text_input(big, "the policy configuration", limit=10)


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    marked = tmp_path / "Pulumi.yaml"
    marked.write_bytes(b"\xef\xbb\xbfname: p\n")
    assert read_yaml_mapping(marked) == {"name": "p"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(
            "a: {b: 1, b: 2}\n", "key 'b' appears twice (lines 1 and 1)", id="flow-mapping"
        ),
        pytest.param(
            "a: 1\nc:\n  d: 1\n  d: 2\n", "key 'd' appears twice (lines 3 and 4)", id="nested"
        ),
        pytest.param("a: &x [*x]\n", "refer to themselves", id="recursive-alias"),
        pytest.param("a: " + "[" * 5000 + "]" * 5000 + "\n", "nests values too deeply", id="deep"),
    ],
)
def test_yaml_pulumi_would_refuse_is_one_message(tmp_path, text, fragment):
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(text)
    with pytest.raises(UserError) as raised:
        read_yaml_mapping(path, "the stack configuration")
    assert fragment in str(raised.value) and str(path) in str(raised.value)


def test_merge_keys_are_not_duplicates(tmp_path):
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n")
    assert read_yaml_mapping(path)["use"] == {"x": 1, "y": 2}
