"""Measuring in isolated worker processes: wall time of the measured step and peak memory.

Every sample runs in a fresh interpreter so peak RSS belongs to one configuration only, and
configurations are interleaved sample by sample so the machine's noise hits them alike.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def worker_result(seconds: float, **extra) -> None:
    """Print what a worker measured, as the last line of its stdout."""
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, **extra}))


def timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def bundled_pack() -> tuple[list, dict]:
    """The bundled policy pack and its default settings, as `mlrails preview` resolves them."""
    from mlrails.policy.config import resolve_settings
    from mlrails.policy.pack import bundled_pack_directory, load_pack

    packs = [load_pack(bundled_pack_directory())]
    return packs, resolve_settings(packs, {}, "--policy-config")


def run_under_bare_mocks(
    program: Callable[[], None], project: str, stack: str, config: dict[str, str] | None = None
) -> None:
    """Run `program` the way Pulumi's unit-testing guide does: `set_mocks` with mocks that answer
    every resource with its inputs and every invoke with nothing. The SDK's floor."""
    import asyncio

    import pulumi
    from pulumi.runtime import mocks, settings
    from pulumi.runtime.stack import run_pulumi_func

    class Minimal(pulumi.runtime.Mocks):
        def new_resource(self, args):
            return f"{args.name}-id", dict(args.inputs, arn=f"arn:aws:bench:::{args.name}")

        def call(self, args):
            return {}

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    settings.reset_options(project=project, stack=stack, preview=False)
    mocks.set_mocks(Minimal(), project=project, stack=stack, preview=False)
    if config:
        pulumi.runtime.set_all_config(config)
    loop.run_until_complete(run_pulumi_func(program))


def slopes(sizes: list[int], values: list[float]) -> list[float]:
    """Growth of `values` per unit of size between consecutive sizes: equal slopes, linear."""
    return [(values[i + 1] - values[i]) / (sizes[i + 1] - sizes[i]) for i in range(len(sizes) - 1)]


def sample(module: str, *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"worker {module} {args} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def interleaved(configurations: dict[str, list[str]], module: str, repeats: int) -> dict[str, dict]:
    """Median seconds, spread and peak memory per configuration, samples interleaved."""
    samples: dict[str, list[dict]] = {name: [] for name in configurations}
    for _ in range(repeats):
        for name, args in configurations.items():
            samples[name].append(sample(module, *args))
    summary = {}
    for name, runs in samples.items():
        seconds = [r["seconds"] for r in runs]
        summary[name] = {
            "median_seconds": statistics.median(seconds),
            "min_seconds": min(seconds),
            "max_seconds": max(seconds),
            "peak_mib": statistics.median(r["peak_mib"] for r in runs),
            "samples": runs,
        }
    return summary


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "platform": platform.platform(),
    }


def save(name: str, result: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path
