"""Program to verdict against Checkov: the same raw fleet as a Pulumi program and as Terraform.

    python -m bench.checkov_comparison [--endpoints 500] [--repeats 3]

The fleet (bench/projects/raw_fleet; bench/raw_fleet_terraform.py writes its Terraform): per
endpoint a SageMaker model, endpoint configuration, endpoint and two CloudWatch alarms, plus one
KMS key and one SNS topic: 2 + 5 * N resources. Side by side in one run, alternating sample by
sample, each a fresh process as a CI job runs it:

- `mlrails preview <program> --format json` (runs the program offline, judges it with the
  bundled pack: program to governance verdict);
- `checkov -d <terraform dir> -o json --skip-download` (parses the Terraform and runs its
  checks; --skip-download keeps it from fetching guidelines over the network, which this
  machine cannot reach and which would only add to its time).

Checkov 3.3.30 runs from the bench's own virtualenv (bench/.venv-checkov, created on first
use), never from the project's dependencies. Prints medians of wall time and peak memory and
the ratio mlrails/Checkov (target <= 0.5), and writes bench/results/checkov_comparison.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import REPO, RESULTS, machine, save
from bench.raw_fleet_terraform import write as write_terraform

CHECKOV_VERSION = "3.3.30"
CHECKOV_VENV = Path(__file__).resolve().parent / ".venv-checkov"
PROGRAM = Path(__file__).resolve().parent / "projects" / "raw_fleet"


def checkov_executable() -> Path:
    """bench/.venv-checkov/bin/checkov, installed at CHECKOV_VERSION on first use."""
    executable = CHECKOV_VENV / "bin" / "checkov"
    if not executable.exists():
        print(f"installing checkov {CHECKOV_VERSION} into {CHECKOV_VENV} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
        pip = [str(CHECKOV_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, f"checkov=={CHECKOV_VERSION}"], check=True)
    return executable


def program_for(endpoints: int) -> Path:
    """A copy of the fleet program whose stack `bench` asks for `endpoints` endpoints."""
    directory = RESULTS / f"raw-fleet-{endpoints}" / "program"
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copyfile(PROGRAM / name, directory / name)
    (directory / "Pulumi.bench.yaml").write_text(
        f'config:\n  aws:region: eu-west-1\n  raw-fleet:endpoints: "{endpoints}"\n'
    )
    return directory


def timed_process(command: list[str]) -> dict:
    """Wall seconds, peak memory and exit code of one process (its own rusage, by wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit_code": process.returncode,
        "stderr_tail": stderr.decode(errors="replace")[-400:],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoints", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    checkov = checkov_executable()
    program = program_for(args.endpoints)
    terraform = write_terraform(
        RESULTS / f"raw-fleet-{args.endpoints}" / "terraform", args.endpoints
    )
    report_file = RESULTS / f"raw-fleet-{args.endpoints}" / "preview.json"
    commands = {
        "mlrails": [
            sys.executable, "-m", "mlrails", "preview", str(program), "--stack", "bench",
            "--format", "json", "--output", str(report_file),
        ],
        "checkov": [
            str(checkov), "-d", str(terraform), "--quiet", "--compact", "-o", "json",
            "--skip-download",
        ],
    }  # fmt: skip
    samples: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(args.repeats):
        for name, command in commands.items():
            sample = timed_process(command)
            # mlrails exits 1 on a mandatory violation, Checkov on a failed check: both verdicts.
            if sample["exit_code"] not in (0, 1):
                raise RuntimeError(f"{name} failed:\n{sample['stderr_tail']}")
            samples[name].append(sample)
    resources = 2 + 5 * args.endpoints
    print(f"raw fleet of {args.endpoints} endpoints ({resources} resources), {args.repeats} "
          "alternating samples each, medians")  # fmt: skip
    result: dict = {"machine": machine(), "endpoints": args.endpoints, "resources": resources}
    for name, runs in samples.items():
        summary = {
            "median_seconds": statistics.median(r["seconds"] for r in runs),
            "min_seconds": min(r["seconds"] for r in runs),
            "max_seconds": max(r["seconds"] for r in runs),
            "median_cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
            "peak_mib": statistics.median(r["peak_mib"] for r in runs),
            "samples": runs,
        }
        result[name] = summary
        print(
            f"  {name:<8} {summary['median_seconds']:6.2f} s wall "
            f"[{summary['min_seconds']:.2f}-{summary['max_seconds']:.2f}]  "
            f"{summary['median_cpu_seconds']:6.2f} s CPU  {summary['peak_mib']:5.0f} MiB"
        )
    wall = result["mlrails"]["median_seconds"] / result["checkov"]["median_seconds"]
    cpu = result["mlrails"]["median_cpu_seconds"] / result["checkov"]["median_cpu_seconds"]
    result["ratio_wall"], result["ratio_cpu"] = wall, cpu
    print(f"  mlrails/checkov: {wall:.2f} wall, {cpu:.2f} CPU (target <= 0.5)")
    print(f"  results: {save('checkov_comparison', result)}")


if __name__ == "__main__":
    main()
