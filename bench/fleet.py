"""Fleet scale: examples/fleet at N = 10, 100 and 500 endpoints against the Pulumi SDK's floor.

    python -m bench.fleet [--sizes 10 100 500] [--repeats 3]

For each N, side by side in one run, each sample in a fresh process, samples interleaved:

(a) raw: the same custom resources, declared with the pulumi_aws classes and their recorded
    inputs under bare `pulumi.runtime.set_mocks`, each input that came from other resources
    passed as an Output of them (the same dependency graph a raw program has), no components,
    no invokes — the SDK floor; (a0) the same with every input a literal and no graph at all,
    shown for reference (it is not a program Pulumi would deploy the same way);
(b) components: examples/fleet under the offline engine, without policies;
(c) policies: (b) plus the whole policy pack evaluated on the plan;
(d) diff: `mlrails diff` of two previews of the fleet (the head changes the owner tag, which
    touches every taggable resource).

Prints wall time, peak memory and resources per second, the ratios b/a and c/b, and writes
bench/results/fleet.json. Targets: b/a <= 1.15, c/b <= 1.10, memory linear in N, 500
endpoints previewed with policies in under 25 s. Also times `mlrails --help` and
`mlrails policies` as a user's shell runs them (target: under 1 s).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time

from bench.measure import (
    REPO,
    RESULTS,
    bundled_pack,
    interleaved,
    machine,
    run_under_bare_mocks,
    save,
    slopes,
    timed,
    worker_result,
)

FLEET = REPO / "examples" / "fleet"
# A class of each pulumi_aws module the fleet uses: touching one loads its whole module.
AWS_CLASSES = (
    "sagemaker.Model",
    "s3.Bucket",
    "kms.Key",
    "iam.Role",
    "cloudwatch.MetricAlarm",
    "sns.Topic",
    "appautoscaling.Target",
)


def _project(endpoints: int, owner: str = "ml-platform"):
    from mlrails.project import load_project

    project = load_project(FLEET, "dev")
    project.config["fleet:endpoints"] = str(endpoints)
    project.config["fleet:owner"] = owner
    return project


def _preload_aws() -> None:
    """Both sides pay pulumi_aws's module loading before the timed step (a module loads on the
    first access to one of its classes)."""
    import functools

    import pulumi_aws

    for dotted in AWS_CLASSES:
        functools.reduce(getattr, dotted.split("."), pulumi_aws)


# --- (a) the SDK floor --------------------------------------------------------------------


def blueprint_path(endpoints: int):
    return RESULTS / f"fleet-blueprint-{endpoints}.json"


def _record_blueprint(endpoints: int) -> None:
    """The custom resources examples/fleet registers: type, name, inputs (wire format)."""
    from mlrails.engine.run import run_program

    plan = run_program(_project(endpoints))
    custom = [r for r in plan.resources if r.custom and not r.type.startswith("pulumi:")]
    position = {r.urn: i for i, r in enumerate(custom)}
    resources = [
        (
            r.type,
            r.name,
            r.inputs,
            # Which earlier resources each input came from: the program's dependency graph.
            {
                prop: sorted(position[u] for u in urns if position.get(u, len(custom)) < i)
                for prop, urns in r.property_dependencies.items()
            },
        )
        for i, r in enumerate(custom)
    ]
    RESULTS.mkdir(exist_ok=True)
    blueprint_path(endpoints).write_text(json.dumps(resources))


def _declarations(endpoints: int) -> list[tuple[type, str, dict, dict]]:
    """(class, name, keyword arguments, {argument: positions of the resources it comes from})
    of every resource, prepared outside the timed step."""
    import inspect

    import pulumi_aws
    import pulumi_aws_native

    packages = {"aws": pulumi_aws, "aws-native": pulumi_aws_native}
    out = []
    for type_, name, inputs, dependencies in json.loads(blueprint_path(endpoints).read_text()):
        package, module, kind = type_.split(":")
        top = module.split("/")[0]
        # A module named after a Python keyword has a trailing underscore (`pulumi_aws.lambda_`).
        sdk_module = getattr(packages[package], top, None) or getattr(packages[package], f"{top}_")
        cls = getattr(sdk_module, kind)
        parameters = inspect.signature(cls._internal_init).parameters
        kwargs = {}
        for key, value in inputs.items():
            argument = _snake(key)
            if argument not in parameters:
                raise RuntimeError(f"{type_} has no argument {argument} (input {key})")
            kwargs[argument] = value  # nested keys stay camelCase: the SDK sends them as is
        linked = {
            _snake(key): sources
            for key, sources in dependencies.items()
            if sources and key in inputs
        }
        out.append((cls, name, kwargs, linked))
    return out


def _snake(wire_name: str) -> str:
    """A top-level input's wire name as the class's keyword argument: `roleArn` -> `role_arn`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", wire_name).lower()


def _raw(endpoints: int, graph: bool = True) -> None:
    import pulumi

    _preload_aws()
    declarations = _declarations(endpoints)

    def program() -> None:
        created = []
        for cls, name, kwargs, linked in declarations:
            if graph:
                # An input that came from other resources arrives as an Output of them, as in
                # a program that passes `bucket.id` or `role.arn`: same values, same graph.
                kwargs = dict(kwargs)
                for argument, sources in linked.items():
                    origin = (
                        created[sources[0]].id
                        if len(sources) == 1
                        else pulumi.Output.all(*(created[i].id for i in sources))
                    )
                    kwargs[argument] = origin.apply(lambda _, value=kwargs[argument]: value)
            created.append(cls(name, **kwargs))

    seconds = timed(lambda: run_under_bare_mocks(program, project="fleet", stack="dev"))
    worker_result(seconds, resources=len(declarations))


# --- (b), (c), (d) ------------------------------------------------------------------------


