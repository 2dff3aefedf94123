"""Output files: written atomically with the mode an ordinary write would give them."""

from __future__ import annotations

import os
import stat

import pytest

from mlrails.files import write_atomically


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it after."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(saved)


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.mark.parametrize(
    ("mask", "expected"),
    [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)],
    ids=["umask-022", "umask-077", "umask-002"],
)
def test_a_new_file_gets_0666_less_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    target = tmp_path / "report.sarif"
    write_atomically(target, "{}\n")
    assert mode(target) == expected
    assert target.read_text() == "{}\n"


def test_an_existing_file_keeps_its_mode_whatever_the_umask(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, "new")
    assert mode(target) == 0o640 and target.read_text() == "new"


def test_a_symlink_is_replaced_not_followed_and_its_target_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("untouched")
    elsewhere.chmod(0o600)
    link = tmp_path / "out.md"
    link.symlink_to(elsewhere)
    write_atomically(link, "report")
    assert not link.is_symlink() and mode(link) == 0o644
    assert elsewhere.read_text() == "untouched" and mode(elsewhere) == 0o600
