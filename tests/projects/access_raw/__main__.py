"""A SageMaker endpoint, a registry package, alarms and an encrypted alert topic in raw resources.

Stack `broken` repeats five mistakes found in review: the model role cannot decrypt its model
data (F1), the package model's role reads nothing of its package (F2), no role may describe the
rollback alarms (F6), the alert key refuses EventBridge (W2), and the registry's grant is
conditioned on a key DescribeModelPackage never carries (W7). Stack `fixed` is the same program
with each mistake corrected.
"""

import json

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as aws_native

fixed = pulumi.Config().require_bool("fixed")
account = aws.get_caller_identity().account_id
region = aws.get_region().region
root = f"arn:aws:iam::{account}:root"
image = f"763104351884.dkr.ecr.{region}.amazonaws.com/pytorch-inference:2.3.0-cpu-py311"
via_s3 = {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}}


def key_policy(*statements):
    delegate = {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": root},
                "Action": "kms:*", "Resource": "*"}  # fmt: skip
    return json.dumps({"Version": "2012-10-17", "Statement": [delegate, *statements]})


def encrypted_bucket(name):
    key = aws.kms.Key(f"{name}-key", enable_key_rotation=True, policy=key_policy())
    bucket = aws.s3.Bucket(name, bucket=f"acme-{name}")
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.id,
        rules=[{"apply_server_side_encryption_by_default": {
            "sse_algorithm": "aws:kms", "kms_master_key_id": key.arn}}],
    )  # fmt: skip
    return bucket, key


artifacts, _ = encrypted_bucket("artifacts")
capture, capture_key = encrypted_bucket("capture")

trust = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
    "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]})  # fmt: skip


def model_role(name, statements):
    role = aws.iam.Role(name, name=f"acme-{name}", assume_role_policy=trust)
    aws.iam.RolePolicy(
        f"{name}-policy",
        role=role.id,
        policy=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )
    return role


pull = [
    {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    {"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
     "Resource": f"arn:aws:ecr:{region}:763104351884:repository/pytorch-inference"},
]  # fmt: skip
read_models = {"Effect": "Allow", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::acme-artifacts/models/*"}  # fmt: skip
decrypt = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": via_s3}
write_capture = [
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-capture/*"},
    {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": via_s3},
]
describe_alarms = {"Effect": "Allow", "Action": "cloudwatch:DescribeAlarms",
                   "Resource": f"arn:aws:cloudwatch:{region}:{account}:alarm:acme-*"}  # fmt: skip

direct_role = model_role(
    "direct-role",
    [*pull, read_models, *write_capture, *([decrypt, describe_alarms] if fixed else [])],
)
direct = aws.sagemaker.Model(
    "direct",
    name="acme-direct",
    execution_role_arn=direct_role.arn,
    primary_container={
        "image": image,
        "model_data_url": "s3://acme-artifacts/models/direct/model.tar.gz",
    },
)

group = aws.sagemaker.ModelPackageGroup("group", model_package_group_name="acme-models")
approved = {"StringEquals": {"sagemaker:ModelApprovalStatus": "Approved"}}
aws.sagemaker.ModelPackageGroupPolicy(
    "group-policy",
    model_package_group_name=group.model_package_group_name,
    resource_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "ConsumersRead", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
        "Action": ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
        "Resource": f"arn:aws:sagemaker:{region}:{account}:model-package/acme-models/*",
        **({} if fixed else {"Condition": approved})}]}),
)  # fmt: skip
package = aws_native.sagemaker.ModelPackage(
    "package",
    model_package_group_name=group.model_package_group_name,
    model_approval_status="Approved",
    inference_specification={
        "containers": [
            {"image": image, "model_data_url": "s3://acme-artifacts/packages/v3/model.tar.gz"}
        ],
        "supported_content_types": ["text/csv"],
        "supported_response_mime_types": ["text/csv"],
    },
)
packaged_role = model_role(
    "packaged-role",
    [*write_capture, *([*pull, read_models | {"Resource": "arn:aws:s3:::acme-artifacts/*"},
                        decrypt] if fixed else [])],
)  # fmt: skip
packaged = aws.sagemaker.Model(
    "packaged",
    name="acme-packaged",
    execution_role_arn=packaged_role.arn,
    primary_container={"model_package_name": package.model_package_arn},
)

alert_key = aws.kms.Key(
    "alerts-key",
    enable_key_rotation=True,
    policy=key_policy(*[
        {"Sid": service, "Effect": "Allow", "Principal": {"Service": f"{service}.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
         **({} if fixed or service == "cloudwatch" else
            {"Condition": {"StringEquals": {"aws:SourceAccount": account}}})}
        for service in ("cloudwatch", "events")
    ]),
)  # fmt: skip
topic = aws.sns.Topic("alerts", name="acme-alerts", kms_master_key_id=alert_key.arn)
aws.sns.TopicPolicy(
    "alerts-policy",
    arn=topic.arn,
    policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]},
        "Action": "sns:Publish", "Resource": f"arn:aws:sns:{region}:{account}:acme-alerts",
        "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]}),
)  # fmt: skip

errors = aws.cloudwatch.MetricAlarm(
    "direct-errors",
    name="acme-direct-errors",
    namespace="AWS/SageMaker",
    metric_name="Invocation5XXErrors",
    dimensions={"EndpointName": "acme", "VariantName": "direct"},
    statistic="Sum",
    period=60,
    evaluation_periods=1,
    threshold=1,
    comparison_operator="GreaterThanThreshold",
    alarm_actions=[topic.arn],
)
config = aws.sagemaker.EndpointConfiguration(
    "config",
    production_variants=[{"variant_name": "direct", "model_name": direct.name,
                          "instance_type": "ml.m5.large", "initial_instance_count": 2}],
    data_capture_config={
        "enable_capture": True, "initial_sampling_percentage": 100,
        "destination_s3_uri": "s3://acme-capture/direct/", "kms_key_id": capture_key.arn,
        "capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}]},
)  # fmt: skip
aws.sagemaker.Endpoint(
    "endpoint",
    name="acme",
    endpoint_config_name=config.name,
    deployment_config={
        "blue_green_update_policy": {"traffic_routing_configuration": {
            "type": "CANARY", "wait_interval_in_seconds": 600,
            "canary_size": {"type": "CAPACITY_PERCENT", "value": 10}}},
        "auto_rollback_configuration": {"alarms": [{"alarm_name": errors.name}]},
    },
)  # fmt: skip
aws.sagemaker.EndpointConfiguration(
    "packaged-config",
    production_variants=[{"variant_name": "packaged", "model_name": packaged.name,
                          "instance_type": "ml.m5.large", "initial_instance_count": 2}],
)  # fmt: skip

state_changes = aws.cloudwatch.EventRule(
    "endpoint-changes",
    event_pattern=json.dumps({"source": ["aws.sagemaker"],
                              "detail-type": ["SageMaker Endpoint State Change"]}),
)  # fmt: skip
aws.cloudwatch.EventTarget("endpoint-changes-alert", rule=state_changes.name, arn=topic.arn)
