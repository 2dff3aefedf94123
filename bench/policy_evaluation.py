"""In-process evaluation of the whole catalogue over large recorded plans.

    python -m bench.policy_evaluation [--repeats 5]

Plans are built from the compliant resources of one ML serving unit (model, model card,
endpoint configuration, endpoint, two alarms, a bucket with its four settings, a key, a data
quality job definition and its schedule: 14 resources), repeated. Target: 10,000 resources in under 1 second (>= 10,000 resources/s), time linear in N.
"""

from __future__ import annotations

import argparse
import copy
import gc
import statistics
import time

from bench.measure import REPO, machine, save
from mlrails.plan import Plan, ResourceRecord
from mlrails.policy.config import resolve_settings
from mlrails.policy.evaluate import evaluate
from mlrails.policy.findings import VIOLATION
from mlrails.policy.pack import load_pack

SIZES = (2_500, 5_000, 10_000, 20_000)
KEY = "arn:aws:kms:us-east-1:123456789012:key/1111"
TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}


def unit(i: int) -> list[tuple[str, str, dict, dict]]:
    """(type, name, wire inputs, property dependencies by logical name) of one serving unit."""
    model, config, endpoint, bucket = f"model-{i}", f"config-{i}", f"endpoint-{i}", f"bucket-{i}"
    alarm = {
        "namespace": "AWS/SageMaker",
        "alarmActions": ["arn:aws:sns:us-east-1:1:alerts"],
        "tags": TAGS,
        "dimensions": {"EndpointName": endpoint, "VariantName": "primary"},
    }
    return [
        (
            "aws:sagemaker/model:Model",
            model,
            {
                "name": model,
                "enableNetworkIsolation": True,
                "tags": TAGS,
                "primaryContainer": {"image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/xgb:1"},
            },
            {},
        ),
        (
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
            config,
            {
                "name": config,
                "kmsKeyArn": KEY,
                "tags": TAGS,
                "productionVariants": [
                    {
                        "variantName": "primary",
                        "modelName": model,
                        "instanceType": "ml.m5.large",
                        "initialInstanceCount": 2.0,
                    }
                ],
                "dataCaptureConfig": {"enableCapture": True, "kmsKeyId": KEY},
            },
            {"productionVariants": [model]},
        ),
        (
            "aws:sagemaker/endpoint:Endpoint",
            endpoint,
            {
                "name": endpoint,
                "endpointConfigName": config,
                "tags": TAGS,
                "deploymentConfig": {
                    "blueGreenUpdatePolicy": {"trafficRoutingConfiguration": {"type": "CANARY"}},
                    "autoRollbackConfiguration": {"alarms": [{"alarmName": "a"}]},
                },
            },
            {"endpointConfigName": [config]},
        ),
        (
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            f"{endpoint}-5xx",
            {**alarm, "metricName": "Invocation5XXErrors"},
            {"dimensions": [endpoint]},
        ),
        (
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            f"{endpoint}-latency",
            {**alarm, "metricName": "ModelLatency"},
            {"dimensions": [endpoint]},
        ),
        ("aws:s3/bucket:Bucket", bucket, {"bucket": bucket, "tags": TAGS}, {}),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            f"{bucket}-sse",
            {
                "bucket": bucket,
                "rules": [
                    {
                        "applyServerSideEncryptionByDefault": {
                            "sseAlgorithm": "aws:kms",
                            "kmsMasterKeyId": KEY,
                        }
                    }
                ],
            },
            {"bucket": [bucket]},
        ),
        (
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            f"{bucket}-block",
            {
                "bucket": bucket,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            {"bucket": [bucket]},
        ),
        (
            "aws:s3/bucketPolicy:BucketPolicy",
            f"{bucket}-policy",
            {
                "bucket": bucket,
                "policy": (
                    '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",'
                    '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
                ),
            },
            {"bucket": [bucket]},
        ),
        (
            "aws:s3/bucketVersioning:BucketVersioning",
            f"{bucket}-versioning",
            {"bucket": bucket, "versioningConfiguration": {"status": "Enabled"}},
            {"bucket": [bucket]},
        ),
        ("aws:kms/key:Key", f"key-{i}", {"enableKeyRotation": True, "tags": TAGS}, {}),
        (
            "aws:sagemaker/modelCard:ModelCard",
            f"card-{i}",
            {
                "modelCardName": f"card-{i}",
                "modelCardStatus": "Approved",
                "securityConfig": {"kmsKeyId": KEY},
                "content": f'{{"model_overview": {{"model_name": "{model}"}}}}',
                "tags": TAGS,
            },
            {},
        ),
        (
            "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",
            f"quality-{i}",
            {
                "name": f"quality-{i}",
                "tags": TAGS,
                "dataQualityJobInput": {"endpointInput": {"endpointName": endpoint}},
                "dataQualityJobOutputConfig": {"kmsKeyId": KEY},
                "jobResources": {"clusterConfig": {"volumeKmsKeyId": KEY}},
                "networkConfig": {"enableInterContainerTrafficEncryption": True},
            },
            {"dataQualityJobInput": [endpoint]},
        ),
        (
            "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
            f"schedule-{i}",
            {
                "name": f"schedule-{i}",
                "tags": TAGS,
                "monitoringScheduleConfig": {
                    "monitoringJobDefinitionName": f"quality-{i}",
                    "monitoringType": "DataQuality",
                },
            },
            {"monitoringScheduleConfig": [f"quality-{i}"]},
        ),
    ]


