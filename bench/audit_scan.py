"""`mlrails audit` of 500 endpoints against a local AWS API emulator: pool vs sequential scan.

    python -m bench.audit_scan [--endpoints 500] [--repeats 3] [--workers 8]

Starts a moto server on 127.0.0.1, creates N endpoints with their configurations, models and
two alarms each, then audits the account alternately with one worker (a sequential scan) and
with the thread pool, in the same run. Reports median wall time, API requests per second and
the ratio. Target: the pool at least 1.5x faster than the sequential scan on this machine.
The emulator runs in its own process, so the client's request building and response parsing
overlap with the server's work only when requests are concurrent; and since it serves every
request in that one Python process, its CPU time is a floor no client concurrency can go
below (the bench prints that bound next to the speed-up).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3

from bench.emulator import moto_server
from bench.measure import bundled_pack, machine, save

REGION = "us-east-1"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def populate(url: str, endpoints: int) -> None:
    sagemaker = boto3.client("sagemaker", endpoint_url=url, region_name=REGION)
    cloudwatch = boto3.client("cloudwatch", endpoint_url=url, region_name=REGION)

    def one(i: int) -> None:
        name = f"model-{i:04d}"
        sagemaker.create_model(
            ModelName=name,
            ExecutionRoleArn="arn:aws:iam::123456789012:role/sagemaker",
            PrimaryContainer={"Image": IMAGE},
        )
        sagemaker.create_endpoint_config(
            EndpointConfigName=f"config-{i:04d}",
            ProductionVariants=[
                {
                    "VariantName": "main",
                    "ModelName": name,
                    "InstanceType": "ml.m5.large",
                    "InitialInstanceCount": 2,
                }
            ],
        )
        sagemaker.create_endpoint(
            EndpointName=f"endpoint-{i:04d}", EndpointConfigName=f"config-{i:04d}"
        )
        for metric in ("Invocation5XXErrors", "ModelLatency"):
            cloudwatch.put_metric_alarm(
                AlarmName=f"endpoint-{i:04d}-{metric}",
                Namespace="AWS/SageMaker",
                MetricName=metric,
                Dimensions=[{"Name": "EndpointName", "Value": f"endpoint-{i:04d}"}],
                Statistic="Sum",
                Period=60,
                EvaluationPeriods=1,
                Threshold=1,
                ComparisonOperator="GreaterThanThreshold",
                AlarmActions=["arn:aws:sns:us-east-1:123456789012:alerts"],
            )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(endpoints)))


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def audit_once(url: str, workers: int) -> tuple[float, int, int]:
    """(seconds, API calls, resources) of one audit with `workers` parallel reads."""
    from mlrails.audit.clients import Clients
    from mlrails.audit.run import run_audit

    packs, settings = bundled_pack()
    clients = Clients(
        region=REGION, profile=None, endpoint_url=url, workers=workers, max_attempts=2
    )
    start = time.perf_counter()
    report = run_audit(
        clients, packs, settings, workers=workers, progress=None, allow_incomplete=True
    )
    seconds = time.perf_counter() - start
    return seconds, report.api_calls, len(report.plan.resources)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoints", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    options = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with moto_server() as server:
        started = time.perf_counter()
        populate(server.url, options.endpoints)
        print(f"created {options.endpoints} endpoints in {time.perf_counter() - started:.1f} s")
        samples: dict[int, list[tuple[float, int, int]]] = {1: [], options.workers: []}
        emulator_cpu: dict[int, list[float]] = {1: [], options.workers: []}
        for _ in range(options.repeats):
            for workers in samples:  # interleaved: the machine's noise hits both alike
                before = cpu_seconds(server.pid)
                samples[workers].append(audit_once(server.url, workers))
                emulator_cpu[workers].append(cpu_seconds(server.pid) - before)
    result = {"machine": machine(), "endpoints": options.endpoints, "runs": {}}
    for workers, runs in samples.items():
        median = statistics.median(s for s, _, _ in runs)
        result["runs"][str(workers)] = {
            "median_seconds": median,
            "samples": [s for s, _, _ in runs],
            "requests": runs[0][1],
            "requests_per_second": runs[0][1] / median,
            "resources": runs[0][2],
            # The emulator is one process: its CPU time bounds what concurrency can win.
            "emulator_cpu_seconds": statistics.median(emulator_cpu[workers]),
        }
    sequential = result["runs"]["1"]["median_seconds"]
    pooled = result["runs"][str(options.workers)]["median_seconds"]
    result["speedup"] = sequential / pooled
    for workers, run in result["runs"].items():
        print(
            f"workers={workers:>2}: median {run['median_seconds']:.2f} s, "
            f"{run['requests_per_second']:.0f} requests/s ({run['requests']} requests, "
            f"{run['resources']} resources; samples "
            f"{', '.join(f'{s:.2f}' for s in run['samples'])}); emulator busy "
            f"{run['emulator_cpu_seconds']:.2f} s of it"
        )
    bound = sequential / result["runs"]["1"]["emulator_cpu_seconds"]
    result["speedup_bound"] = bound
    print(f"thread pool vs sequential: {result['speedup']:.2f}x (target >= 1.5x)")
    print(
        f"bound: the emulator needs {result['runs']['1']['emulator_cpu_seconds']:.2f} s of CPU "
        f"for the scan in one process, so no client can do better than {bound:.2f}x here"
    )
    print(f"written to {save('audit_scan', result)}")


if __name__ == "__main__":
    main()
