"""The SageMaker examples pass the policy pack with zero mandatory violations, in both modes."""

from __future__ import annotations

import pytest

from tests.conftest import REPO

EXAMPLES = ["sagemaker-canary", "sagemaker-shadow", "sagemaker-serverless"]


@pytest.mark.parametrize("mode", ["resolved", "preview"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_has_no_mandatory_violation(cli, example, mode):
    result = cli(
        "preview", REPO / "examples" / example, "--stack", "dev", "--mode", mode, "--format", "json"
    )
    assert result.code == 0, result.out + result.err
    assert result.json()["summary"]["mandatory"] == 0
