import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])
ami = aws.ec2.get_ami(
    most_recent=True,
    owners=["amazon"],
    filters=[{"name": "name", "values": ["al2023-ami-*-x86_64"]}],
)
group = aws.ec2.SecurityGroup("web", vpc_id=vpc.id, description="web")
server = aws.ec2.Instance(
    "web",
    ami=ami.id,
    instance_type="t3.micro",
    subnet_id=subnets.ids[0],
    vpc_security_group_ids=[group.id],
    tags={"Name": "web"},
)
pulumi.export("public_ip", server.public_ip)
pulumi.export("public_dns", server.public_dns)
