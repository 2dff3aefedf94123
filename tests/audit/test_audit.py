"""`mlrails audit` against a real AWS API emulator: verdicts by rule and ARN, the same verdicts
as a preview of the same resources, faults as results, and never a write."""

from __future__ import annotations

import json

import pytest
from botocore.retries.standard import ExponentialBackoff

from mlrails.audit.clients import READS, Clients, MutatingCallRefused
from tests.audit import account
from tests.audit.conftest import ACCOUNT, REGION, outside_the_allow_list
from tests.audit.fault_proxy import Fault
from tests.conftest import PROJECTS

ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"
# What an audit of the test account sends, as the proxy names it: one listing per service (and
# per SageMaker kind), the reads of what they find, and nothing else.
WIRE_READS = {
    "GetCallerIdentity",
    "ListModels",
    "DescribeModel",
    "ListEndpointConfigs",
    "DescribeEndpointConfig",
    "ListEndpoints",
    "DescribeEndpoint",
    "ListModelCards",
    "DescribeModelCard",
    "ListMonitoringSchedules",
    "ListDataQualityJobDefinitions",
    "ListModelQualityJobDefinitions",
    "ListModelBiasJobDefinitions",
    "ListModelExplainabilityJobDefinitions",
    "ListTags",
    "DescribeAlarms",
    "ListTagsForResource",
    "ListTopics",
    "ListKeys",
    "ListRoles",
    "s3:GET bucket-region max-buckets",  # ListBuckets
    "s3:GET",  # S3 Control's GetPublicAccessBlock
}


def audit(cli, url, *extra):
    return cli(
        "audit", "--region", REGION, "--endpoint-url", url, "--max-attempts", "2",
        "--format", "json", *extra,
    )  # fmt: skip


def verdicts(document, status="violation"):
    """{(rule, ARN)} of the findings with that status."""
    out = set()
    for finding in document["violations"]:
        not_evaluated = finding["message"].startswith("not evaluated: ")
        if (status == "not evaluated") == not_evaluated:
            out.add((finding["policy"], finding["urn"]))
    return out


@pytest.fixture
def ml_account(aws):
    account.create(aws)
    return aws


def test_violations_are_reported_by_rule_and_arn(cli, ml_account):
    result = audit(cli, ml_account.url, "--allow-incomplete")
    assert result.code == 1, result.err
    document = result.json()
    assert document["mode"] == "audit" and document["stack"] == REGION
    mandatory = {
        (v["policy"], v["urn"])
        for v in document["violations"]
        if v["enforcement"] == "mandatory" and not v["message"].startswith("not evaluated")
    }
    assert mandatory == {
        ("sagemaker-endpoint-config-kms", f"{ARN}:endpoint-config/legacy-config"),
        ("sagemaker-data-capture", f"{ARN}:endpoint-config/legacy-config"),
        ("sagemaker-endpoint-alarms", f"{ARN}:endpoint/legacy"),
        ("sagemaker-model-card", f"{ARN}:model/legacy-model"),
    }
    assert ("sagemaker-min-instances", f"{ARN}:endpoint-config/legacy-config") in verdicts(document)
    churn = {urn for _, urn in verdicts(document) if "churn" in urn}
    # The emulator keeps neither network isolation nor deployment policies: advisory only.
    assert {p for p, u in verdicts(document) if u in churn} == {
        "sagemaker-model-network-isolation",
        "sagemaker-safe-deployment",
    }


def test_the_same_resources_as_a_pulumi_program_get_the_same_verdicts(cli, ml_account):
    project = PROJECTS / "audit_account"  # the program of account.py's resources
    preview = cli("preview", project, "--stack", "dev", "--format", "json").json()
    names = {r["urn"]: _physical_name(r) for r in preview["resources"]}
    from_preview = {
        (f["policy"], names[f["urn"]], f["message"].startswith("not evaluated"))
        for f in preview["violations"]
    }
    audited = audit(cli, ml_account.url, "--allow-incomplete").json()
    from_audit = {
        (
            f["policy"],
            f["urn"].rsplit("/", 1)[-1].rsplit(":", 1)[-1],
            f["message"].startswith("not evaluated"),
        )
        for f in audited["violations"]
        if f["urn"] is not None
    }
    # The emulator has no monitoring schedules, so the audit cannot judge that one rule; the
    # program does not declare the models' role, which the account has, so the access rules
    # are undecided in the preview only.
    skip = {"sagemaker-endpoint-monitored"}
    undecided_in_preview = {f for f in from_preview if f[2] and f[0].startswith("sagemaker-role")}
    assert {p for p, _, _ in undecided_in_preview} == {
        "sagemaker-role-can-read-model",
        "sagemaker-role-can-write-capture",
    }
    decided = {f for f in from_preview if f[0] not in skip and f not in undecided_in_preview}
    assert decided == {f for f in from_audit if not f[2]}
    assert len(from_audit) >= 8  # not a comparison of two empty sets


