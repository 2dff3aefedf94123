"""`make bench`: every benchmark, one after the other."""

import runpy

for module in (
    "bench.fleet",
    "bench.engine_overhead",
    "bench.policy_evaluation",
    "bench.audit_scan",
    "bench.monitoring_backends",
    "bench.checkov_comparison",
):
    runpy.run_module(module, run_name="__main__")
