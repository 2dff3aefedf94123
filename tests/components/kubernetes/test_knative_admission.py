"""Every object the component builds passes its schema and Knative's admission, per release.

Knative's webhook rejects any pod field its field mask drops (knative/serving
`pkg/apis/serving/fieldmask.go`, `k8s_validation.go`, `pkg/apis/config/features.go` on the
release branches 1.12, 1.18 and 1.21); `components/kubernetes/knative.py` holds those tables.
"""

from __future__ import annotations

import copy

import pytest

from mlrails_components.kubernetes import knative
from mlrails_components.kubernetes.admission import admission_problems, ksvc_pod_spec
from mlrails_components.kubernetes.schemas import manifest_problems
from mlrails_components.support.validation import ArgumentsError
from tests.components.kubernetes.kserve_cases import (
    RAW,
    RELEASES,
    SCENARIOS,
    SHADOW,
    arguments,
    build,
)

# What manifests.pod_security_context() put on every predictor before the platform was declared.
OLD_POD_CONTEXT = {
    "runAsNonRoot": True,
    "runAsUser": 1000,
    "runAsGroup": 1000,
    "fsGroup": 1000,
    "seccompProfile": {"type": "RuntimeDefault"},
}
FLAG = "kubernetes.podspec-securitycontext"


def predictor(release: str, **platform) -> tuple:
    settings, documents = build(arguments({}, {"knative_version": release, **platform}))
    return settings, documents["inference-service"]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("release", RELEASES)
def test_every_generated_object_passes_its_schema_and_knative_admission(release, scenario):
    extra, platform = SCENARIOS[scenario]
    settings, documents = build(arguments(extra, {**platform, "knative_version": release}))
    assert settings.platform.release.version == release
    for role, document in documents.items():
        assert manifest_problems(document) == [], role
        if document["kind"] == "InferenceService":
            assert admission_problems(document, settings.platform) == [], role


@pytest.mark.parametrize("release", RELEASES)
def test_the_old_pod_security_context_is_rejected_by_every_release(release):
    """F4. The old predictor carried a pod-level securityContext (OLD_POD_CONTEXT) on the
    Serverless InferenceService; Knative's PodSpecMask drops it unless the
    kubernetes.podspec-securitycontext flag is on, which no release enables by default."""
    settings, isvc = predictor(release)
    assert "securityContext" not in isvc["spec"]["predictor"]
    old = copy.deepcopy(isvc)
    old["spec"]["predictor"]["securityContext"] = OLD_POD_CONTEXT
    assert admission_problems(old, settings.platform) == [
        f"securityContext: needs the feature flag {FLAG}"
    ]


@pytest.mark.parametrize("release", RELEASES)
def test_a_declared_podspec_securitycontext_flag_brings_the_pod_context_back(release):
    settings, isvc = predictor(release, knative_features=[FLAG])
    assert isvc["spec"]["predictor"]["securityContext"] == OLD_POD_CONTEXT
    assert admission_problems(isvc, settings.platform) == []


def test_secure_pod_defaults_admits_only_the_seccomp_profile_of_a_pod():
    row = knative.release("1.21")
    pod = {"containers": [], "securityContext": OLD_POD_CONTEXT}
    problems = knative.pod_spec_problems(pod, row, frozenset({"secure-pod-defaults"}))
    assert sorted(problems) == [
        f"securityContext.{key}: needs the feature flag {FLAG}"
        for key in ("fsGroup", "runAsGroup", "runAsNonRoot", "runAsUser")
    ]


@pytest.mark.parametrize(
    ("release", "admitted"),
    [("1.12", False), ("1.16", False), ("1.17", True), ("1.18", True), ("1.21", True)],
    ids=["1.12", "1.16", "1.17", "1.18", "1.21"],
)
def test_privileged_false_is_admitted_from_1_17_on(release, admitted):
    container = {"name": "c", "securityContext": {"privileged": False}}
    found = knative.container_problems(container, knative.release(release), frozenset())
    assert (found == []) is admitted