def _physical_name(resource):
    inputs = resource["inputs"]
    return inputs.get("name") or inputs.get("modelCardName") or resource["name"]


def test_an_incomplete_audit_exits_2_and_still_reports(cli, ml_account, tmp_path):
    output = tmp_path / "audit.json"
    result = cli(
        "audit", "--region", REGION, "--endpoint-url", ml_account.url, "--max-attempts", "2",
        "--format", "json", "--output", output,
    )  # fmt: skip
    assert result.code == 2
    document = json.loads(output.read_text())
    assert document["complete"] is False
    [fault] = document["faults"]
    assert fault["operation"] == "sagemaker:ListMonitoringSchedules"
    assert fault["kind"] == "unsupported" and fault["resource"] is None
    assert ("sagemaker-endpoint-monitored", None) in verdicts(document, "not evaluated")


def test_a_denied_read_leaves_that_resource_unevaluated_and_the_scan_goes_on(cli, faulty):
    account.create(faulty_clients(faulty))
    faulty.faults.append(Fault("DescribeEndpointConfig", "denied", matching="legacy-config"))
    document = audit(cli, faulty.url).json()
    legacy, churn = f"{ARN}:endpoint-config/legacy-config", f"{ARN}:endpoint-config/churn-config"
    unevaluated = {p for p, urn in verdicts(document, "not evaluated") if urn == legacy}
    assert {"sagemaker-endpoint-config-kms", "sagemaker-data-capture"} <= unevaluated
    assert not {p for p, urn in verdicts(document) if urn == legacy}
    # The other configuration is judged as usual.
    assert ("sagemaker-min-instances", churn) not in verdicts(document)
    denied = [f for f in document["faults"] if f["kind"] == "denied"]
    assert [(f["operation"], f["resource"]) for f in denied] == [
        ("sagemaker:DescribeEndpointConfig", legacy)
    ]
    assert "is not authorized" in denied[0]["message"]
    message = next(
        f["message"]
        for f in document["violations"]
        if f["urn"] == legacy and f["policy"] == "sagemaker-data-capture"
    )
    assert message.startswith(
        "not evaluated: could not read it: sagemaker:DescribeEndpointConfig was denied"
    )


