"""examples/encrypted-store: two stores and the grants of a model role, compliant in both modes."""

from __future__ import annotations

import pytest

from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "encrypted-store"


@pytest.mark.parametrize("mode", ["resolved", "preview"])
def test_the_example_previews_with_no_violation(cli, mode):
    result = cli("preview", EXAMPLE, "--stack", "dev", "--mode", mode, "--format", "json")
    assert result.code == 0, result.err
    document = result.json()
    summary = document["summary"]
    assert summary["mandatory"] == 0 and summary["advisory"] == 0
    types = [r["type"] for r in document["resources"]]
    assert types.count("mlrails:index:EncryptedBucket") == 2
    assert types.count("aws:iam/rolePolicy:RolePolicy") == 2
    # In a first preview only the bucket policies, which carry the new keys' ARNs, are unknown.
    assert summary["not_evaluated"] == (0 if mode == "resolved" else 2)