def test_added_capabilities_need_their_flag():
    container = {"name": "c", "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}}}
    row = knative.release("1.21")
    assert knative.container_problems(container, row, frozenset()) == [
        "c.securityContext.capabilities.add: needs kubernetes.containerspec-addcapabilities"
    ]
    assert (
        knative.container_problems(container, row, frozenset({knative.ADD_CAPABILITIES_FLAG})) == []
    )


def test_old_tmp_mount_is_reserved_on_1_12_only():
    """W13. The old predictor mounted its scratch volume at /tmp on every release; Knative
    reserved /tmp until knative-v1.13.0 (commit 1e2faa3)."""
    old_pod = {
        "containers": [
            {"name": "kserve-container", "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}
        ],
        "volumes": [{"name": "tmp", "emptyDir": {}}],
    }
    found = {
        r: knative.pod_spec_problems(old_pod, knative.release(r), frozenset()) for r in RELEASES
    }
    assert found == {
        "1.12": ["kserve-container.volumeMounts mountPath '/tmp' is reserved on 1.12"],
        "1.18": [],
        "1.21": [],
    }


@pytest.mark.parametrize(
    ("release", "path"), [("1.12", "/scratch"), ("1.18", "/tmp"), ("1.21", "/tmp")], ids=RELEASES
)
def test_scratch_goes_where_the_release_allows_and_tmpdir_follows(release, path):
    _, isvc = predictor(release)
    model = isvc["spec"]["predictor"]["model"]
    assert model["volumeMounts"] == [{"name": "tmp", "mountPath": path}]
    assert model.get("env") == ([{"name": "TMPDIR", "value": path}] if path != "/tmp" else None)


def test_a_raw_deployment_keeps_tmp_even_where_knative_reserves_it():
    _, documents = build(arguments({}, {"knative_version": "1.12", **RAW}))
    model = documents["inference-service"]["spec"]["predictor"]["model"]
    assert model["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]


def test_kserve_fields_stay_out_of_the_ksvc_pod_spec():
    _, isvc = predictor("1.21")
    pod = ksvc_pod_spec(isvc["spec"]["predictor"])
    assert set(pod) == {
        "serviceAccountName",
        "automountServiceAccountToken",
        "volumes",
        "containers",
    }
    (container,) = pod["containers"]
    assert set(container) == {"name", "resources", "securityContext", "volumeMounts"}


@pytest.mark.parametrize(
    ("version", "row"),
    [("1.12", "1.12"), ("1.14", "1.13"), ("1.18.2", "1.18"), ("1.20", "1.19"), ("v1.21.1", "1.21")],
    ids=["1.12", "1.14", "1.18.2", "1.20", "v1.21.1"],
)
def test_a_version_follows_the_newest_row_not_newer_than_it(version, row):
    assert knative.release(version).version == row


@pytest.mark.parametrize(
    ("platform", "message"),
    [
        ({"knative_version": "1.11"}, "outside the releases read, 1.12-1.21"),
        ({"knative_version": "1.22"}, "outside the releases read, 1.12-1.21"),
        ({"knative_version": "latest"}, "outside the releases read"),
        ({"kserve_version": "v1"}, "not a KServe version"),
        ({"deployment_mode": "Serverful"}, "KServe knows Serverless (Knative) and RawDeployment"),
        ({"knative_features": ["kubernetes.podspec-everything"]}, "not a flag of Knative 1.21"),
        (
            {"knative_version": "1.12", "knative_features": ["kubernetes.podspec-hostipc"]},
            "not a flag of Knative 1.12",
        ),
    ],
    ids=[
        "too-old",
        "too-new",
        "not-a-version",
        "kserve",
        "mode",
        "unknown-flag",
        "flag-of-a-later-release",
    ],
)
def test_an_unusable_platform_is_refused_with_the_key_and_the_fix(platform, message):
    with pytest.raises(ArgumentsError, match="platform\\.") as error:
        build(arguments({}, platform))
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("kserve", "primary", "shadow"),
    [
        ("0.15", "Serverless", "RawDeployment"),
        ("0.16", "Knative", "Standard"),
        ("0.20", "Knative", "Standard"),
    ],
    ids=["0.15", "0.16", "0.20"],
)
def test_deployment_mode_names_follow_the_kserve_release(kserve, primary, shadow):
    _, documents = build(arguments(SHADOW, {"kserve_version": kserve}))
    mode = "serving.kserve.io/deploymentMode"
    assert documents["inference-service"]["metadata"]["annotations"][mode] == primary
    assert documents["shadow"]["metadata"]["annotations"][mode] == shadow
