"""SageMaker rules: a compliant baseline, then one mutation per test."""

from __future__ import annotations

import json

import pytest

from tests.policies.conftest import UNKNOWN, R, messages, only

KEY = "arn:aws:kms:us-east-1:123456789012:key/1111"
TAGS = {"owner": "ml", "cost-center": "cc-1", "data-classification": "internal"}
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
MODEL = "aws:sagemaker/model:Model"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CARD = "aws:sagemaker/modelCard:ModelCard"
DQ_JOB = "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
SCHEDULE = "aws:sagemaker/monitoringSchedule:MonitoringSchedule"


def config(**changes) -> R:
    inputs = {
        "name": "fraud-config",
        "kmsKeyArn": KEY,
        "productionVariants": [
            {
                "variantName": "primary",
                "modelName": "fraud-model",
                "instanceType": "ml.m5.large",
                "initialInstanceCount": 2.0,
                "initialVariantWeight": 1.0,
            }
        ],
        "dataCaptureConfig": {
            "enableCapture": True,
            "initialSamplingPercentage": 100.0,
            "destinationS3Uri": "s3://capture/fraud",
            "kmsKeyId": KEY,
            "captureOptions": [{"captureMode": "Input"}, {"captureMode": "Output"}],
        },
        "tags": TAGS,
    }
    inputs.update(changes)
    return R(CONFIG, "fraud-config", {k: v for k, v in inputs.items() if v is not None})


SERVERLESS_VARIANTS = [
    {
        "variantName": "primary",
        "modelName": "m",
        "serverlessConfig": {"memorySizeInMb": 2048.0, "maxConcurrency": 5.0},
    }
]


def endpoint(**changes) -> R:
    inputs = {
        "name": "fraud",
        "endpointConfigName": "fraud-config",
        "deploymentConfig": {
            "blueGreenUpdatePolicy": {
                "trafficRoutingConfiguration": {
                    "type": "CANARY",
                    "waitIntervalInSeconds": 600.0,
                    "canarySize": {"type": "CAPACITY_PERCENT", "value": 10.0},
                },
            },
            "autoRollbackConfiguration": {
                "alarms": [{"alarmName": "fraud-5xx"}, {"alarmName": "fraud-latency"}]
            },
        },
        "tags": TAGS,
    }
    inputs.update(changes)
    return R(ENDPOINT, "fraud", {k: v for k, v in inputs.items() if v is not None})


def alarm(
    name: str,
    metric: str,
    endpoint_name="fraud",
    actions=("arn:aws:sns:us-east-1:1:alerts",),
    deps=None,
) -> R:
    inputs = {
        "name": name,
        "namespace": "AWS/SageMaker",
        "metricName": metric,
        "dimensions": {"EndpointName": endpoint_name, "VariantName": "primary"},
        "alarmActions": list(actions),
        "tags": TAGS,
    }
    return R(ALARM, name, inputs, deps or {})


def model(**changes) -> R:
    inputs = {
        "name": "fraud-model",
        "executionRoleArn": "arn:aws:iam::123456789012:role/fraud",
        "primaryContainer": {
            "image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "modelDataUrl": "s3://artifacts/fraud/model.tar.gz",
        },
        "enableNetworkIsolation": True,
        "tags": {**TAGS, "model-card": "fraud-card"},
    }
    inputs.update(changes)
    return R(MODEL, "fraud-model", {k: v for k, v in inputs.items() if v is not None})


def card(**changes) -> R:
    inputs = {
        "modelCardName": "fraud-card",
        "modelCardStatus": "Draft",
        "content": json.dumps({"model_overview": {"model_name": "fraud-model"}}),
        "securityConfig": {"kmsKeyId": KEY},
        "tags": TAGS,
    }
    inputs.update(changes)
    return R(CARD, "fraud-card", {k: v for k, v in inputs.items() if v is not None})


