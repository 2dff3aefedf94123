import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role(
    "cluster",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "eks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
cluster = aws.eks.Cluster(
    "ml", role_arn=role.arn, vpc_config={"subnet_ids": ["subnet-0a", "subnet-0b"]}
)


def kubeconfig(args):
    endpoint, ca, name = args
    return json.dumps(
        {
            "apiVersion": "v1",
            "clusters": [
                {"name": name, "cluster": {"server": endpoint, "certificate-authority-data": ca}}
            ],
        }
    )


config = pulumi.Output.all(cluster.endpoint, cluster.certificate_authority.data, cluster.name)
pulumi.export("kubeconfig", config.apply(kubeconfig))
pulumi.export("oidc_issuer", cluster.identities[0].oidcs[0].issuer)
aws.ssm.Parameter("ca", type="String", value="-", description=cluster.certificate_authority.data)
aws.ssm.Parameter("endpoint", type="String", value="-", description=cluster.endpoint)
