"""Waivers: valid, expired and malformed, offline and through the CLI's exit code."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mlrails.errors import UserError
from mlrails_policies.framework.waivers import Waiver, find_waiver, parse_waivers
from tests.conftest import PROJECTS
from tests.policies.conftest import R, only

URN = "urn:pulumi:dev::governance-mix::aws:kms/key:Key::open-key"


def key(name="open-key"):
    return R("aws:kms/key:Key", name, {"enableKeyRotation": False})


def waiver(**changes):
    return {
        "resource": "open-key",
        "reason": "rotation handled by HSM, SEC-7",
        "expires": "2099-01-31",
        **changes,
    }


def test_a_valid_waiver_marks_the_violation_waived_with_its_reason(judge):
    finding = only(
        judge("kms-key-rotation", [key()], {"kms-key-rotation": {"waivers": [waiver()]}})
    )
    assert finding.waived and finding.waiver_reason == "rotation handled by HSM, SEC-7"
    assert not finding.blocking


def test_a_waiver_covers_only_the_resources_its_glob_matches(judge):
    config = {"kms-key-rotation": {"waivers": [waiver(resource="*legacy*")]}}
    findings = judge("kms-key-rotation", [key(), key("legacy-key")], config)
    assert [(f.urn.rsplit("::", 1)[1], f.waived) for f in findings] == [
        ("open-key", False),
        ("legacy-key", True),
    ]


def test_a_waiver_may_name_the_full_urn():
    expires = dt.date(2099, 1, 1)
    by_urn = Waiver("kms-key-rotation", URN, "r", expires)
    assert by_urn.covers(URN) and not by_urn.covers(URN + "2")


def test_an_expired_waiver_counts_as_none_and_says_so(judge):
    config = {"kms-key-rotation": {"waivers": [waiver(expires="2020-06-30")]}}
    finding = only(judge("kms-key-rotation", [key()], config))
    assert not finding.waived and finding.blocking
    assert finding.message.endswith(
        "(waiver expired on 2020-06-30: rotation handled by HSM, SEC-7)"
    )


def test_a_waiver_holds_through_its_expiry_date():
    waiver_ = Waiver("p", "*", "r", dt.date(2026, 11, 25))
    assert find_waiver((waiver_,), URN, dt.date(2026, 11, 25)) == (waiver_, None)
    assert find_waiver((waiver_,), URN, dt.date(2026, 11, 26)) == (None, waiver_)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ([{"resource": "k", "expires": "2099-01-01"}], "'reason' is a required property"),
        ([{"resource": "k", "reason": "x"}], "'expires' is a required property"),
        ([{"resource": "k", "reason": "x", "expires": "next year"}], "does not match"),
        ([{"resource": "k", "reason": "", "expires": "2099-01-01"}], "should be non-empty"),
        ("all of them", "is not of type 'array'"),
        ([{"resource": "k", "reason": "x", "expires": "2099-02-30"}], "use a date such as"),
        (
            [{"policy": "other", "resource": "k", "reason": "x", "expires": "2099-01-01"}],
            "names policy 'other'",
        ),
    ],
    ids=[
        "no-reason",
        "no-expiry",
        "expiry-not-a-date",
        "empty-reason",
        "not-a-list",
        "february-30",
        "another-policy",
    ],
)
def test_malformed_waivers_are_configuration_errors(judge, raw, fragment):
    with pytest.raises(UserError) as err:
        judge("kms-key-rotation", [key()], {"kms-key-rotation": {"waivers": raw}})
    assert fragment in str(err.value) and "kms-key-rotation" in str(err.value)


def test_parse_waivers_names_the_index_of_the_bad_waiver():
    with pytest.raises(ValueError, match=r"`kms-key-rotation.waivers\[1\]` has no reason"):
        parse_waivers("kms-key-rotation", [waiver(), {"resource": "x", "expires": "2099-01-01"}])


def test_waived_mandatory_violations_do_not_fail_the_preview(cli, tmp_path):
    project = PROJECTS / "governance_mix"
    base = cli("preview", project, "--stack", "dev", "--format", "json")
    assert base.code == 1
    mandatory = [v for v in base.json()["violations"] if v["enforcement"] == "mandatory"]
    config = {}
    for violation in mandatory:
        entry = config.setdefault(violation["policy"], {"waivers": []})
        entry["waivers"].append(
            {
                "resource": violation["urn"] or "*",
                "reason": "accepted in review",
                "expires": "2099-12-31",
            }
        )
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(config))
    waived = cli("preview", project, "--stack", "dev", "--policy-config", path, "--format", "json")
    assert waived.code == 0
    summary = waived.json()["summary"]
    assert summary["mandatory"] == 0 and summary["waived"] == len(mandatory)
    markdown = cli(
        "preview", project, "--stack", "dev", "--policy-config", path, "--format", "markdown"
    ).out
    assert "waived (mandatory): accepted in review" in markdown
