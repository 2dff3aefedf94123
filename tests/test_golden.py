"""The golden-file check: a difference fails with its diff and the way to accept it."""

from __future__ import annotations

import pytest


def test_a_difference_fails_with_the_diff(golden, tmp_path, request):
    if request.config.getoption("--update-golden"):
        pytest.skip("checks the comparing mode")
    path = tmp_path / "graph.json"
    path.write_text("one\ntwo\n")
    golden(path, "one\ntwo\n")
    with pytest.raises(pytest.fail.Exception) as failure:
        golden(path, "one\nthree\n")
    assert "-two" in str(failure.value) and "+three" in str(failure.value)
    assert "--update-golden" in str(failure.value)
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        golden(tmp_path / "absent.json", "x")