def dq_job(**changes) -> R:
    inputs = {
        "name": "fraud-data-quality",
        "dataQualityJobInput": {
            "endpointInput": {"endpointName": "fraud", "localPath": "/opt/ml/processing/input"}
        },
        "dataQualityJobOutputConfig": {
            "kmsKeyId": KEY,
            "monitoringOutputs": {"s3Output": {"s3Uri": "s3://monitoring/x"}},
        },
        "jobResources": {
            "clusterConfig": {
                "instanceCount": 1.0,
                "instanceType": "ml.m5.xlarge",
                "volumeSizeInGb": 20.0,
                "volumeKmsKeyId": KEY,
            }
        },
        "networkConfig": {
            "enableInterContainerTrafficEncryption": True,
            "enableNetworkIsolation": True,
        },
        "roleArn": "arn:aws:iam::123456789012:role/monitor",
        "tags": TAGS,
    }
    inputs.update(changes)
    return R(DQ_JOB, "fraud-data-quality", inputs)


def schedule(job_name="fraud-data-quality", deps=None) -> R:
    return R(
        SCHEDULE,
        "fraud-schedule",
        {
            "name": "fraud-schedule",
            "monitoringScheduleConfig": {
                "monitoringJobDefinitionName": job_name,
                "monitoringType": "DataQuality",
                "scheduleConfig": {"scheduleExpression": "cron(0 * ? * * *)"},
            },
            "tags": TAGS,
        },
        deps or {},
    )


# --- sagemaker-endpoint-config-kms ---------------------------------------------------------


def test_endpoint_config_with_key_passes(judge):
    assert judge("sagemaker-endpoint-config-kms", [config()]) == []


def test_endpoint_config_without_key_is_a_violation(judge):
    finding = only(judge("sagemaker-endpoint-config-kms", [config(kmsKeyArn=None)]))
    assert finding.enforcement == "mandatory" and finding.urn.endswith("::fraud-config")
    assert "no kmsKeyArn" in finding.message


def test_serverless_config_needs_no_key(judge):
    assert (
        judge(
            "sagemaker-endpoint-config-kms",
            [config(kmsKeyArn=None, productionVariants=SERVERLESS_VARIANTS)],
        )
        == []
    )


def test_unknown_key_in_a_preview_is_a_key_that_is_set(judge):
    assert judge("sagemaker-endpoint-config-kms", [config(kmsKeyArn=UNKNOWN)]) == []


def test_unknown_variants_are_not_evaluated(judge):
    finding = only(judge("sagemaker-endpoint-config-kms", [config(productionVariants=UNKNOWN)]))
    assert finding.status == "not_evaluated" and "variants can't be known" in finding.message


# --- sagemaker-data-capture ----------------------------------------------------------------


def test_capture_with_key_passes(judge):
    assert judge("sagemaker-data-capture", [config()]) == []


@pytest.mark.parametrize(
    "capture", [None, {"enableCapture": False, "kmsKeyId": KEY}], ids=["absent", "off"]
)
def test_capture_off_or_absent_is_a_violation(judge, capture):
    finding = only(judge("sagemaker-data-capture", [config(dataCaptureConfig=capture)]))
    assert "data capture is off" in finding.message


def test_capture_without_key_is_a_violation(judge):
    capture = {"enableCapture": True, "destinationS3Uri": "s3://c/x"}
    assert (
        "no kmsKeyId"
        in only(judge("sagemaker-data-capture", [config(dataCaptureConfig=capture)])).message
    )


def test_capture_switch_unknown_is_not_evaluated(judge):
    capture = {"enableCapture": UNKNOWN, "kmsKeyId": KEY}
    assert (
        only(judge("sagemaker-data-capture", [config(dataCaptureConfig=capture)])).status
        == "not_evaluated"
    )


# --- sagemaker-model-network-isolation -----------------------------------------------------


def test_isolated_model_passes(judge):
    assert judge("sagemaker-model-network-isolation", [model()]) == []


def test_model_without_isolation_is_a_violation(judge):
    finding = only(
        judge("sagemaker-model-network-isolation", [model(enableNetworkIsolation=False)])
    )
    assert finding.enforcement == "advisory" and "network isolation is off" in finding.message


