import pulumi
import pulumi_aws as aws

config = pulumi.Config()
settings = config.require_object("settings")
token = config.require_secret("token")
aws.cloudwatch.LogGroup(
    "app", retention_in_days=settings["retention"], tags={"teams": ",".join(settings["teams"])}
)
aws.ssm.Parameter("token", type="SecureString", value=token)