def plan_of(size: int) -> Plan:
    stack = "urn:pulumi:bench::fleet::pulumi:pulumi:Stack::fleet-bench"
    records = [ResourceRecord(stack, "pulumi:pulumi:Stack", "fleet-bench", None, False, [], {}, {})]
    urns: dict[str, str] = {}
    i = 0
    while len(records) < size:
        for type_, name, inputs, deps in unit(i):
            urns[name] = f"urn:pulumi:bench::fleet::{type_}::{name}"
            property_deps = {k: [urns[n] for n in v] for k, v in deps.items()}
            records.append(
                ResourceRecord(
                    urns[name],
                    type_,
                    name,
                    stack,
                    True,
                    sorted({u for v in property_deps.values() for u in v}),
                    property_deps,
                    copy.deepcopy(inputs),
                )
            )
        i += 1
    # Whole units only, so every unit is complete and compliant.
    return Plan(project="fleet", stack="bench", mode="resolved", resources=records)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    pack = load_pack(REPO / "policies")
    settings = resolve_settings([pack], {})
    report = {"machine": machine(), "repeats": args.repeats, "sizes": {}}
    print(f"whole-catalogue evaluation, in process ({args.repeats} runs each, medians)")
    for target in SIZES:
        plan = plan_of(target)
        size = len(plan.resources)
        samples = []
        for _ in range(args.repeats):
            gc.collect()
            start = time.perf_counter()
            findings = evaluate(plan, [pack], settings)
            samples.append(time.perf_counter() - start)
        violations = [f for f in findings if f.status == VIOLATION]
        median = statistics.median(samples)
        report["sizes"][target] = {
            "resources": size,
            "median_seconds": median,
            "samples": samples,
            "resources_per_second": size / median,
            "violations": len(violations),
        }
        print(
            f"  {size:>6} resources: {median:.3f}s [{min(samples):.3f}-{max(samples):.3f}], "
            f"{size / median:,.0f} resources/s, {len(violations)} violations"
        )
    small, large = report["sizes"][SIZES[0]], report["sizes"][SIZES[-1]]
    growth = large["median_seconds"] / small["median_seconds"]
    report["growth"] = growth
    print(
        f"  time x{growth:.1f} for x{SIZES[-1] // SIZES[0]} resources (linear: x{SIZES[-1] // SIZES[0]})"
    )
    print(f"  results: {save('policy_evaluation', report)}")


if __name__ == "__main__":
    main()
