"""The engine's fast path changes nothing but time: every example, stack and corpus program
previews to byte-identical output with and without it, in both modes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from google.protobuf import json_format, struct_pb2

from mlrails.engine.fast_path import DISABLE_ENV, fast_path_enabled, struct_to_dict
from tests.conftest import REPO

CORPUS = REPO / "tests" / "corpus"


def _targets() -> list[tuple[Path, str]]:
    """(project directory, stack) of every example, every stack of stacks/, every program of
    the corpus."""
    targets = []
    for directory in [*sorted((REPO / "examples").iterdir()), REPO / "stacks"]:
        for stack_file in sorted(directory.glob("Pulumi.*.yaml")):
            targets.append((directory, stack_file.name.split(".")[1]))
    targets += [(p, "dev") for p in sorted(CORPUS.iterdir()) if (p / "Pulumi.yaml").exists()]
    return targets


TARGETS = _targets()


def test_the_fidelity_check_covers_every_example_stack_and_corpus_program():
    names = {f"{d.name}:{s}" for d, s in TARGETS}
    assert {"fleet:dev", "stacks:prod", "stacks:staging", "engine_transforms:dev"} <= names
    assert len(TARGETS) >= 45


@pytest.mark.slow  # four previews of every example, stack and corpus program (`make check`)
@pytest.mark.parametrize(
    ("directory", "stack"), TARGETS, ids=[f"{d.relative_to(REPO)}:{s}" for d, s in TARGETS]
)
def test_the_fast_path_gives_byte_identical_previews_in_both_modes(cli, directory, stack):
    for mode in ("resolved", "preview"):
        command = ("preview", directory, "--stack", stack, "--mode", mode, "--format", "json")
        fast = cli(*command)
        slow = cli(*command, "--no-fast-path")
        assert fast.code in (0, 1, 2)
        assert (fast.code, fast.err) == (slow.code, slow.err), mode
        assert fast.out == slow.out, mode
        if fast.code != 2:
            assert fast.json()["mode"] == mode


def test_the_environment_variable_turns_the_fast_path_off(monkeypatch):
    assert fast_path_enabled()
    assert not fast_path_enabled(requested=False)
    monkeypatch.setenv(DISABLE_ENV, "1")
    assert not fast_path_enabled()


def test_a_struct_reads_as_message_to_dict_reads_it():
    struct = struct_pb2.Struct()
    struct.update(
        {
            "name": "model",
            "count": 2,
            "ratio": 0.5,
            "on": True,
            "none": None,
            "nested": {"list": [1, "a", {"b": False}, [], None], "empty": {}},
        }
    )
    assert struct_to_dict(struct) == json_format.MessageToDict(struct)
    assert list(struct_to_dict(struct)) == list(json_format.MessageToDict(struct))
    struct.update({"bad": math.nan})
    with pytest.raises(ValueError):
        struct_to_dict(struct)


def test_a_preview_leaves_nothing_frozen_out_of_garbage_collection(cli):
    import gc

    frozen = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    assert gc.isenabled()
    result = cli("preview", CORPUS / "transforms_tags", "--format", "json")
    assert result.code == 0, result.err
    # What the run left behind is collectable again once the report is written.
    assert gc.get_freeze_count() == frozen
    assert gc.get_threshold() == thresholds
    assert gc.isenabled()  # paused only while the program ran


@pytest.mark.parametrize(
    ("flags", "frozen_at_exit"),
    [([], True), (["--no-fast-path"], False)],
    ids=["fast-path", "no-fast-path"],
)
def test_preview_freezes_what_is_left_at_exit_only_on_the_fast_path(
    cli, mocker, flags, frozen_at_exit
):
    import atexit
    import gc

    register = mocker.patch.object(atexit, "register")
    mocker.patch.object(atexit, "unregister")
    result = cli("preview", CORPUS / "transforms_tags", "--format", "json", *flags)
    assert result.code == 0, result.err
    assert (mocker.call(gc.freeze) in register.call_args_list) is frozen_at_exit


@pytest.mark.parametrize("every", [1, 3])
@pytest.mark.parametrize(
    "directory",
    [
        REPO / "examples" / "fleet",
        CORPUS / "apply_error",
        CORPUS / "apply_error_unused",
        CORPUS / "engine_transforms",
    ],
    ids=lambda directory: directory.name,
)
def test_sweeping_completed_outputs_at_any_interval_changes_nothing(
    cli, monkeypatch, directory, every
):
    """The fast path's output tracking sweeps what succeeded every SWEEP_EVERY outputs; swept
    after each one or every few, a preview (one whose apply fails among them) is unchanged."""
    from mlrails.engine import fast_path

    command = ("preview", directory, "--stack", "dev", "--format", "json")
    slow = cli(*command, "--no-fast-path")
    monkeypatch.setattr(fast_path, "SWEEP_EVERY", every)
    fast = cli(*command)
    assert (fast.code, fast.err, fast.out) == (slow.code, slow.err, slow.out)
    assert fast.code in (0, 1, 2)


def test_a_sweep_keeps_every_output_the_final_wait_must_still_see(monkeypatch):
    """What failed, was cancelled or is pending stays tracked (`stack.wait_for_rpcs` awaits
    it); only what succeeded leaves."""
    import asyncio
    import threading
    from types import SimpleNamespace

    from mlrails.engine import fast_path

    monkeypatch.setattr(fast_path, "SWEEP_EVERY", 4)
    loop = asyncio.new_event_loop()
    try:
        succeeded, failed, cancelled, pending = (loop.create_future() for _ in range(4))
        succeeded.set_result("value")
        failed.set_exception(ValueError("in an apply"))
        cancelled.cancel()
        outputs: set = set()
        track = fast_path._output_tracker(threading.Lock(), outputs)
        for data in (succeeded, failed, cancelled):
            track(SimpleNamespace(_data=data))
        assert outputs == {succeeded, failed, cancelled}  # no sweep before the fourth
        track(SimpleNamespace(_data=pending))
        assert outputs == {failed, cancelled, pending}
    finally:
        loop.close()
