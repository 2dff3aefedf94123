"""mlrails installs as `mlrails_components` and `mlrails_policies`: a program's own `components`
and `policies` packages (common names in Pulumi projects) neither shadow ours nor are shadowed."""

import json
import subprocess
import sys

from tests.conftest import REPO

PROJECT = REPO / "tests" / "projects" / "user_packages"


def test_a_program_with_its_own_components_and_policies_packages_previews_with_mlrails(cli):
    result = cli("preview", PROJECT, "--stack", "dev", "--format", "json")

    document = json.loads(result.out)
    types = {resource["type"] for resource in document["resources"]}
    # The program's component (from its own `components`) wraps mlrails's EncryptedBucket.
    assert {"acme:storage:TeamStore", "mlrails:index:EncryptedBucket"} <= types
    judged = {(v["pack"], v["policy"], v["urn"].rsplit("::", 1)[1]) for v in document["violations"]}
    # mlrails's pack judged the program, not the program's `policies` package: it flags the
    # unencrypted bucket and nothing of the store built from mlrails's component.
    assert ("mlrails", "s3-bucket-encrypted-kms", "scratch") in judged
    assert {name for _, _, name in judged} == {"scratch"}
    assert result.code == 1


def test_a_programs_packages_and_mlrails_packages_import_side_by_side():
    # As the language host runs a program: its directory first on the import path.
    probe = (
        "import components, policies, mlrails_components, mlrails_policies;"
        "print(components.__file__, policies.__file__, mlrails_components.__file__,"
        " mlrails_policies.__file__)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, check=True
    )

    theirs_components, theirs_policies, ours_components, ours_policies = completed.stdout.split()
    assert theirs_components == str(PROJECT / "components" / "__init__.py")
    assert theirs_policies == str(PROJECT / "policies" / "__init__.py")
    assert ours_components == str(REPO / "components" / "__init__.py")
    assert ours_policies == str(REPO / "policies" / "__init__.py")
