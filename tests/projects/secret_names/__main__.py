"""Secret values where rules and the engine print values: names, images, instance types."""

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

pulumi.Config().require_secret("apiKey")
marker = "TOPSECRET"
policy = aws.iam.Policy(
    "secret-policy",
    name=pulumi.Output.secret(f"{marker}-policy"),
    policy=json.dumps({"Version": "2012-10-17", "Statement": []}),
)
role = aws.iam.Role(
    "role",
    assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}),
)
aws.iam.RolePolicyAttachment("attach", role=role.name, policy_arn=policy.arn)
aws.sagemaker.Model(
    "model",
    execution_role_arn=role.arn,
    primary_container={"image": pulumi.Output.secret(f"registry.example.com/{marker}/m:1")},
)
aws.sagemaker.EndpointConfiguration(
    "config",
    production_variants=[
        {
            "variant_name": "main",
            "model_name": "model",
            "instance_type": pulumi.Output.secret(f"ml.{marker.lower()}.xlarge"),
            "initial_instance_count": 1,
        }
    ],
)
namespace = k8s.core.v1.Namespace(
    "ns", metadata={"name": pulumi.Output.secret(f"{marker.lower()}-ns")}
)
k8s.apps.v1.Deployment(
    "app",
    metadata={"namespace": namespace.id},
    spec={
        "selector": {"match_labels": {"app": "a"}},
        "template": {
            "metadata": {"labels": {"app": "a"}},
            "spec": {
                "containers": [
                    {"name": "a", "image": pulumi.Output.secret(f"{marker.lower()}/app:latest")}
                ]
            },
        },
    },
)
pulumi.export("policyArn", policy.arn)
pulumi.export("namespace", namespace.id)
