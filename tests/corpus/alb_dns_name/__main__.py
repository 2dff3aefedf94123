import pulumi
import pulumi_aws as aws

vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16")
subnets = [
    aws.ec2.Subnet(
        f"public-{i}",
        vpc_id=vpc.id,
        cidr_block=f"10.0.{i}.0/24",
        availability_zone=f"eu-west-1{zone}",
    )
    for i, zone in enumerate("ab")
]
lb = aws.lb.LoadBalancer("web", load_balancer_type="application", subnets=[s.id for s in subnets])
pulumi.export("url", lb.dns_name.apply(lambda host: f"http://{host}"))
pulumi.export("zone", lb.zone_id)
aws.ssm.Parameter("host", type="String", value="-", description=lb.dns_name)
