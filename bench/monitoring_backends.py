"""Preview cost of monitored endpoints with the open-source backend against SageMaker Model
Monitor, through the offline engine in preview mode.

    python -m bench.monitoring_backends [--repeats 5] [--fleet 20]

(a) examples/monitored-endpoint as it is written for each backend (open-source: drift, quality
and bias; model-monitor: its four kinds, which load pulumi-aws-native for three of them);
(b) examples/fleet with `--fleet` endpoints, data quality only on both backends (like for like).
Each sample is a fresh interpreter; pulumi_aws is imported before timing, as in the engine's
worker. Target: open-source / model-monitor <= 1.15 on both.
"""

from __future__ import annotations

import argparse
import sys

from bench.measure import REPO, interleaved, machine, save, timed, worker_result

PROJECTS = {"monitored-endpoint": "monitored-endpoint", "fleet": "fleet"}


def _worker(project: str, backend: str, fleet: int) -> None:
    import pulumi_aws  # noqa: F401 - imported before timing, as in the engine worker

    from mlrails.engine.run import run_program
    from mlrails.project import load_project

    loaded = load_project(REPO / "examples" / project, "dev")
    loaded.config[f"{PROJECTS[project]}:monitoringBackend"] = backend
    if project == "fleet":
        loaded.config["fleet:endpoints"] = str(fleet)
    plan = {}
    seconds = timed(lambda: plan.setdefault("plan", run_program(loaded, "preview")))
    worker_result(seconds, resources=len(plan["plan"].resources))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fleet", type=int, default=20)
    parser.add_argument("--worker", nargs=2, metavar=("PROJECT", "BACKEND"))
    args = parser.parse_args()
    if args.worker:
        _worker(*args.worker, args.fleet)
        return
    report = {"machine": machine(), "repeats": args.repeats, "fleet": args.fleet, "projects": {}}
    print(f"preview of monitored endpoints per backend ({args.repeats} interleaved samples)")
    for project in PROJECTS:
        result = interleaved(
            {
                backend: ["--worker", project, backend, "--fleet", str(args.fleet)]
                for backend in ("open-source", "model-monitor")
            },
            "bench.monitoring_backends",
            args.repeats,
        )
        new, old = result["open-source"], result["model-monitor"]
        ratio = new["median_seconds"] / old["median_seconds"]
        report["projects"][project] = {**result, "ratio_open_source_over_model_monitor": ratio}
        print(
            f"  {project}: open-source {new['median_seconds']:.2f}s "
            f"({new['samples'][0]['resources']} resources) | model-monitor "
            f"{old['median_seconds']:.2f}s ({old['samples'][0]['resources']} resources) | "
            f"ratio {ratio:.2f}"
        )
    print(f"  results: {save('monitoring_backends', report)}")


if __name__ == "__main__":
    sys.exit(main())
