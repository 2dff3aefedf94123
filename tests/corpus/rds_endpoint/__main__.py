import pulumi
import pulumi_aws as aws

db = aws.rds.Instance(
    "db",
    engine="postgres",
    instance_class="db.t4g.micro",
    allocated_storage=20,
    username="app",
    manage_master_user_password=True,
    storage_encrypted=True,
    skip_final_snapshot=True,
)
pulumi.export("endpoint", db.endpoint)
pulumi.export("address", db.address)
pulumi.export("port", db.port)
aws.ssm.Parameter("address", type="String", value="-", description=db.address)
