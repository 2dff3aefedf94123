"""A corpus of small programs in the patterns public Pulumi Python programs use, previewed
offline in both modes through the CLI: what each must show.

Each program lives in tests/corpus/<name>. A case states the resource types it registers,
values that come from outputs or lookups the engine fills, the findings of the bundled pack
(policy, resource name) in resolved mode, the lookups it must list as invented, and warnings.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent.parent / "corpus"
TAG_FINDING = "required-tags"


@dataclass
class Case:
    name: str
    types: tuple[str, ...] = ()
    # (resource name, input key path, regular expression the resolved value must match)
    values: tuple[tuple[str, str, str], ...] = ()
    findings: frozenset = frozenset()
    lookups: tuple[str, ...] = ()
    warning: str | None = None
    code: int | None = None
    not_evaluated: frozenset = frozenset()

    def __str__(self) -> str:
        return self.name


def F(*pairs):
    return frozenset(pairs)


ARN = r"^arn:aws:[a-z0-9-]+:eu-west-1:123456789012:.+"
CASES = [
    Case(
        "lambda_role_object",
        ("aws:lambda/function:Function", "aws:lambda/permission:Permission"),
        # A resource object as an input reaches policies as its id, as the engine marshals it.
        values=(
            ("invoke", "function", r"^handler-[0-9a-f]{7}$"),
            ("fn-logs", "role", r"^fn-role-"),
        ),
        findings=F((TAG_FINDING, "fn-role"), (TAG_FINDING, "handler")),
    ),
    Case(
        "apigw_http_api",
        ("aws:apigatewayv2/api:Api", "aws:apigatewayv2/stage:Stage"),
        values=(("endpoint", "description", r"^https://"), ("execution-arn", "description", ARN)),
        findings=F(
            (TAG_FINDING, "http"),
            (TAG_FINDING, "default"),
            (TAG_FINDING, "endpoint"),
            (TAG_FINDING, "execution-arn"),
        ),
    ),
    Case(
        "ecr_repository_url",
        ("aws:ecr/repository:Repository",),
        values=(("image", "description", r"^https://.+:1\.0\.0$"),),
        findings=F((TAG_FINDING, "image")),
    ),
    Case(
        "alb_dns_name",
        ("aws:lb/loadBalancer:LoadBalancer", "aws:ec2/subnet:Subnet"),
        values=(("host", "description", r"^web-[0-9a-f]{7}\.lb\.eu-west-1\.amazonaws\.com$"),),
        findings=F(*((TAG_FINDING, n) for n in ("main", "public-0", "public-1", "web", "host"))),
    ),
    Case(
        "eks_kubeconfig",
        ("aws:eks/cluster:Cluster",),
        # certificate_authority.data: base64 of a PEM certificate.
        values=(
            ("ca", "description", r"^LS0tLS1CRUdJTi"),
            ("endpoint", "description", r"^https://"),
        ),
        findings=F(*((TAG_FINDING, n) for n in ("cluster", "ml", "ca", "endpoint"))),
    ),
    Case(
        "native_kms_sns",
        ("aws-native:kms:Key", "aws:sns/topic:Topic"),
        # Correct only through the aws-native key id, an output the provider computes.
        values=(("alerts", "kmsMasterKeyId", r"^[0-9a-f]{8}-[0-9a-f]{4}-"),),
    ),
    Case(
        "native_kms_sns_wrong",
        ("aws-native:kms:Key", "aws:sns/topic:Topic"),
        findings=F(("sns-topic-encrypted", "alerts")),
    ),
    Case(
        "native_bucket_key",
        ("aws-native:kms:Key", "aws:s3/bucketV2:BucketV2"),
        values=(
            (
                "data",
                "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId",
                r"^[0-9a-f]{8}-[0-9a-f]{4}-",
            ),
        ),
        code=0,
    ),
    Case(
        "native_bucket_key_wrong",
        ("aws-native:kms:Key",),
        findings=F(("s3-bucket-encrypted-kms", "data")),
        code=1,
    ),
    Case(
        "k8s_service_status",
        ("kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"),
        values=(("endpoint", "data.ip", r"^192\.0\.2\.\d+$"),),
    ),
    Case(
        "helm_release",
        ("kubernetes:helm.sh/v3:Release", "kubernetes:core/v1:Namespace"),
        values=(("release", "data.status", r"^\S+$"), ("prometheus", "chart", "^kube-prometheus")),
    ),
    Case(
        "k8s_config_file",
        ("kubernetes:yaml:ConfigFile", "kubernetes:apps/v1:Deployment"),
        # The default provider is configured from the stack's kubernetes:* keys.
        values=(("default_4_34_2", "namespace", "^apps$"), ("worker", "spec.replicas", "^1$")),
        findings=F(
            ("k8s-resource-limits", "worker"),
            ("k8s-non-root", "worker"),
            ("k8s-pinned-images", "worker"),
        ),
    ),
    Case(
        "configmap_from_files",
        ("kubernetes:core/v1:ConfigMap",),
        values=(
            ("app-config", "data.app.conf", "log_level"),
            ("app-config", "data.cache.conf", "ttl"),
        ),
    ),
    Case(
        "output_all_concat_json",
        ("aws:sqs/queuePolicy:QueuePolicy",),
        values=(("jobs", "policy", r'"aws:SourceArn": "arn:aws:s3:::'),),
        findings=F(
            (TAG_FINDING, "data"),
            (TAG_FINDING, "jobs"),
            ("s3-bucket-encrypted-kms", "data"),
            ("s3-bucket-public-access-blocked", "data"),
            ("s3-bucket-tls-only", "data"),
            ("s3-bucket-versioning", "data"),
        ),
    ),
    Case(
        "component_nesting",
        ("acme:platform:Platform", "acme:storage:Store", "aws:kms/key:Key"),
        findings=F(
            (TAG_FINDING, "ml-store-key"),
            (TAG_FINDING, "ml-store-bucket"),
            ("s3-bucket-encrypted-kms", "ml-store-bucket"),
            ("s3-bucket-public-access-blocked", "ml-store-bucket"),
            ("s3-bucket-tls-only", "ml-store-bucket"),
            ("s3-bucket-versioning", "ml-store-bucket"),
        ),
    ),
    Case(
        "depends_on_and_options",
        ("aws:kms/key:Key", "aws:s3/bucketV2:BucketV2"),
        findings=F(
            (TAG_FINDING, "data"),
            ("s3-bucket-encrypted-kms", "data"),
            ("s3-bucket-public-access-blocked", "data"),
            ("s3-bucket-tls-only", "data"),
            ("s3-bucket-versioning", "data"),
        ),
    ),
    Case(
        "aliases_renamed",
        ("aws:s3/bucketV2:BucketV2",),
        findings=F(
            (TAG_FINDING, "artifacts"),
            ("s3-bucket-encrypted-kms", "artifacts"),
            ("s3-bucket-public-access-blocked", "artifacts"),
            ("s3-bucket-tls-only", "artifacts"),
            ("s3-bucket-versioning", "artifacts"),
        ),
    ),
    Case("transforms_tags", ("aws:sqs/queue:Queue",), values=(("jobs", "tags.owner", "^ml$"),)),
    Case(
        "engine_transforms",
        ("aws:sqs/queue:Queue", "aws:sns/topic:Topic", "acme:platform:Platform"),
        # Tagged only by transforms: the stack's (registered after "early", which keeps its
        # single tag and is the one finding), the topic's own, and the component's, which its
        # child inherits.
        values=(
            ("jobs", "tags.owner", "^ml$"),
            ("jobs", "tags.team", "^ml$"),
            ("alerts", "tags.team", "^data$"),
            ("ml-work", "tags.cost-center", "^42$"),
            # The engine's order: the resource's own, its parents', then the stack's.
            ("alerts", "tags.transforms", "^alerts,stack$"),
            ("ml-work", "tags.transforms", "^ml-work,stack$"),
        ),
        findings=F((TAG_FINDING, "early")),
    ),
    Case(
        "invoke_transforms",
        ("aws:sqs/queue:Queue",),
        # The engine's order: transforms registered so far, in order, each on what the previous
        # one returned; a lookup made before them is answered as written.
        values=(
            ("before-jobs", "tags.bucket", "^models$"),
            ("after-jobs", "tags.bucket", "^dev-models-replica$"),
        ),
        lookups=("aws:s3/getBucket:getBucket", "aws:s3/getBucket:getBucket"),
        code=0,
    ),
    Case("is_dry_run_guard", ("aws:sqs/queue:Queue",), findings=F((TAG_FINDING, "jobs"))),
    Case("provider_default_tags", ("pulumi:providers:aws", "aws:dynamodb/table:Table"), code=0),
    Case(
        "provider_default_tags_wrong",
        ("aws:dynamodb/table:Table",),
        findings=F((TAG_FINDING, "jobs"), (TAG_FINDING, "items")),
    ),
    Case(
        "explicit_provider",
        ("pulumi:providers:aws", "aws:sqs/queue:Queue"),
        values=(("west", "region", "^us-west-2$"),),
        code=0,
    ),
    Case(
        "untagged_everything",
        ("aws:lambda/function:Function", "aws:kinesis/stream:Stream"),
        findings=F(
            *((TAG_FINDING, n) for n in ("fn", "items", "flow", "net", "events", "raw")),
            ("s3-bucket-encrypted-kms", "raw"),
            ("s3-bucket-public-access-blocked", "raw"),
            ("s3-bucket-tls-only", "raw"),
            ("s3-bucket-versioning", "raw"),
        ),
    ),
    Case(
        "stack_reference",
        ("pulumi:pulumi:StackReference", "aws:ec2/securityGroup:SecurityGroup"),
        values=(("app", "vpcId", r"^\[unknown\]$"),),
        findings=F((TAG_FINDING, "app")),
        warning="StackReference 'acme/network/prod'",
    ),
    Case(
        "remote_component",
        ("eks:index:Cluster",),
        not_evaluated=F(("remote-component", "ml")),
        code=0,
    ),
    Case(
        "config_objects_secrets",
        ("aws:cloudwatch/logGroup:LogGroup", "aws:ssm/parameter:Parameter"),
        values=(("app", "retentionInDays", "^30$"), ("token", "value", r"^\[secret\]$")),
        findings=F((TAG_FINDING, "app"), (TAG_FINDING, "token")),
    ),
    Case("get_existing_resource", ("aws:s3/bucketPolicy:BucketPolicy",), code=0),
    Case(
        "route53_acm",
        ("aws:route53/record:Record", "aws:acm/certificateValidation:CertificateValidation"),
        values=(("validation", "zoneId", r"^Z[0-9A-F]{20}$"),),
        findings=F((TAG_FINDING, "site")),
        lookups=("aws:route53/getZone:getZone",),
    ),
    Case(
        "rds_endpoint",
        ("aws:rds/instance:Instance",),
        values=(("address", "description", r"\.rds\.eu-west-1\.amazonaws\.com$"),),
        findings=F((TAG_FINDING, "db"), (TAG_FINDING, "address")),
    ),
    Case(
        "lookups_vpc_ami",
        ("aws:ec2/instance:Instance",),
        values=(
            ("web", "ami", r"^ami-[0-9a-f]{17}$"),
            ("web", "subnetId", r"^subnet-[0-9a-f]{17}$"),
        ),
        findings=F((TAG_FINDING, "web")),
        lookups=(
            "aws:ec2/getVpc:getVpc",
            "aws:ec2/getSubnets:getSubnets",
            "aws:ec2/getAmi:getAmi",
        ),
    ),
    Case(
        "ec2_userdata_eip",
        ("aws:ec2/eip:Eip",),
        values=(("ip", "description", r"^192\.0\.2\.\d+$"),),
        findings=F((TAG_FINDING, "web"), (TAG_FINDING, "ip")),
    ),
    Case(
        "cloudfront_s3_site",
        ("aws:cloudfront/distribution:Distribution",),
        values=(("site", "origins.0.domainName", r"^site-[0-9a-f]{7}\.s3\.eu-west-1\.amazonaws"),),
        findings=F(
            (TAG_FINDING, "site"),
            ("s3-bucket-encrypted-kms", "site"),
            ("s3-bucket-public-access-blocked", "site"),
            ("s3-bucket-tls-only", "site"),
            ("s3-bucket-versioning", "site"),
        ),
    ),
    Case(
        "sagemaker_prebuilt_image",
        (),
        code=0,
    ),
]


def _value(resources, name: str, path: str):
    matches = [r for r in resources if r["name"] == name and "inputs" in r]
    assert matches, f"no resource named {name!r}"
    hits = []
    for resource in matches:
        value = resource["inputs"]
        for part in _split(path):
            if isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            elif isinstance(value, dict) and part in value:
                value = value[part]
            else:
                value = None
                break
        if value is not None:
            hits.append(value)
    assert hits, f"{name}: no value at {path}"
    return hits[0]


def _split(path: str) -> list[str]:
    # `data.app.conf` names the key "app.conf" of `data`: keys may hold dots.
    head, _, rest = path.partition(".")
    if head == "data" and rest and not rest.startswith(("ip", "status")):
        return ["data", rest]
    return path.split(".")


def test_the_corpus_has_a_case_for_every_program():
    programs = sorted(p.name for p in CORPUS.iterdir() if (p / "Pulumi.yaml").exists())
    assert sorted([c.name for c in CASES] + list(ERRORS)) == programs
    assert len(programs) >= 30


@pytest.mark.parametrize("mode", ["resolved", "preview"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_program_previews_and_shows_what_it_must(cli, case, mode):
    result = cli("preview", CORPUS / case.name, "--mode", mode, "--format", "json")
    assert "Traceback" not in result.err
    assert result.code in (0, 1), result.err
    if case.code is not None and mode == "resolved":
        assert result.code == case.code, result.out
    document = result.json()  # the program's prints never reach stdout
    resources = document["resources"]
    types = {r["type"] for r in resources}
    assert set(case.types) <= types
    if any(r["custom"] and not r["type"].startswith("pulumi:") for r in resources):
        providers = [r for r in resources if r["type"].startswith("pulumi:providers:")]
        assert providers, "the engine's providers are recorded"
    violations = {
        (f["policy"], f["urn"].rsplit("::", 1)[-1])
        for f in document["violations"]
        if f["status"] == "violation"
    }
    undecided = {
        (f["policy"], f["urn"].rsplit("::", 1)[-1])
        for f in document["violations"]
        if f["status"] == "not_evaluated"
    }
    assert case.not_evaluated <= undecided
    functions = [s["function"] for s in document["synthesized_lookups"]]
    assert functions == list(case.lookups)
    if mode == "resolved":
        assert violations == set(case.findings)
        for name, path, pattern in case.values:
            assert re.search(pattern, str(_value(resources, name, path))), (name, path)
    if case.warning:
        text = cli("preview", CORPUS / case.name, "--mode", mode, "--format", "text")
        assert case.warning in text.out


ERRORS = {
    "program_error": "the program failed at __main__.py:4: ValueError",
    # Raised in an apply while 40 registrations and a StackReference are pending: still one
    # line, no asyncio noise ("Future exception was never retrieved").
    "apply_error": "the program failed at __main__.py:10: KeyError: 'b'",
    # Raised in an apply whose result nothing uses: only the SDK's final wait sees it.
    "apply_error_unused": "the program failed at __main__.py:11: ValueError: logs-7-",
}


@pytest.mark.parametrize(
    ("name", "mode"),
    # In preview mode the queue URL is unknown, so the failing apply never runs (nor would it
    # under `pulumi preview`).
    [
        ("program_error", "resolved"),
        ("program_error", "preview"),
        ("apply_error", "resolved"),
        ("apply_error_unused", "resolved"),
    ],
    ids=lambda value: value,
)
def test_a_program_error_is_one_message_with_file_and_line(name, mode):
    # A process of its own: what asyncio prints at exit must not reach stderr either.
    result = subprocess.run(
        [sys.executable, "-m", "mlrails", "preview", CORPUS / name, "--mode", mode],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert ERRORS[name] in result.stderr


def test_a_preview_is_a_dry_run_and_the_program_prints_to_stderr(cli):
    for mode in ("resolved", "preview"):
        result = cli("preview", CORPUS / "is_dry_run_guard", "--mode", mode, "--format", "json")
        assert not (CORPUS / "is_dry_run_guard" / "deployed.marker").exists()
        assert "hello from the program" in result.err
        assert result.json()["mode"] == mode