def test_require_vpc_asks_for_subnets_and_security_groups(judge):
    config_ = {"sagemaker-model-network-isolation": {"require_vpc": True}}
    assert (
        "outside a VPC"
        in only(judge("sagemaker-model-network-isolation", [model()], config_)).message
    )
    in_vpc = model(vpcConfig={"subnets": ["subnet-1"], "securityGroupIds": ["sg-1"]})
    assert judge("sagemaker-model-network-isolation", [in_vpc], config_) == []


def test_model_served_only_serverless_is_not_asked_for_isolation(judge):
    """DG serverless-endpoints.md: network isolation is not supported for Serverless Inference
    (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html)."""
    serverless = [{**SERVERLESS_VARIANTS[0], "modelName": "fraud-model"}]
    served = config(productionVariants=serverless)
    rule = "sagemaker-model-network-isolation"
    assert judge(rule, [model(enableNetworkIsolation=None), served]) == []
    on_instances = [model(enableNetworkIsolation=None), config()]
    assert "network isolation is off" in only(judge(rule, on_instances)).message


def test_unknown_isolation_is_undecided_not_passed(judge):
    finding = only(
        judge("sagemaker-model-network-isolation", [model(enableNetworkIsolation=UNKNOWN)])
    )
    assert finding.status == "not_evaluated"


# --- sagemaker-approved-images -------------------------------------------------------------


def test_ecr_image_is_approved_by_default(judge):
    assert judge("sagemaker-approved-images", [model()]) == []


def test_docker_hub_image_is_a_violation(judge):
    untrusted = model(primaryContainer={"image": "someone/xgboost:1.0", "modelDataUrl": "s3://a/b"})
    assert "registry docker.io" in only(judge("sagemaker-approved-images", [untrusted])).message


def test_allowed_registries_option_replaces_the_default(judge):
    options = {"sagemaker-approved-images": {"allowed_registries": ["ghcr.io"]}}
    ghcr = model(primaryContainer={"image": "ghcr.io/acme/fraud:3", "modelDataUrl": "s3://a/b"})
    assert judge("sagemaker-approved-images", [ghcr], options) == []
    assert len(judge("sagemaker-approved-images", [model()], options)) == 1


def test_model_package_containers_are_judged_in_the_registry(judge):
    packaged = model(
        primaryContainer={"modelPackageName": "arn:aws:sagemaker:us-east-1:1:model-package/fraud/3"}
    )
    assert judge("sagemaker-approved-images", [packaged]) == []


# --- sagemaker-instance-types and sagemaker-min-instances ----------------------------------


def test_any_instance_type_is_allowed_by_default(judge):
    assert judge("sagemaker-instance-types", [config()]) == []


def test_instance_type_outside_the_allow_list_is_a_violation(judge):
    options = {"sagemaker-instance-types": {"allowed_instance_types": ["ml.c5.*"]}}
    assert (
        "uses ml.m5.large" in only(judge("sagemaker-instance-types", [config()], options)).message
    )


def test_two_instances_meet_the_default_minimum(judge):
    assert judge("sagemaker-min-instances", [config()]) == []


def test_single_instance_variant_is_a_violation(judge):
    variants = [
        {
            "variantName": "primary",
            "modelName": "m",
            "instanceType": "ml.m5.large",
            "initialInstanceCount": 1.0,
        }
    ]
    finding = only(judge("sagemaker-min-instances", [config(productionVariants=variants)]))
    assert "variant 'primary' starts with 1 instance(s)" in finding.message


def test_min_instances_option_raises_the_bar(judge):
    options = {"sagemaker-min-instances": {"min_instances": 3}}
    assert len(judge("sagemaker-min-instances", [config()], options)) == 1


def test_serverless_variants_have_no_instance_count(judge):
    assert judge("sagemaker-min-instances", [config(productionVariants=SERVERLESS_VARIANTS)]) == []


# --- sagemaker-safe-deployment -------------------------------------------------------------


def test_canary_with_rollback_alarms_passes(judge):
    assert judge("sagemaker-safe-deployment", [endpoint()]) == []


def test_endpoint_without_deployment_policy_is_a_violation(judge):
    assert (
        "no deployment policy"
        in only(judge("sagemaker-safe-deployment", [endpoint(deploymentConfig=None)])).message
    )


def test_policy_without_rollback_alarms_is_a_violation(judge):
    deployment = {"blueGreenUpdatePolicy": {"trafficRoutingConfiguration": {"type": "ALL_AT_ONCE"}}}
    finding = only(judge("sagemaker-safe-deployment", [endpoint(deploymentConfig=deployment)]))
    assert "no rollback alarms" in finding.message


def test_rolling_update_with_alarms_passes(judge):
    deployment = {
        "rollingUpdatePolicy": {
            "maximumBatchSize": {"type": "CAPACITY_PERCENT", "value": 20.0},
            "waitIntervalInSeconds": 300.0,
        },
        "autoRollbackConfiguration": {"alarms": [{"alarmName": "a"}]},
    }
    assert judge("sagemaker-safe-deployment", [endpoint(deploymentConfig=deployment)]) == []


# --- sagemaker-endpoint-alarms (stack) -----------------------------------------------------


def alarms():
    return [alarm("fraud-5xx", "Invocation5XXErrors"), alarm("fraud-latency", "ModelLatency")]


def test_endpoint_with_both_alarms_passes(judge):
    assert judge("sagemaker-endpoint-alarms", [endpoint(), *alarms()]) == []


def test_missing_latency_alarm_is_named(judge):
    finding = only(judge("sagemaker-endpoint-alarms", [endpoint(), alarms()[0]]))
    assert finding.urn.endswith("::fraud") and "ModelLatency" in finding.message
    assert "Invocation5XXErrors" not in finding.message


def test_alarm_without_action_does_not_count(judge):
    silent = [alarm("fraud-5xx", "Invocation5XXErrors", actions=()), alarms()[1]]
    assert (
        "Invocation5XXErrors"
        in only(judge("sagemaker-endpoint-alarms", [endpoint(), *silent])).message
    )


def test_alarms_on_another_endpoint_are_not_linked(judge):
    other = [
        alarm("x-5xx", "Invocation5XXErrors", "other"),
        alarm("x-lat", "ModelLatency", "other"),
    ]
    assert len(judge("sagemaker-endpoint-alarms", [endpoint(), *other])) == 1


def test_alarms_linked_by_dependency_hold_when_the_name_is_unknown(judge):
    ep = endpoint()
    linked = [
        alarm("fraud-5xx", "Invocation5XXErrors", UNKNOWN, deps={"dimensions": [ep.urn]}),
        alarm("fraud-latency", "ModelLatency", UNKNOWN, deps={"dimensions": [ep.urn]}),
    ]
    assert judge("sagemaker-endpoint-alarms", [ep, *linked]) == []
    unlinked = [alarm("a", "Invocation5XXErrors", UNKNOWN), alarm("b", "ModelLatency", UNKNOWN)]
    assert len(judge("sagemaker-endpoint-alarms", [ep, *unlinked])) == 1


def test_metric_math_alarm_on_the_endpoint_counts(judge):
    math = R(
        ALARM,
        "fraud-5xx-rate",
        {
            "name": "fraud-5xx-rate",
            "alarmActions": ["arn:aws:sns:us-east-1:1:alerts"],
            "metricQueries": [
                {
                    "id": "errors",
                    "metric": {
                        "metricName": "Invocation5XXErrors",
                        "namespace": "AWS/SageMaker",
                        "dimensions": {"EndpointName": "fraud", "VariantName": "primary"},
                    },
                },
                {"id": "rate", "expression": "errors / invocations", "returnData": True},
            ],
        },
    )
    assert judge("sagemaker-endpoint-alarms", [endpoint(), math, alarms()[1]]) == []


def test_metric_math_alarm_linked_by_dependency_holds_when_the_name_is_unknown(judge):
    ep = endpoint()
    query = {"id": "m", "metric": {"metricName": "ModelLatency", "dimensions": {}}}
    math = R(
        ALARM,
        "fraud-latency-math",
        {"alarmActions": ["arn:aws:sns:us-east-1:1:alerts"], "metricQueries": [query]},
        {"metricQueries": [ep.urn]},
    )
    assert judge("sagemaker-endpoint-alarms", [ep, alarms()[0], math]) == []


# --- sagemaker-endpoint-monitored (stack) --------------------------------------------------


def test_capturing_endpoint_with_schedule_through_its_job_definition_passes(judge):
    assert judge("sagemaker-endpoint-monitored", [config(), endpoint(), dq_job(), schedule()]) == []


def test_capturing_endpoint_without_schedule_is_a_violation(judge):
    finding = only(judge("sagemaker-endpoint-monitored", [config(), endpoint(), dq_job()]))
    assert finding.urn.endswith("::fraud") and "no monitoring schedule" in finding.message


def test_endpoint_without_capture_is_not_judged(judge):
    assert judge("sagemaker-endpoint-monitored", [config(dataCaptureConfig=None), endpoint()]) == []


def test_schedule_linked_by_dependencies_holds_when_names_are_unknown(judge):
    ep, job = endpoint(), dq_job()
    job = R(
        job.type,
        job.name,
        {**job.inputs, "dataQualityJobInput": {"endpointInput": {"endpointName": UNKNOWN}}},
        {"dataQualityJobInput": [ep.urn]},
    )
    linked = schedule(job_name=UNKNOWN, deps={"monitoringScheduleConfig": [job.urn]})
    assert judge("sagemaker-endpoint-monitored", [config(), ep, job, linked]) == []


def test_native_schedule_naming_the_endpoint_passes(judge):
    native = R(
        "aws-native:sagemaker:MonitoringSchedule",
        "native",
        {"endpointName": "fraud", "monitoringScheduleName": "n"},
    )
    assert judge("sagemaker-endpoint-monitored", [config(), endpoint(), native]) == []


def test_unknown_capture_switch_leaves_the_endpoint_undecided(judge):
    capture = {"enableCapture": UNKNOWN, "kmsKeyId": KEY}
    finding = only(
        judge("sagemaker-endpoint-monitored", [config(dataCaptureConfig=capture), endpoint()])
    )
    assert finding.status == "not_evaluated" and finding.urn.endswith("::fraud")


# --- sagemaker-model-card (stack) ----------------------------------------------------------


def test_model_tagged_with_an_encrypted_card_passes(judge):
    assert judge("sagemaker-model-card", [model(), card()]) == []


def test_model_without_card_is_a_violation(judge):
    finding = only(judge("sagemaker-model-card", [model()]))
    assert finding.enforcement == "mandatory" and "has no model card" in finding.message


def test_unencrypted_card_does_not_cover_the_model(judge):
    assert (
        "not encrypted"
        in only(judge("sagemaker-model-card", [model(), card(securityConfig=None)])).message
    )


def test_draft_card_fails_when_only_approved_cards_count(judge):
    options = {"sagemaker-model-card": {"allowed_statuses": ["Approved"]}}
    assert "is Draft" in only(judge("sagemaker-model-card", [model(), card()], options)).message
    assert judge("sagemaker-model-card", [model(), card(modelCardStatus="Approved")], options) == []


def test_card_naming_the_model_in_its_content_covers_it_without_the_tag(judge):
    untagged = model(tags=TAGS)
    assert judge("sagemaker-model-card", [untagged, card()]) == []


def test_card_linked_by_dependency_holds_when_its_content_is_unknown(judge):
    m = model(tags=TAGS)
    linked = R(CARD, "fraud-card", {**card().inputs, "content": UNKNOWN}, {"content": [m.urn]})
    assert judge("sagemaker-model-card", [m, linked]) == []


def test_unknown_card_status_is_not_evaluated(judge):
    finding = only(judge("sagemaker-model-card", [model(), card(modelCardStatus=UNKNOWN)]))
    assert finding.status == "not_evaluated" and finding.urn.endswith("::fraud-model")


def test_archived_card_does_not_count_by_default(judge):
    archived = card(modelCardStatus="Archived")
    finding = only(judge("sagemaker-model-card", [model(), archived]))
    assert "is Archived, allowed: Draft, PendingReview, Approved" in finding.message


def test_one_good_card_covers_the_model_despite_a_bad_one(judge):
    bad = R(CARD, "old-card", {**card(securityConfig=None).inputs})
    assert judge("sagemaker-model-card", [model(), bad, card()]) == []


