"""Every manifest the component writes passes its schema: Kubernetes' own, or the CRD's kept here."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from mlrails_components.kubernetes.inference_service import _check_schemas
from mlrails_components.kubernetes.schemas import CRD_FILES, crd_document, manifest_problems
from mlrails_components.support.validation import Problems
from tests.components.kubernetes.kserve_cases import RESOURCES
from tests.components.kubernetes.test_inference_service import CANARY, SHADOW, service

VARIANTS = {
    "plain": {},
    "canary": CANARY,
    "shadow": SHADOW,
    "everything": (
        {
            **CANARY,
            **SHADOW,
            "runtime": "kserve-sklearnserver",
            "image": "kserve/sklearnserver:v0.14.0",
            "protocol_version": "v2",
            "model_format_version": "1",
            "scale_metric": "cpu",
            "scale_target": 70,
            "labels": {"owner": "fraud-ml"},
            "alert_labels": {"team": "fraud"},
            "monitoring_labels": {"release": "kps"},
            "service_account_annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/r"},
            "resources": {**RESOURCES, "gpu_limit": 2},
        }
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_recorded_manifest_passes_its_schema(program, variant):
    plan = program(service(VARIANTS[variant]))
    manifests = [r for r in plan.resources if r.type.startswith("kubernetes:")]
    kinds = {(r.inputs["apiVersion"], r.inputs["kind"]) for r in manifests}
    assert ("v1", "Namespace") in kinds and (
        "serving.kserve.io/v1beta1",
        "InferenceService",
    ) in kinds
    assert {r.name: manifest_problems(r.inputs) for r in manifests} == {
        r.name: [] for r in manifests
    }


def test_the_shadow_plan_covers_every_kind_the_component_writes(program):
    plan = program(service(SHADOW))
    kinds = {
        (r.inputs["apiVersion"], r.inputs["kind"])
        for r in plan.resources
        if r.inputs and not r.is_provider
    }
    assert set(CRD_FILES) <= kinds
    assert {
        ("v1", "Namespace"),
        ("v1", "ServiceAccount"),
        ("networking.k8s.io/v1", "NetworkPolicy"),
        ("policy/v1", "PodDisruptionBudget"),
    } <= kinds


@pytest.mark.parametrize(("api_version", "kind"), sorted(CRD_FILES))
def test_each_crd_schema_names_its_upstream_source_and_is_a_valid_schema(api_version, kind):
    document = crd_document(api_version, kind)
    source = document["_source"]
    assert set(source) >= {"project", "file", "version", "subset"}
    assert source["project"] in (
        "kserve/kserve",
        "istio/api",
        "prometheus-operator/prometheus-operator",
    )
    assert f"{document['group']}/{document['version']}" == api_version
    assert document["kind"] == kind
    # The meta-schema without format checks: upstream patterns are RE2, e.g. `^(?i)(abort|warn)?$`.
    meta = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
    meta.validate(document["openAPIV3Schema"])


ISVC = {
    "apiVersion": "serving.kserve.io/v1beta1",
    "kind": "InferenceService",
    "metadata": {"name": "fraud", "namespace": "fraud"},
    "spec": {
        "predictor": {
            "minReplicas": 2,
            "model": {
                "modelFormat": {"name": "sklearn"},
                "storageUri": "s3://models/fraud/v42",
                "resources": {"limits": {"cpu": "2", "memory": "4Gi"}},
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
            },
        }
    },
}


def changed(document: dict, path: str, value) -> dict:
    result = copy.deepcopy(document)
    *parents, last = path.split(".")
    target = result
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return result


DELETE = object()


def test_a_valid_inference_service_passes():
    assert manifest_problems(ISVC) == []


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("spec.predictor", DELETE, "spec: 'predictor' is a required property"),
        (
            "spec.predictor.canaryTrafficPercentage",
            10,
            "spec.predictor: Additional properties are not allowed ('canaryTrafficPercentage' was unexpected)",
        ),
        ("spec.predictor.scaleMetric", "gpu", "spec.predictor.scaleMetric: 'gpu' is not one of"),
        (
            "spec.predictor.minReplicas",
            "2",
            "spec.predictor.minReplicas: '2' is not of type 'integer'",
        ),
        (
            "spec.predictor.model.modelFormat",
            {"version": "1"},
            "spec.predictor.model.modelFormat: 'name' is a required property",
        ),
        (
            "spec.predictor.model.resources.limits.memory",
            "4GB",
            "spec.predictor.model.resources.limits.memory: '4GB' does not match",
        ),
        (
            "spec.predictor.model.volumeMounts",
            [{"name": "a", "mountPath": "/tmp"}, {"name": "b", "mountPath": "/tmp"}],
            "spec.predictor.model.volumeMounts: a map list has duplicate mountPath: ('/tmp',)",
        ),
    ],
    ids=[
        "predictor-missing",
        "unknown-field",
        "unknown-scale-metric",
        "replicas-as-a-string",
        "model-format-without-name",
        "memory-in-GB",
        "duplicate-mount-path",
    ],
)
def test_the_inference_service_schema_rejects(path, value, problem):
    problems = manifest_problems(changed(ISVC, path, value))
    assert any(p.startswith(problem) for p in problems), problems


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            {
                "apiVersion": "networking.istio.io/v1beta1",
                "kind": "VirtualService",
                "metadata": {"name": "m"},
                "spec": {
                    "hosts": ["a"],
                    "http": [{"route": [{"destination": {"port": {"number": 80}}}]}],
                },
            },
            "spec.http[0].route[0].destination: 'host' is a required property",
        ),
        (
            {
                "apiVersion": "networking.istio.io/v1beta1",
                "kind": "VirtualService",
                "metadata": {"name": "m"},
                "spec": {"http": [{"mirrorPercentage": {"value": "ten"}}]},
            },
            "spec.http[0].mirrorPercentage.value: 'ten' is not of type 'number'",
        ),
        (
            {
                "apiVersion": "monitoring.coreos.com/v1",
                "kind": "PrometheusRule",
                "metadata": {"name": "r"},
                "spec": {"groups": [{"name": "g", "rules": [{"alert": "A", "for": "5 minutes"}]}]},
            },
            "spec.groups[0].rules[0]: 'expr' is a required property",
        ),
        (
            {
                "apiVersion": "monitoring.coreos.com/v1",
                "kind": "PrometheusRule",
                "metadata": {"name": "r"},
                "spec": {"groups": [{"name": "g", "rules": []}, {"name": "g", "rules": []}]},
            },
            "spec.groups: a map list has duplicate name: ('g',)",
        ),
        (
            {
                "apiVersion": "monitoring.coreos.com/v1",
                "kind": "ServiceMonitor",
                "metadata": {"name": "s"},
                "spec": {"endpoints": [{"scheme": "ftp"}]},
            },
            "spec: 'selector' is a required property",
        ),
        (
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": "n"},
                "spec": {"podSelector": {}, "ingres": []},
            },
            "spec: Additional properties are not allowed ('ingres' was unexpected)",
        ),
        (
            {
                "apiVersion": "policy/v1",
                "kind": "PodDisruptionBudget",
                "metadata": {"name": "p"},
                "spec": {"selector": {"matchLabels": {"app": 1}}},
            },
            "spec.selector.matchLabels.app: 1 is not of type 'string', 'null'",
        ),
        (
            {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}},
            "Couldn't find schema for kind Widget",
        ),
    ],
    ids=[
        "route-without-host",
        "mirror-share-not-a-number",
        "rule-without-expr",
        "duplicate-rule-group",
        "service-monitor-without-selector",
        "network-policy-misspelt-field",
        "label-value-not-a-string",
        "unknown-kind",
    ],
)
def test_the_other_schemas_reject(document, problem):
    problems = manifest_problems(document)
    assert any(p.startswith(problem) for p in problems), problems


class Pending:
    """Awaitable, like an Output whose value is not known yet."""

    def __await__(self):
        yield


def test_values_still_outputs_are_left_to_the_provider():
    pending = changed(ISVC, "spec.predictor.model.storageUri", Pending())
    assert manifest_problems(pending) == []
    assert manifest_problems(changed(ISVC, "spec.predictor.model.storageUri", 3)) == [
        "spec.predictor.model.storageUri: 3 is not of type 'string'"
    ]


def test_re2_patterns_of_upstream_schemas_are_read_in_python():
    rule = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "r"},
        "spec": {"groups": [{"name": "g", "partial_response_strategy": "WARN", "rules": []}]},
    }
    assert manifest_problems(rule) == []
    rule["spec"]["groups"][0]["partial_response_strategy"] = "retry"
    assert manifest_problems(rule) == [
        "spec.groups[0].partial_response_strategy: 'retry' does not match '(?i)^(abort|warn)?$'"
    ]


def test_a_manifest_off_its_schema_is_an_argument_problem():
    problems = Problems("InferenceService", "fraud")
    _check_schemas(
        {"inference-service": changed(ISVC, "spec.predictor.minReplicas", "2")}, problems
    )
    assert problems.found == [
        "the InferenceService fraud would not pass its schema: spec.predictor.minReplicas: '2' "
        "is not of type 'integer'; check the arguments it is built from"
    ]
