"""ModelEndpoint against the same resources declared raw, both under the offline engine.

    python -m bench.endpoint_fleet [--endpoints 100] [--repeats 5]

bench/projects/endpoints_components builds N endpoints with ModelEndpoint (its defaults: volume
key, capture bucket, role, two rollback alarms); bench/projects/endpoints_raw declares the same
18 pulumi_aws resources per endpoint with the same inputs. Each sample runs in a fresh process;
the timed step is the program run, after both loaded the same pulumi_aws classes; what the
components import and load (pydantic, botocore's SageMaker model) is inside it. Target
(issue 5): components / raw <= 1.15 at 100 endpoints.
"""

from __future__ import annotations

import argparse

from bench.measure import REPO, interleaved, machine, save, timed, worker_result

# Every pulumi_aws class either program uses: pulumi_aws loads a module's classes on first
# attribute access, and both workers must have paid that before the timed run.
AWS_CLASSES = (
    "s3.Bucket",
    "s3.BucketOwnershipControls",
    "s3.BucketPublicAccessBlock",
    "s3.BucketServerSideEncryptionConfiguration",
    "s3.BucketVersioning",
    "s3.BucketLifecycleConfiguration",
    "s3.BucketPolicy",
    "kms.Key",
    "kms.Alias",
    "iam.Role",
    "iam.RolePolicy",
    "sagemaker.Model",
    "sagemaker.EndpointConfiguration",
    "sagemaker.Endpoint",
    "cloudwatch.MetricAlarm",
    "get_caller_identity",
)


def _worker(kind: str, endpoints: int) -> None:
    import functools

    import pulumi_aws

    for dotted in AWS_CLASSES:
        functools.reduce(getattr, dotted.split("."), pulumi_aws)

    from mlrails.engine.run import run_program
    from mlrails.project import load_project

    project = load_project(REPO / "bench" / "projects" / f"endpoints_{kind}", "bench")
    project.config["bench-endpoints:endpoints"] = str(endpoints)
    result = {}
    seconds = timed(lambda: result.setdefault("plan", run_program(project)))
    worker_result(seconds, resources=len(result["plan"].resources))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoints", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worker", choices=("raw", "components"))
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.endpoints)
        return
    result = interleaved(
        {
            kind: ["--worker", kind, "--endpoints", str(args.endpoints)]
            for kind in ("raw", "components")
        },
        "bench.endpoint_fleet",
        args.repeats,
    )
    raw, components = result["raw"], result["components"]
    ratio = components["median_seconds"] / raw["median_seconds"]
    print(
        f"{args.endpoints} endpoints under the offline engine ({args.repeats} interleaved samples, medians)"
    )
    for kind, data in result.items():
        print(
            f"  {kind:<10} {data['median_seconds']:.2f}s [{data['min_seconds']:.2f}-{data['max_seconds']:.2f}]"
            f"  {data['samples'][0]['resources']} resources  {data['peak_mib']:.0f} MiB"
        )
    print(f"  components / raw = {ratio:.3f} (target <= 1.15)")
    path = save(
        "endpoint_fleet",
        {"machine": machine(), "endpoints": args.endpoints, **result, "ratio": ratio},
    )
    print(f"  results: {path}")


if __name__ == "__main__":
    main()
