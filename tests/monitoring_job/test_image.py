"""The job's Lambda image installs what the package declares and imports: the Dockerfile's pip
line, monitoring_job/requirements.txt and pyproject's monitoring-job extra agree."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
JOB = REPO / "monitoring_job"
PACKAGE = JOB / "mlrails_monitoring_job"


def requirements_file() -> dict[str, Requirement]:
    lines = (JOB / "requirements.txt").read_text().splitlines()
    found = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): r for r in found}


def declared() -> dict[str, Requirement]:
    """The job's dependencies as pyproject declares them: the monitoring-job extra, and boto3
    from the main dependencies (the job's AWS client)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extra = [Requirement(r) for r in project["optional-dependencies"]["monitoring-job"]]
    (boto3,) = [Requirement(r) for r in project["dependencies"] if r.startswith("boto3")]
    return {canonicalize_name(r.name): r for r in [*extra, boto3]}


def test_requirements_pin_what_pyproject_declares():
    image, package = requirements_file(), declared()
    assert set(image) == set(package)
    for name, requirement in image.items():
        assert requirement.specifier == package[name].specifier, name


def test_evidently_is_pinned_to_one_release():
    (pin,) = requirements_file()["evidently"].specifier
    assert pin.operator == "=="


def test_the_dockerfile_installs_the_requirements_and_copies_the_package():
    dockerfile = (JOB / "Dockerfile").read_text()
    (install,) = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert re.search(r"-r \$\{LAMBDA_TASK_ROOT\}/requirements\.txt\b", install)
    assert "COPY requirements.txt ${LAMBDA_TASK_ROOT}/" in dockerfile
    assert "COPY mlrails_monitoring_job ${LAMBDA_TASK_ROOT}/mlrails_monitoring_job" in dockerfile
    (command,) = re.findall(r'^CMD \["([^"]+)"\]', dockerfile, re.MULTILINE)
    module, function = command.removeprefix(f"{PACKAGE.name}.").rsplit(".", 1)
    assert f"def {function}(" in (PACKAGE / f"{module}.py").read_text()


def imported_modules() -> set[str]:
    found = set()
    for source in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"__future__", PACKAGE.name}


def installed_with(names: set[str]) -> set[str]:
    """The distributions `names` bring, with their own dependencies (no extras)."""
    seen: set[str] = set()
    queue = list(names)
    while queue:
        name = canonicalize_name(queue.pop())
        if name in seen:
            continue
        seen.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                queue.append(requirement.name)
    return seen


def test_every_module_the_job_imports_is_installed_by_the_requirements():
    imported = imported_modules()
    assert {"boto3", "botocore", "pandas", "evidently"} <= imported
    distributions = importlib.metadata.packages_distributions()
    image = installed_with(set(requirements_file()))
    for module in sorted(imported):
        providers = {canonicalize_name(d) for d in distributions[module]}
        assert providers & image, f"{module} comes from {providers}, not in requirements.txt"