def test_throttling_beyond_the_retries_is_a_fault_after_every_attempt(cli, faulty, clock, mocker):
    account.create(faulty_clients(faulty))
    faulty.faults.append(Fault("ListModels", "throttled"))
    delays = mocker.spy(ExponentialBackoff, "delay_amount")
    result = cli(
        "audit", "--region", REGION, "--endpoint-url", faulty.url, "--max-attempts", "3",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 2
    document = result.json()
    assert faulty.seen.count("ListModels") == 3  # botocore's adaptive retries, then the fault
    # Between the attempts botocore backed off, for throttling rand(0, 1) * min(2 ** i, 20)
    # seconds before retry i (botocore/retries/standard.py ExponentialBackoff, botocore 1.44),
    # and waited that long on the audit's clock.
    list_models = list_models_delays(delays)
    assert len(list_models) == 2
    assert all(0 <= wait <= 2**i for i, wait in enumerate(list_models)), list_models
    assert all(wait in clock.backoffs for wait in list_models)
    throttled = [f for f in document["faults"] if f["kind"] == "throttled"]
    assert [(f["operation"], f["code"]) for f in throttled] == [
        ("sagemaker:ListModels", "ThrottlingException")
    ]
    not_evaluated = verdicts(document, "not evaluated")
    assert ("sagemaker-model-card", None) in not_evaluated
    assert ("sagemaker-model-network-isolation", None) in not_evaluated
    # Rules about endpoints do not need models: still judged.
    assert ("sagemaker-endpoint-alarms", f"{ARN}:endpoint/legacy") in verdicts(document)


def test_a_resource_deleted_mid_scan_is_reported_and_does_not_make_the_audit_incomplete(
    cli, faulty, aws
):
    account.create(aws)
    sagemaker = aws("sagemaker")
    faulty.after["ListEndpoints"] = lambda _: sagemaker.delete_endpoint(EndpointName="legacy")
    faulty.answers["ListMonitoringSchedules"] = lambda _: {"MonitoringScheduleSummaries": []}
    result = audit(cli, faulty.url)
    document = result.json()
    [deleted] = document["faults"]
    assert deleted["kind"] == "deleted" and deleted["resource"] == f"{ARN}:endpoint/legacy"
    assert deleted["operation"] == "sagemaker:DescribeEndpoint"
    assert f"{ARN}:endpoint/legacy" not in {r["urn"] for r in document["resources"]}
    assert document["complete"] is True and result.code == 1  # legacy-config still fails


def test_monitoring_schedules_are_read_and_link_to_their_endpoint(cli, faulty, aws):
    """The emulator lacks the schedule APIs; the proxy answers them as SageMaker does."""
    account.create(aws)
    schedule_arn = f"{ARN}:monitoring-schedule/churn-data-quality"
    faulty.answers["ListMonitoringSchedules"] = lambda _: {
        "MonitoringScheduleSummaries": [
            {
                "MonitoringScheduleName": "churn-data-quality",
                "MonitoringScheduleArn": schedule_arn,
                "CreationTime": 0,
                "LastModifiedTime": 0,
                "MonitoringScheduleStatus": "Scheduled",
                "EndpointName": "churn",
            }
        ]
    }
    faulty.answers["DescribeMonitoringSchedule"] = lambda _: {
        "MonitoringScheduleArn": schedule_arn,
        "MonitoringScheduleName": "churn-data-quality",
        "MonitoringScheduleStatus": "Scheduled",
        "MonitoringType": "DataQuality",
        "CreationTime": 0,
        "LastModifiedTime": 0,
        "EndpointName": "churn",
        "MonitoringScheduleConfig": {
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringJobDefinitionName": "churn-data-quality-job",
            "MonitoringType": "DataQuality",
        },
    }
    faulty.answers["ListTags"] = lambda body: (
        {"Tags": []} if b"monitoring-schedule" in body else None
    )
    document = audit(cli, faulty.url).json()
    schedules = [r for r in document["resources"] if r["type"].endswith("MonitoringSchedule")]
    assert [s["urn"] for s in schedules] == [schedule_arn]
    assert schedules[0]["inputs"]["monitoringScheduleConfig"]["monitoringType"] == "DataQuality"
    assert document["complete"] is True
    # churn captures data and is monitored; legacy does not capture: nothing to report.
    monitored = [f for f in document["violations"] if f["policy"] == "sagemaker-endpoint-monitored"]
    assert monitored == [], monitored[0]["urn"] + monitored[0]["message"]


def test_an_audit_only_ever_reads(cli, faulty, aws, api_calls):
    account.create(aws)
    faulty.answers["ListMonitoringSchedules"] = lambda _: {"MonitoringScheduleSummaries": []}
    faulty.seen.clear()
    made = api_calls()
    result = audit(cli, faulty.url)
    assert result.code == 1, result.err  # the legacy endpoint's violations: a whole audit
    assert result.json()["complete"] is True
    assert set(faulty.seen) == WIRE_READS
    # Every call any client attempted, not only those that reached the emulator.
    assert {service for service, _ in made()} == set(READS)
    assert outside_the_allow_list(made()) == set()


def list_models_delays(delays) -> list[float]:
    """The backoffs botocore chose before retrying ListModels, from a spy on its backoff."""
    return [
        wait
        for call, wait in zip(delays.call_args_list, delays.spy_return_list, strict=True)
        if call.args[1].operation_model.name == "ListModels"
    ]


def test_retries_stop_at_the_deadline_however_many_attempts_are_left(cli, faulty, clock, mocker):
    """The deadline is checked before every attempt, retries included: throttled without end,
    the audit stops once its clock passes --deadline, not after --max-attempts."""
    account.create(faulty_clients(faulty))
    faulty.faults.append(Fault("ListModels", "throttled"))
    delays = mocker.spy(ExponentialBackoff, "delay_amount")
    started = clock.now
    result = cli(
        "audit", "--region", REGION, "--endpoint-url", faulty.url, "--max-attempts", "50",
        "--deadline", "30",
    )  # fmt: skip
    assert result.code == 2
    assert "did not finish within --deadline 30 s" in result.err
    attempts = faulty.seen.count("ListModels")
    # Each throttled attempt was followed by a backoff; the attempt after the last one was
    # stopped before it was sent, because the clock had passed the deadline.
    assert 2 <= attempts < 50 and len(list_models_delays(delays)) == attempts
    assert clock.now - started > 30


def test_the_clients_refuse_a_write_before_it_reaches_the_wire(faulty, api_calls):
    clients = Clients(
        region=REGION, profile=None, endpoint_url=faulty.url, workers=1, max_attempts=1
    )
    made = api_calls()
    with pytest.raises(MutatingCallRefused, match="sagemaker:DeleteEndpoint is not a read"):
        clients("sagemaker").delete_endpoint(EndpointName="churn")
    assert faulty.seen == []
    # The attempt is what the read-only check above watches for.
    assert outside_the_allow_list(made()) == {("sagemaker", "DeleteEndpoint")}


def faulty_clients(faulty):
    """Set-up clients that go around the proxy's faults: straight to the emulator."""
    import boto3

    def client(service):
        return boto3.client(service, endpoint_url=faulty.target, region_name=REGION)

    return client


def test_a_part_that_cannot_be_read_leaves_only_the_rules_that_need_it_unevaluated(cli, faulty):
    account.create(faulty_clients(faulty))
    faulty.faults.append(Fault("ListTags", "denied", matching="model/legacy-model"))
    document = audit(cli, faulty.url).json()
    legacy = f"{ARN}:model/legacy-model"
    assert ("required-tags", legacy) in verdicts(document, "not evaluated")
    # Its description was read: the rules that judge it are unaffected.
    assert ("sagemaker-model-card", legacy) in verdicts(document)
    record = next(r for r in document["resources"] if r["urn"] == legacy)
    assert record["inputs"]["tags"] == "[unknown]"


def test_the_progress_bar_follows_the_reads_on_a_terminal(monkeypatch):
    import sys

    from mlrails.audit.run import progress_bar

    assert progress_bar(enabled=True) == (None, None)  # stderr is not a terminal here
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert progress_bar(enabled=False) == (None, None)  # --format json
    bar, update = progress_bar(enabled=True)
    update(3, 10)
    [task] = bar.tasks
    assert (task.completed, task.total) == (3, 10)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--workers", "0"], "argument --workers: '0' is not a whole number of at least 1"),
        (["--profile", "nobody-has-this"], "--profile nobody-has-this:"),
    ],
    ids=["zero-workers", "unknown-profile"],
)
def test_a_wrong_argument_is_one_message_and_exit_2(cli, aws_env, arguments, message):
    result = cli("audit", "--region", REGION, *arguments)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_no_region_is_one_message(cli, aws_env, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    result = cli("audit")
    assert result.code == 2 and "no AWS region: pass --region" in result.err


def test_an_unreachable_endpoint_says_which_account_could_not_be_reached(cli, aws_env):
    result = cli(
        "audit", "--region", REGION, "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "1"
    )
    assert result.code == 2
    assert "cannot tell which AWS account to audit: sts:GetCallerIdentity failed" in result.err


def test_waivers_apply_to_arns_as_they_do_to_urns(cli, ml_account, tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(
        json.dumps(
            {
                "sagemaker-data-capture": {
                    "waivers": [
                        {
                            "resource": f"{ARN}:endpoint-config/legacy-*",
                            "reason": "legacy endpoint retired in Q1, RISK-42",
                            "expires": "2099-01-01",
                        }
                    ]
                }
            }
        )
    )
    document = audit(cli, ml_account.url, "--allow-incomplete", "--policy-config", config).json()
    [capture] = [f for f in document["violations"] if f["policy"] == "sagemaker-data-capture"]
    assert capture["urn"] == f"{ARN}:endpoint-config/legacy-config" and capture["waived"] is True