def _components(endpoints: int) -> None:
    _preload_aws()
    from mlrails.engine.run import run_program

    plan = {}
    seconds = timed(lambda: plan.setdefault("plan", run_program(_project(endpoints))))
    worker_result(seconds, resources=len(plan["plan"].resources))


def _policies(endpoints: int) -> None:
    _preload_aws()
    from mlrails.engine.fast_path import program_garbage_set_aside
    from mlrails.engine.run import run_program
    from mlrails.policy.evaluate import evaluate

    packs, policy_settings = bundled_pack()
    found = {}

    def run() -> None:
        plan = run_program(_project(endpoints))
        found["resources"] = len(plan.resources)
        # As `mlrails preview` judges it (cli/preview.py): the program's garbage set aside,
        # not walked again by the collection that follows evaluation.
        with program_garbage_set_aside():
            found["findings"] = len(evaluate(plan, packs, policy_settings))

    worker_result(timed(run), **found)


def preview_path(endpoints: int, side: str):
    return RESULTS / f"fleet-{side}-{endpoints}.json"


def _write_previews(endpoints: int) -> None:
    from mlrails.engine.run import run_program
    from mlrails.policy.evaluate import evaluate
    from mlrails.report import render
    from mlrails.report.model import Report

    packs, policy_settings = bundled_pack()
    for side, owner in (("base", "ml-platform"), ("head", "ml-platform-emea")):
        plan = run_program(_project(endpoints, owner))
        report = Report(plan=plan, findings=evaluate(plan, packs, policy_settings), packs=packs)
        preview_path(endpoints, side).write_text(render(report, "json"))


def _diff(endpoints: int) -> None:
    from mlrails.diff import diff_previews, load_preview, render_diff

    def run() -> None:
        result = diff_previews(
            load_preview(preview_path(endpoints, "base")),
            load_preview(preview_path(endpoints, "head")),
        )
        render_diff(result, "markdown")

    worker_result(timed(run))


WORKERS = {
    "blueprint": _record_blueprint,
    "previews": _write_previews,
    "raw": _raw,
    "raw-literals": lambda endpoints: _raw(endpoints, graph=False),
    "components": _components,
    "policies": _policies,
    "diff": _diff,
}


# --- the run ------------------------------------------------------------------------------


def _cli_seconds(*arguments: str, repeats: int = 5) -> float:
    """Median wall time of `mlrails ARGS` in a fresh interpreter, as a user's shell runs it."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mlrails", *arguments],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", choices=sorted(WORKERS))
    parser.add_argument("--endpoints", type=int)
    args = parser.parse_args()
    if args.worker:
        WORKERS[args.worker](args.endpoints)
        return
    report = {"machine": machine(), "repeats": args.repeats, "sizes": {}}
    print(f"fleet of N endpoints ({args.repeats} interleaved samples each, medians)")
    for n in args.sizes:
        for prepare in ("blueprint", "previews"):
            subprocess.run(
                [sys.executable, "-m", "bench.fleet", "--worker", prepare, "--endpoints", str(n)],
                cwd=REPO,
                check=True,
            )
        result = interleaved(
            {
                name: ["--worker", name, "--endpoints", str(n)]
                for name in ("raw-literals", "raw", "components", "policies", "diff")
            },
            "bench.fleet",
            args.repeats,
        )
        a, b, c, d = (result[k] for k in ("raw", "components", "policies", "diff"))
        resources = b["samples"][0]["resources"]
        entry = {
            **result,
            "resources": resources,
            "ratio_components_over_raw": b["median_seconds"] / a["median_seconds"],
            "ratio_components_over_literals": b["median_seconds"]
            / result["raw-literals"]["median_seconds"],
            "ratio_policies_over_components": c["median_seconds"] / b["median_seconds"],
        }
        report["sizes"][n] = entry
        print(f"  N={n}: {resources} resources ({a['samples'][0]['resources']} custom)")
        rows = (
            ("a0 literals", result["raw-literals"]),
            ("a raw", a),
            ("b components", b),
            ("c policies", c),
            ("d diff", d),
        )
        for label, run in rows:
            print(
                f"    {label:<13} {run['median_seconds']:7.2f} s "
                f"[{run['min_seconds']:.2f}-{run['max_seconds']:.2f}]  "
                f"{run['peak_mib']:6.0f} MiB  {resources / run['median_seconds']:8.0f} res/s"
            )
        # The machine's noise: how far apart the repeats of one configuration landed.
        entry["max_spread"] = max(
            (run["max_seconds"] - run["min_seconds"]) / run["median_seconds"] for _, run in rows
        )
        print(
            f"    b/a {entry['ratio_components_over_raw']:.2f} (target <= 1.15)   "
            f"c/b {entry['ratio_policies_over_components']:.2f} (target <= 1.10)   "
            f"b/a0 {entry['ratio_components_over_literals']:.2f}   "
            f"noise: repeats within {entry['max_spread']:.0%} of their median"
        )
    sizes = sorted(report["sizes"])
    for config in ("raw", "components", "policies"):
        peaks = [report["sizes"][n][config]["peak_mib"] for n in sizes]
        per_endpoint = slopes(sizes, peaks)
        report[f"{config}_mib_per_endpoint"] = per_endpoint
        print(f"  memory {config}: {', '.join(f'{s:.2f}' for s in per_endpoint)} MiB per endpoint")
    report["cli_help_seconds"] = _cli_seconds("--help")
    report["cli_policies_seconds"] = _cli_seconds("policies")
    print(
        f"  mlrails --help {report['cli_help_seconds']:.2f} s, "
        f"mlrails policies {report['cli_policies_seconds']:.2f} s (target < 1 s)"
    )
    print(f"  results: {save('fleet', report)}")


if __name__ == "__main__":
    main()
