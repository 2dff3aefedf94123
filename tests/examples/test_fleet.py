"""examples/fleet: N endpoints from stack configuration, without the heavy SDKs on its path."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

FLEET = REPO / "examples" / "fleet"


def test_the_stack_configuration_sizes_the_fleet(cli, tmp_path):
    project = tmp_path / "fleet"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (project / name).write_text((FLEET / name).read_text())
    (project / "Pulumi.dev.yaml").write_text(
        (FLEET / "Pulumi.dev.yaml").read_text().replace("fleet:endpoints: 10", "fleet:endpoints: 3")
    )
    result = cli("preview", project, "--format", "json")
    assert result.code == 0, result.err
    document = result.json()
    types = [r["type"] for r in document["resources"]]
    assert types.count("mlrails:sagemaker:ModelEndpoint") == 3
    assert types.count("mlrails:monitoring:ModelMonitor") == 3
    assert types.count("aws:sagemaker/monitoringSchedule:MonitoringSchedule") == 3
    assert document["summary"]["mandatory"] == 0


def test_previewing_the_fleet_imports_no_heavy_package_it_does_not_need():
    """The SageMaker SDK and pulumi-aws-native cost one to two seconds of every run, botocore
    80 ms; the fleet reads only data files of the first and last."""
    script = (
        "import sys, json\n"
        "from mlrails.engine.run import run_program\n"
        "from mlrails.project import load_project\n"
        f"run_program(load_project(__import__('pathlib').Path({str(FLEET)!r}), 'dev'))\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if m.split('.')[0] in ('sagemaker', 'pulumi_aws_native', 'botocore'))))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == []
