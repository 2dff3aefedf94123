"""ModelEndpoint under the offline engine: children, strategies, shadow, serverless, autoscaling,
VPC, the execution role, every validation error, preview mode and the AWS request shapes."""

from __future__ import annotations

import json

import pulumi_aws as aws
import pytest

from mlrails.errors import UserError
from mlrails.plan import is_unknown
from mlrails_components.sagemaker import ModelEndpoint
from tests.components.conftest import (
    TAGS,
    children,
    document,
    judge,
    resource,
    statement,
    unsettled,
    violations,
)
from tests.components.sagemaker import api_requests

VARIANT = {
    "name": "main",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:4.1.0",
    "model_data_url": "s3://acme-models/fraud/v41/model.tar.gz",
    "model_data_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/models",
    "instance_type": "ml.m5.large",
}
ONE = {"variants": [VARIANT]}


def code(args: dict = ONE, then=None):
    """The program: ModelEndpoint `fraud` with TAGS and `args`; then `then(endpoint)`."""

    def build():
        endpoint = ModelEndpoint("fraud", {**args, "tags": TAGS})
        if then is not None:
            then(endpoint)

    return build


def endpoint_config(plan) -> dict:
    return resource(plan, "fraud-config").inputs


def deployment(plan) -> dict:
    return resource(plan, "fraud-endpoint").inputs["deploymentConfig"]


def test_default_children(program):
    plan = program(code())
    assert sorted(children(plan, "fraud")) == sorted(
        [
            ("aws:kms/key:Key", "fraud-key"),
            ("aws:kms/alias:Alias", "fraud-key-alias"),
            ("mlrails:index:EncryptedBucket", "fraud-capture"),
            ("aws:iam/role:Role", "fraud-role"),
            ("aws:iam/rolePolicy:RolePolicy", "fraud-role-policy"),
            ("aws:sagemaker/model:Model", "fraud-main-model"),
            ("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "fraud-config"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "fraud-main-error-rate"),
            ("aws:cloudwatch/metricAlarm:MetricAlarm", "fraud-main-latency"),
            ("aws:iam/rolePolicy:RolePolicy", "fraud-rollback-alarms-policy"),
            ("aws:sagemaker/endpoint:Endpoint", "fraud-endpoint"),
        ]
    )


def test_secure_defaults_of_model_config_and_endpoint(program):
    plan = program(code())
    model = resource(plan, "fraud-main-model").inputs
    assert model["enableNetworkIsolation"] is True
    assert model["executionRoleArn"].startswith("arn:aws:iam::123456789012:role/fraud-role-")
    config = endpoint_config(plan)
    assert "name" in config and config["name"].startswith("fraud-config-")  # auto-named
    assert config["kmsKeyArn"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    variant = config["productionVariants"][0]
    assert variant["initialInstanceCount"] == 2 and variant["initialVariantWeight"] == 1
    assert variant["routingConfigs"] == [{"routingStrategy": "LEAST_OUTSTANDING_REQUESTS"}]
    capture = config["dataCaptureConfig"]
    assert capture["enableCapture"] is True and capture["initialSamplingPercentage"] == 100
    assert capture["destinationS3Uri"].startswith("s3://fraud-capture-bucket-")
    assert (
        capture["kmsKeyId"].startswith("arn:aws:kms:")
        and capture["kmsKeyId"] != config["kmsKeyArn"]
    )
    assert [o["captureMode"] for o in capture["captureOptions"]] == ["Input", "Output"]
    endpoint = resource(plan, "fraud-endpoint").inputs
    assert endpoint["name"].startswith("fraud-") and len(endpoint["name"]) == len("fraud-") + 7
    assert endpoint["endpointConfigName"] == config["name"]


def test_default_strategy_is_a_ten_percent_canary_with_rollback_on_the_variant_alarms(program):
    plan = program(code())
    config = deployment(plan)
    routing = config["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]
    assert routing == {
        "type": "CANARY",
        "canarySize": {"type": "CAPACITY_PERCENT", "value": 10},
        "waitIntervalInSeconds": 600,
    }
    assert config["blueGreenUpdatePolicy"]["terminationWaitInSeconds"] == 300
    assert config["blueGreenUpdatePolicy"]["maximumExecutionTimeoutInSeconds"] == 3600
    names = [
        resource(plan, n).inputs["name"] for n in ("fraud-main-error-rate", "fraud-main-latency")
    ]
    assert [a["alarmName"] for a in config["autoRollbackConfiguration"]["alarms"]] == names


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        (
            {"strategy": "canary", "canary_instances": 1, "bake_minutes": 15},
            {
                "blueGreenUpdatePolicy": {
                    "type": "CANARY",
                    "canarySize": {"type": "INSTANCE_COUNT", "value": 1},
                    "waitIntervalInSeconds": 900,
                }
            },
        ),
        (
            {"strategy": "linear", "linear_step_percent": 25, "bake_minutes": 5},
            {
                "blueGreenUpdatePolicy": {
                    "type": "LINEAR",
                    "linearStepSize": {"type": "CAPACITY_PERCENT", "value": 25},
                    "waitIntervalInSeconds": 300,
                }
            },
        ),
        (
            {"strategy": "all_at_once", "bake_minutes": 5},
            {"blueGreenUpdatePolicy": {"type": "ALL_AT_ONCE", "waitIntervalInSeconds": 300}},
        ),
    ],
    ids=["canary", "linear", "all-at-once"],
)
def test_blue_green_strategies(program, strategy, expected):
    plan = program(code({"variants": [VARIANT], "deployment": strategy}))
    routing = deployment(plan)["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]
    assert routing == expected["blueGreenUpdatePolicy"]


def test_rolling_strategy_replaces_batches_and_rolls_back_at_once(program):
    plan = program(
        code(
            {
                "variants": [VARIANT],
                "deployment": {
                    "strategy": "rolling",
                    "rolling_batch_percent": 25,
                    "bake_minutes": 4,
                    "maximum_execution_timeout_minutes": 120,
                },
            }
        )
    )
    config = deployment(plan)
    assert "blueGreenUpdatePolicy" not in config
    assert config["rollingUpdatePolicy"] == {
        "maximumBatchSize": {"type": "CAPACITY_PERCENT", "value": 25},
        "waitIntervalInSeconds": 240,
        "maximumExecutionTimeoutInSeconds": 7200,
        "rollbackMaximumBatchSize": {"type": "CAPACITY_PERCENT", "value": 100},
    }
    assert len(config["autoRollbackConfiguration"]["alarms"]) == 2


def test_rollback_alarms_watch_the_new_fleet_of_the_variant_with_latency_in_microseconds(
    program,
):
    plan = program(
        code(
            {
                "variants": [VARIANT],
                "rollback_alarms": {"latency_p99_ms": 250, "error_rate_percent": 2},
                "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:alerts"],
            }
        )
    )
    endpoint_name = resource(plan, "fraud-endpoint").inputs["name"]
    fleet = {
        "EndpointName": endpoint_name,
        "VariantName": "main",
        "EndpointConfigName": endpoint_config(plan)["name"],
    }
    latency = resource(plan, "fraud-main-latency").inputs
    assert (
        latency["namespace"],
        latency["metricName"],
        latency["extendedStatistic"],
        latency["unit"],
    ) == ("AWS/SageMaker", "ModelLatency", "p99", "Microseconds")
    assert latency["dimensions"] == fleet
    assert latency["threshold"] == 250_000 and latency["treatMissingData"] == "notBreaching"
    assert latency["alarmActions"] == ["arn:aws:sns:us-east-1:123456789012:alerts"]
    rate = resource(plan, "fraud-main-error-rate").inputs
    assert (
        rate["threshold"] == 2
        and rate["metricQueries"][2]["expression"]
        == "IF(invocations > 0, 100 * errors / invocations, 0)"
    )
    assert {q["metric"]["metricName"] for q in rate["metricQueries"][:2]} == {
        "Invocation5XXErrors",
        "Invocations",
    }
    assert all(q["metric"]["dimensions"] == fleet for q in rate["metricQueries"][:2])


def test_shadow_variant_samples_its_share_of_production_traffic(program):
    shadow = {
        "variants": [VARIANT],
        "shadow_variant": {
            **VARIANT,
            "name": "candidate",
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:4.2.0",
        },
        "shadow_sampling_percent": 20,
    }
    config = endpoint_config(program(code(shadow)))
    assert [v["variantName"] for v in config["shadowProductionVariants"]] == ["candidate"]
    assert config["shadowProductionVariants"][0]["initialVariantWeight"] == pytest.approx(0.2)


def test_serverless_variant_has_no_volumes_no_guardrails_but_alarms(program):
    serverless = {
        "variants": [
            {
                "name": "main",
                "image": VARIANT["image"],
                "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
            }
        ]
    }
    plan = program(code(serverless))
    config = endpoint_config(plan)
    assert config["productionVariants"][0]["serverlessConfig"] == {
        "memorySizeInMb": 2048,
        "maxConcurrency": 5,
    }
    assert "kmsKeyArn" not in config and "dataCaptureConfig" not in config
    assert "deploymentConfig" not in resource(plan, "fraud-endpoint").inputs
    assert ("aws:cloudwatch/metricAlarm:MetricAlarm", "fraud-main-latency") in children(
        plan, "fraud"
    )
    assert ("aws:kms/key:Key", "fraud-key") not in children(plan, "fraud")


def test_autoscaling_tracks_invocations_per_instance(program):
    scaled = {
        "variants": [
            {
                **VARIANT,
                "initial_instance_count": 2,
                "autoscaling": {
                    "min_instances": 2,
                    "max_instances": 8,
                    "target_invocations_per_instance": 300,
                    "accept_capacity_drop_during_rollout": True,
                },
            }
        ]
    }
    plan = program(code(scaled))
    endpoint_name = resource(plan, "fraud-endpoint").inputs["name"]
    target = resource(plan, "fraud-main-scaling-target")
    assert target.inputs["resourceId"] == f"endpoint/{endpoint_name}/variant/main"
    assert target.inputs["scalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 8)
    assert resource(plan, "fraud-endpoint").urn in target.dependencies
    policy = resource(plan, "fraud-main-scaling-policy").inputs
    assert policy["policyType"] == "TargetTrackingScaling"
    tracking = policy["targetTrackingScalingPolicyConfiguration"]
    assert tracking["predefinedMetricSpecification"] == {
        "predefinedMetricType": "SageMakerVariantInvocationsPerInstance"
    }
    assert (tracking["targetValue"], tracking["scaleInCooldown"], tracking["scaleOutCooldown"]) == (
        300,
        300,
        60,
    )


def test_vpc_placement(program):
    vpc = {
        "variants": [VARIANT],
        "vpc_subnet_ids": ["subnet-a", "subnet-b"],
        "vpc_security_group_ids": ["sg-1"],
    }
    plan = program(code(vpc))
    assert resource(plan, "fraud-main-model").inputs["vpcConfig"] == {
        "subnets": ["subnet-a", "subnet-b"],
        "securityGroupIds": ["sg-1"],
    }
    assert (
        "ec2:CreateNetworkInterface"
        in statement(document(plan, "fraud-role-policy"), "AttachToVpc")["Action"]
    )


def test_execution_role_is_least_privilege(program):
    plan = program(code())
    assume = json.loads(resource(plan, "fraud-role").inputs["assumeRolePolicy"])
    assert assume["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"}
    }
    policy = document(plan, "fraud-role-policy")
    assert statement(policy, "ReadModelData") == {
        "Sid": "ReadModelData",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": ["arn:aws:s3:::acme-models/fraud/v41/model.tar.gz"],
    }
    assert statement(policy, "DecryptModelData") == {
        "Sid": "DecryptModelData",
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": ["arn:aws:kms:us-east-1:123456789012:key/models"],
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    }
    assert statement(policy, "PullModelImages")["Resource"] == [
        "arn:aws:ecr:us-east-1:123456789012:repository/fraud"
    ]
    capture = endpoint_config(plan)["dataCaptureConfig"]
    bucket = capture["destinationS3Uri"].removeprefix("s3://").split("/")[0]
    assert statement(policy, "WriteCapturedData")["Resource"].startswith(
        f"arn:aws:s3:::{bucket}/fraud-"
    )
    assert statement(policy, "EncryptCapturedData")["Resource"] == capture["kmsKeyId"]
    logs = statement(policy, "WriteOwnLogs")["Resource"][0]
    assert logs.startswith(
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/fraud-"
    )
    assert all(s["Action"] != "*" for s in policy["Statement"])
    assert unsettled(judge(plan), "iam-no-admin-policies") == []


def test_existing_role_and_capture_destination_are_used(program):
    given = {
        "variants": [VARIANT],
        "execution_role_arn": "arn:aws:iam::123456789012:role/ml-exec",
        "data_capture": {
            "destination_s3_uri": "s3://acme-capture/fraud/",
            "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
            "sampling_percent": 25,
            "capture_modes": ["Input"],
        },
    }
    plan = program(code(given))
    kinds = [t for t, _ in children(plan, "fraud")]
    assert "aws:iam/role:Role" not in kinds and "mlrails:index:EncryptedBucket" not in kinds
    assert (
        resource(plan, "fraud-main-model").inputs["executionRoleArn"]
        == "arn:aws:iam::123456789012:role/ml-exec"
    )
    capture = endpoint_config(plan)["dataCaptureConfig"]
    assert (
        capture["destinationS3Uri"],
        capture["initialSamplingPercentage"],
        capture["captureOptions"],
    ) == ("s3://acme-capture/fraud/", 25, [{"captureMode": "Input"}])


def test_turning_capture_off_is_explicit_and_reported(program):
    plan = program(code({"variants": [VARIANT], "disable_data_capture_unmonitorable": True}))
    assert "dataCaptureConfig" not in endpoint_config(plan)
    assert [f.message for f in violations(judge(plan), "sagemaker-data-capture")] == [
        "data capture is off: requests and predictions of this endpoint are not recorded, so it cannot be monitored or audited"
    ]


def test_framework_is_resolved_offline_to_the_regions_image(program):
    plan = program(
        code(
            {
                "variants": [
                    {
                        "name": "main",
                        "framework": "xgboost",
                        "framework_version": "1.7-1",
                        "instance_type": "ml.m5.large",
                    }
                ]
            }
        )
    )
    image = resource(plan, "fraud-main-model").inputs["primaryContainer"]["image"]
    assert image == "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def test_model_package_and_model_card_tag(program):
    packaged = {
        "variants": [
            {
                "name": "main",
                "model_package_arn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/3",
                "model_package_image": VARIANT["image"],
                "model_package_model_data_url": VARIANT["model_data_url"],
                "model_data_kms_key_arn": VARIANT["model_data_kms_key_arn"],
                "instance_type": "ml.m5.large",
                "model_card": {"card_name": "fraud-v3"},
            }
        ]
    }
    model = resource(program(code(packaged)), "fraud-main-model").inputs
    assert model["primaryContainer"] == {
        "modelPackageName": "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/3"
    }
    assert model["tags"]["model-card"] == "fraud-v3" and model["tags"]["owner"] == "ml"


def test_metric_helpers_and_grant_invoke(program):
    seen = {}

    def use_the_helpers(endpoint):
        caller = aws.iam.Role("caller", assume_role_policy="{}", tags=TAGS)
        endpoint.grant_invoke(caller)
        seen["latency"] = endpoint.metric_model_latency("main")
        seen["errors"] = endpoint.metric_5xx_errors("main")
        seen["invocations"] = endpoint.metric_invocations("main")

    plan = program(code(then=use_the_helpers))
    latency = seen["latency"]
    assert (latency.metric_name, latency.unit, latency.extended_statistic) == (
        "ModelLatency",
        "Microseconds",
        "p99",
    )
    assert seen["errors"].statistic == "Sum"
    assert seen["invocations"].dimensions["VariantName"] == "main"
    name = resource(plan, "fraud-endpoint").inputs["name"]
    grant = document(plan, "fraud-invoke-caller")
    assert grant["Statement"][0]["Action"] == [
        "sagemaker:InvokeEndpoint",
        "sagemaker:InvokeEndpointAsync",
    ]
    assert (
        grant["Statement"][0]["Resource"]
        == f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{name}"
    )


def test_preview_mode_knows_names_and_wiring(program):
    plan = program(code(), mode="preview")
    endpoint = resource(plan, "fraud-endpoint").inputs
    assert not is_unknown(endpoint["name"])
    alarms = endpoint["deploymentConfig"]["autoRollbackConfiguration"]["alarms"]
    assert len(alarms) == 2 and not any(is_unknown(a["alarmName"]) for a in alarms)
    assert is_unknown(endpoint_config(plan)["kmsKeyArn"])  # the new key's ARN exists after create
    assert not is_unknown(resource(plan, "fraud-main-latency").inputs["dimensions"]["EndpointName"])


@pytest.mark.parametrize(
    "args",
    [
        ONE,
        {
            "variants": [
                {
                    **VARIANT,
                    "volume_size_gb": 30,
                    "container_startup_health_check_timeout_seconds": 600,
                }
            ],
            "shadow_variant": {**VARIANT, "name": "shadow"},
        },
        {
            "variants": [
                {
                    "name": "main",
                    "image": VARIANT["image"],
                    "serverless": {
                        "memory_size_mb": 4096,
                        "max_concurrency": 20,
                        "provisioned_concurrency": 2,
                    },
                }
            ]
        },
    ],
    ids=["one-variant", "volume-startup-and-shadow", "serverless-provisioned"],
)
def test_requests_match_botocore_input_shapes(program, args):
    plan = program(code(args))
    api_requests.validate(
        "sagemaker",
        "CreateEndpointConfig",
        api_requests.create_endpoint_config(endpoint_config(plan)),
    )
    alarms = [r for r in plan.resources if r.type == "aws:cloudwatch/metricAlarm:MetricAlarm"]
    assert alarms
    for record in alarms:
        api_requests.validate(
            "cloudwatch", "PutMetricAlarm", api_requests.put_metric_alarm(record.inputs)
        )


def test_an_input_the_api_has_no_member_for_is_caught(program):
    inputs = endpoint_config(program(code(ONE)))
    inputs["productionVariants"][0]["volumeSizeInGbTypo"] = 30
    with pytest.raises(
        AssertionError, match=r"productionVariants\[\] has \['volumeSizeInGbTypo'\]"
    ):
        api_requests.create_endpoint_config(inputs)


def test_a_request_that_breaks_the_shape_is_caught():
    with pytest.raises(AssertionError, match="Invalid type for parameter ProductionVariants"):
        api_requests.validate(
            "sagemaker",
            "CreateEndpointConfig",
            {"EndpointConfigName": "x", "ProductionVariants": "main"},
        )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            {"variants": []},
            "`variants` is '0 variants': an endpoint has 1 to 10 production variants",
        ),
        ({"variants": [VARIANT] * 11}, "an endpoint has 1 to 10 production variants"),
        (
            {"variants": [VARIANT, VARIANT]},
            "`variants` is ['main']: variant names must be unique",
        ),
        (
            {"variants": [{**VARIANT, "name": "bad_name"}]},
            "`variants[0].name` is 'bad_name': not a valid SageMaker name",
        ),
        (
            {"variants": [{**VARIANT, "initial_variant_weight": 0.0}]},
            "no variant would receive traffic",
        ),
        ({"variants": [{**VARIANT, "initial_variant_weight": -1.0}]}, "weights are not negative"),
        (
            {"variants": [{**VARIANT, "framework": "xgboost", "framework_version": "1.7-1"}]},
            "a variant runs exactly one model",
        ),
        (
            {
                "variants": [
                    {"name": "main", "framework": "xgboost", "instance_type": "ml.m5.large"}
                ]
            },
            "a framework image needs its version",
        ),
        (
            {"variants": [{**VARIANT, "instance_type": "ml.m5.gigantic"}]},
            "`variants[0].instance_type` is 'ml.m5.gigantic': not a SageMaker hosting instance type",
        ),
        (
            {"variants": [{**VARIANT, "model_data_url": "https://models/x"}]},
            "model data lives in S3",
        ),
        (
            {
                "variants": [
                    VARIANT,
                    {
                        "name": "b",
                        "image": VARIANT["image"],
                        "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
                    },
                ]
            },
            "an endpoint's variants are all serverless or all on instances",
        ),
        (
            {
                "variants": [
                    {
                        "name": "m",
                        "image": VARIANT["image"],
                        "serverless": {"memory_size_mb": 1500, "max_concurrency": 500},
                    }
                ]
            },
            "serverless memory comes in 1 GB steps",
        ),
        (
            {
                "variants": [
                    {
                        "name": "m",
                        "image": VARIANT["image"],
                        "serverless": {"memory_size_mb": 2048, "max_concurrency": 500},
                    }
                ]
            },
            "`variants[0].serverless.max_concurrency` is 500",
        ),
        (
            {
                "variants": [
                    {
                        "name": "m",
                        "image": VARIANT["image"],
                        "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
                    }
                ],
                "deployment": {"strategy": "canary"},
            },
            "SageMaker has no deployment guardrails for serverless endpoints",
        ),
        (
            {
                "variants": [
                    {
                        **VARIANT,
                        "instance_type": "ml.t2.medium",
                        "autoscaling": {
                            "min_instances": 1,
                            "max_instances": 3,
                            "target_invocations_per_instance": 100,
                        },
                    }
                ]
            },
            "burstable ml.t* instances cannot be autoscaled",
        ),
        (
            {
                "variants": [
                    {
                        **VARIANT,
                        "autoscaling": {
                            "min_instances": 4,
                            "max_instances": 2,
                            "target_invocations_per_instance": 100,
                        },
                    }
                ]
            },
            "autoscaling needs 1 <= min_instances <= max_instances",
        ),
        (
            {"variants": [VARIANT], "deployment": {"strategy": "canary", "canary_percent": 60}},
            "a canary is at most 50% of the fleet",
        ),
        (
            {"variants": [{**VARIANT, "initial_instance_count": 1}]},
            "on a fleet of 1 instance(s) the canary would take 1 of them, more than half",
        ),
        (
            {"variants": [VARIANT], "deployment": {"strategy": "canary", "canary_instances": 2}},
            "a canary is at most half of the fleet (2 instances)",
        ),
        (
            {"variants": [VARIANT], "deployment": {"strategy": "linear", "linear_step_percent": 5}},
            "linear steps are 10% to 50% of the fleet",
        ),
        (
            {
                "variants": [VARIANT],
                "deployment": {"strategy": "rolling", "rolling_batch_percent": 60},
            },
            "rolling batches are 5% to 50% of the fleet",
        ),
        (
            {"variants": [VARIANT], "deployment": {"strategy": "canary", "bake_minutes": 90}},
            "`deployment.bake_minutes` is 90: SageMaker allows 0 to 3600 seconds",
        ),
        (
            {
                "variants": [VARIANT],
                "deployment": {"strategy": "canary", "maximum_execution_timeout_minutes": 5},
            },
            "SageMaker allows 600 to 28800 seconds",
        ),
        (
            {
                "variants": [VARIANT],
                "deployment": {"strategy": "canary", "termination_wait_minutes": 61},
            },
            "`deployment.termination_wait_minutes` is 61",
        ),
        (
            {"variants": [VARIANT], "deployment": {"strategy": "blue"}},
            "`deployment.strategy` is 'blue': unknown strategy",
        ),
        (
            {"variants": [VARIANT], "deployment": {"strategy": "canary", "bake_minutes": 2}},
            "the alarms need 180s of data but the deployment bakes 120s",
        ),
        (
            {"variants": [VARIANT], "rollback_alarms": {"period_seconds": 30}},
            "SageMaker endpoint metrics are per minute",
        ),
        (
            {
                "variants": [
                    {
                        "name": "m",
                        "image": VARIANT["image"],
                        "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
                    }
                ],
                "rollback_alarms": {"evaluation_periods": 1, "datapoints_to_alarm": 2},
            },
            "`rollback_alarms.datapoints_to_alarm` is 2: at most evaluation_periods (1)",
        ),
        (
            {
                "variants": [
                    {
                        "name": "m",
                        "image": VARIANT["image"],
                        "serverless": {"memory_size_mb": 2048, "max_concurrency": 5},
                    }
                ],
                "rollback_alarms": {"latency_p99_ms": -5.0},
            },
            "`rollback_alarms.latency_p99_ms` is -5.0: a threshold is positive",
        ),
        (
            {
                "variants": [VARIANT, {**VARIANT, "name": "b"}],
                "shadow_variant": {**VARIANT, "name": "s"},
            },
            "a shadow variant shadows exactly one production variant",
        ),
        (
            {"variants": [VARIANT], "data_capture": {"sampling_percent": 0}},
            "`data_capture.sampling_percent` is 0",
        ),
        (
            {"variants": [VARIANT], "data_capture": {"capture_modes": ["Everything"]}},
            "capture Input, Output or both",
        ),
        (
            {"variants": [VARIANT], "data_capture": {"destination_s3_uri": "s3://x/y"}},
            "captured data must be encrypted with a customer key",
        ),
        (
            {"variants": [VARIANT], "vpc_subnet_ids": ["subnet-a"]},
            "a VPC placement needs both subnets and security groups",
        ),
        ({"variants": [VARIANT], "endpoint_name": "x" * 70}, "SageMaker names are at most 63"),
        ({"variants": [VARIANT], "execution_role_arn": "ml-exec"}, "not an IAM role ARN"),
        (
            {"variants": [{**VARIANT, "initial_instance_count": "2"}]},
            "`variants.0.initial_instance_count` is '2': input should be a valid integer",
        ),
    ],
    ids=[
        "no-variants",
        "eleven-variants",
        "duplicate-variant-names",
        "variant-name-with-underscore",
        "all-weights-zero",
        "negative-weight",
        "image-and-framework",
        "framework-without-version",
        "unknown-instance-type",
        "model-data-not-in-s3",
        "serverless-and-instances-mixed",
        "serverless-memory-not-in-gb",
        "serverless-concurrency-500",
        "guardrails-on-serverless",
        "autoscaling-burstable",
        "autoscaling-min-above-max",
        "canary-percent-60",
        "canary-on-one-instance",
        "canary-instances-half",
        "linear-step-5",
        "rolling-batch-60",
        "bake-90-minutes",
        "execution-timeout-5-minutes",
        "termination-wait-61-minutes",
        "unknown-strategy",
        "bake-shorter-than-the-alarms",
        "alarm-period-30-seconds",
        "datapoints-above-periods",
        "negative-latency-threshold",
        "shadow-of-two-variants",
        "capture-sampling-zero",
        "unknown-capture-mode",
        "capture-without-key",
        "subnets-without-security-groups",
        "endpoint-name-too-long",
        "role-not-an-arn",
        "instance-count-as-a-string",
    ],
)
def test_each_validation_error(program, args, fragment):
    with pytest.raises(UserError) as err:
        program(code(args))
    assert "ModelEndpoint 'fraud'" in str(err.value)
    assert fragment in str(err.value)


def test_unknown_framework_version_is_reported(program):
    with pytest.raises(UserError, match=r"the SageMaker SDK has no image for it in us-east-1"):
        program(
            code(
                {
                    "variants": [
                        {
                            "name": "main",
                            "framework": "xgboost",
                            "framework_version": "0.0-9",
                            "instance_type": "ml.m5.large",
                        }
                    ]
                }
            )
        )


def test_several_problems_are_reported_together(program):
    with pytest.raises(UserError, match=r"3 problem\(s\)"):
        program(
            code(
                {
                    "variants": [{**VARIANT, "instance_type": "ml.nope", "volume_size_gb": 9999}],
                    "deployment": {"strategy": "blue"},
                }
            )
        )
