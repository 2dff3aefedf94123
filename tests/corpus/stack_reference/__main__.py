import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("acme/network/prod")
vpc_id = network.require_output("vpcId")
aws.ec2.SecurityGroup("app", vpc_id=vpc_id, description="app")
pulumi.export("vpc", vpc_id)
