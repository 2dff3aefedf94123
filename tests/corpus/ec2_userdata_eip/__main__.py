import pulumi
import pulumi_aws as aws

server = aws.ec2.Instance(
    "web",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    user_data="#!/bin/bash\necho hello > index.html\n",
)
eip = aws.ec2.Eip("web", instance=server.id, domain="vpc")
pulumi.export("ip", eip.public_ip)
pulumi.export("private_ip", server.private_ip)
pulumi.export("dns", server.public_dns)
aws.ssm.Parameter("ip", type="String", value="-", description=eip.public_ip)
