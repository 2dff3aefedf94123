"""The Markdown report's compliance view: per framework, each control's checks and failures."""

from __future__ import annotations

from tests.conftest import PROJECTS


def compliance_rows(markdown: str) -> dict[str, list[str]]:
    rows = {}
    for line in markdown.splitlines():
        if line.startswith("| ") and ": " in line.split("|")[1]:
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0].split(":")[0]] = cells
    return rows


def test_compliance_view_counts_checks_and_names_failing_resources(cli):
    markdown = cli(
        "preview", PROJECTS / "governance_mix", "--stack", "dev", "--format", "markdown"
    ).out
    assert "### Compliance view" in markdown
    for framework in ("EU AI Act", "NIST AI RMF", "ISO/IEC 42001", "HIPAA", "SOC 2", "AWS FSBP"):
        assert f"#### {framework}" in markdown
    rows = compliance_rows(markdown)
    # KMS.4 is evidenced by kms-key-rotation alone: one key rotates, one does not.
    _, rules, passed, failed, waived, undecided, failing = rows["KMS.4"]
    assert rules == "`kms-key-rotation`"
    assert (passed, failed, waived, undecided) == ("1", "1", "0", "0")
    assert failing == "`open-key`"
    # SageMaker.4 (min instances): the single-instance endpoint configuration fails.
    assert rows["SageMaker.4"][6] == "`fraud-config`"


def test_waived_checks_are_counted_as_waived(cli, tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(
        '{"kms-key-rotation": {"waivers": [{"resource": "open-key", "reason": "HSM", "expires": "2099-01-01"}]}}'
    )
    markdown = cli(
        "preview",
        PROJECTS / "governance_mix",
        "--stack",
        "dev",
        "--format",
        "markdown",
        "--policy-config",
        config,
    ).out
    _, _, passed, failed, waived, _, failing = compliance_rows(markdown)["KMS.4"]
    assert (passed, failed, waived, failing) == ("1", "0", "1", "-")
