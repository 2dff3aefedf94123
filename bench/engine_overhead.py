"""The offline engine's overhead over bare Pulumi mocks, for the same raw resources.

    python -m bench.engine_overhead [--repeats 5]

(a) bare: the program under `pulumi.runtime.set_mocks` with a minimal Mocks, the way Pulumi's
unit-testing guide runs programs; (b) engine: the same program through `run_program`, which also
records every resource. Target: b/a <= 1.10 at 1,000 and 5,000 resources; memory linear in N.
"""

from __future__ import annotations

import argparse
import runpy
import sys

from bench.measure import (
    REPO,
    interleaved,
    machine,
    run_under_bare_mocks,
    save,
    slopes,
    timed,
    worker_result,
)

PROJECT = REPO / "bench" / "projects" / "raw"
SIZES = (1000, 3000, 5000)


def _bare(count: int) -> None:
    import pulumi_aws  # noqa: F401 - imported before timing, as in the engine worker

    def run() -> None:
        run_under_bare_mocks(
            lambda: runpy.run_path(str(PROJECT), run_name="__main__"),
            project="bench-raw",
            stack="bench",
            config={"bench-raw:resources": str(count)},
        )

    worker_result(timed(run), resources=count)


def _engine(count: int) -> None:
    import pulumi_aws  # noqa: F401

    from mlrails.engine.run import run_program
    from mlrails.project import load_project

    project = load_project(PROJECT, "bench")
    project.config["bench-raw:resources"] = str(count)
    plan = {}
    seconds = timed(lambda: plan.setdefault("plan", run_program(project)))
    # The stack resource is recorded too; the bare mocks do not count it.
    worker_result(seconds, resources=len(plan["plan"].resources) - 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worker", choices=("bare", "engine"))
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    if args.worker:
        (_bare if args.worker == "bare" else _engine)(args.count)
        return
    report = {"machine": machine(), "repeats": args.repeats, "sizes": {}}
    print(
        f"engine overhead over bare Pulumi mocks ({args.repeats} interleaved samples each, medians)"
    )
    for count in SIZES:
        result = interleaved(
            {
                "bare": ["--worker", "bare", "--count", str(count)],
                "engine": ["--worker", "engine", "--count", str(count)],
            },
            "bench.engine_overhead",
            args.repeats,
        )
        bare, engine = result["bare"], result["engine"]
        ratio = engine["median_seconds"] / bare["median_seconds"]
        report["sizes"][count] = {**result, "ratio_engine_over_bare": ratio}
        print(
            f"  {count:>5} resources: bare {bare['median_seconds']:.2f}s "
            f"[{bare['min_seconds']:.2f}-{bare['max_seconds']:.2f}], {bare['peak_mib']:.0f} MiB | "
            f"engine {engine['median_seconds']:.2f}s "
            f"[{engine['min_seconds']:.2f}-{engine['max_seconds']:.2f}], "
            f"{engine['peak_mib']:.0f} MiB"
            f" | engine/bare {ratio:.2f}"
        )
    for config in ("bare", "engine"):
        peaks = [report["sizes"][n][config]["peak_mib"] * 1024 for n in SIZES]
        per_resource = slopes(list(SIZES), peaks)
        report[f"{config}_memory_kib_per_resource"] = per_resource
        steps = ", ".join(f"{s:.1f}" for s in per_resource)
        print(f"  {config} memory: {steps} KiB per added resource over {SIZES} (linear: equal)")
    print(f"  results: {save('engine_overhead', report)}")


if __name__ == "__main__":
    sys.exit(main())
