"""examples/fleet: N endpoints from stack configuration, without the heavy SDKs on its path."""

from __future__ import annotations

import pytest

from tests.conftest import REPO, packages_imported_by

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
    assert types.count("mlrails:index:ModelEndpoint") == 3
    assert types.count("mlrails:index:OpenSourceMonitor") == 3
    assert types.count("aws:scheduler/schedule:Schedule") == 3
    assert document["summary"]["mandatory"] == 0


@pytest.mark.slow  # a fresh interpreter previews the whole fleet: `make check`
def test_previewing_the_fleet_imports_no_heavy_package_it_does_not_need():
    """The SageMaker SDK and pulumi-aws-native cost one to two seconds of every run, botocore
    80 ms; the fleet reads only data files of the first and last."""
    heavy = ("sagemaker", "pulumi_aws_native", "botocore", "pulumi_kubernetes")
    assert packages_imported_by(FLEET, "dev", heavy) == []