def test_every_problem_of_every_card_is_listed(judge):
    bad = R(CARD, "old-card", {**card(securityConfig=None, modelCardStatus="Archived").inputs})
    finding = only(judge("sagemaker-model-card", [model(), bad]))
    assert finding.message == (
        "model fraud-model: card old-card is not encrypted with a customer key; "
        "card old-card is Archived, allowed: Draft, PendingReview, Approved"
    )


def rated_card(rating):
    content = {"model_overview": {"model_name": "fraud-model"}}
    if rating is not None:
        content["intended_uses"] = {"risk_rating": rating}
    return card(content=json.dumps(content))


@pytest.mark.parametrize("rating", [None, "Unknown"])
def test_require_risk_rating_rejects_a_card_that_rates_no_risk(judge, rating):
    options = {"sagemaker-model-card": {"require_risk_rating": True}}
    finding = only(judge("sagemaker-model-card", [model(), rated_card(rating)], options))
    assert "card fraud-card rates no risk" in finding.message


def test_require_risk_rating_accepts_a_rated_card(judge):
    options = {"sagemaker-model-card": {"require_risk_rating": True}}
    assert judge("sagemaker-model-card", [model(), rated_card("Low")], options) == []


def test_unknown_card_content_leaves_a_required_risk_rating_undecided(judge):
    options = {"sagemaker-model-card": {"require_risk_rating": True}}
    finding = only(judge("sagemaker-model-card", [model(), card(content=UNKNOWN)], options))
    assert finding.status == "not_evaluated" and finding.urn.endswith("::fraud-model")


# --- sagemaker-monitoring-encryption -------------------------------------------------------


def test_encrypted_job_definition_passes(judge):
    assert judge("sagemaker-monitoring-encryption", [dq_job()]) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"dataQualityJobOutputConfig": {"monitoringOutputs": {}}}, "set kmsKeyId"),
        (
            {
                "jobResources": {
                    "clusterConfig": {"instanceCount": 1.0, "instanceType": "ml.m5.xlarge"}
                }
            },
            "set volumeKmsKeyId",
        ),
        (
            {"networkConfig": {"enableInterContainerTrafficEncryption": False}},
            "inter-container traffic encryption is off",
        ),
    ],
    ids=["output-without-key", "volume-without-key", "inter-container-plaintext"],
)
def test_each_missing_protection_is_a_violation(judge, change, fragment):
    assert fragment in only(judge("sagemaker-monitoring-encryption", [dq_job(**change)])).message


def test_unknown_traffic_encryption_is_not_evaluated(judge):
    unknown = {"networkConfig": {"enableInterContainerTrafficEncryption": UNKNOWN}}
    finding = only(judge("sagemaker-monitoring-encryption", [dq_job(**unknown)]))
    assert finding.status == "not_evaluated"
    assert "enableInterContainerTrafficEncryption can't be known" in finding.message


def test_unknown_traffic_encryption_still_reports_the_missing_keys(judge):
    job = dq_job(
        networkConfig={"enableInterContainerTrafficEncryption": UNKNOWN},
        dataQualityJobOutputConfig={"monitoringOutputs": {}},
    )
    findings = judge("sagemaker-monitoring-encryption", [job])
    assert [f.status for f in findings] == ["violation", "not_evaluated"]
    assert "set kmsKeyId" in findings[0].message


def test_native_model_quality_job_definition_is_judged_too(judge):
    native = R(
        "aws-native:sagemaker:ModelQualityJobDefinition",
        "quality",
        {
            "endpointName": "fraud",
            "modelQualityJobOutputConfig": {"kmsKeyId": KEY},
            "jobResources": {"clusterConfig": {"volumeKmsKeyId": KEY}},
            "networkConfig": {"enableInterContainerTrafficEncryption": True},
        },
    )
    assert judge("sagemaker-monitoring-encryption", [native]) == []
    bare = R(native.type, "bare", {"endpointName": "fraud"})
    assert len(messages(judge("sagemaker-monitoring-encryption", [bare]))) == 3
