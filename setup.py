"""Import names for the distribution's folders (everything else is in pyproject.toml).

The folders keep the names the layout gives them (`components/`, `policies/`), but they install
as `mlrails_components` and `mlrails_policies`: a user's program with its own `components` or
`policies` package must not shadow ours, nor ours theirs. pyproject.toml cannot map a folder and
all its subpackages to another name, so the package list is computed here.
"""

from setuptools import find_namespace_packages, setup

# import name -> folder
RENAMED = {
    "mlrails_components": "components",
    "mlrails_policies": "policies",
    "mlrails_monitoring_job": "monitoring_job/mlrails_monitoring_job",
}


def _packages_under(name: str, folder: str) -> list[str]:
    """`name` and its subpackages (namespace ones too: they hold data files such as schemas)."""
    return [name, *(f"{name}.{sub}" for sub in find_namespace_packages(folder))]


setup(
    packages=[
        *find_namespace_packages(include=["mlrails", "mlrails.*"]),
        *(p for name, folder in RENAMED.items() for p in _packages_under(name, folder)),
    ],
    package_dir=RENAMED,
)
