import pulumi
import pulumi_aws as aws

api = aws.apigatewayv2.Api("http", protocol_type="HTTP")
stage = aws.apigatewayv2.Stage("default", api_id=api.id, name="$default", auto_deploy=True)
pulumi.export("endpoint", api.api_endpoint)
pulumi.export("execution_arn", api.execution_arn)
pulumi.export("url", stage.invoke_url)
aws.ssm.Parameter("endpoint", type="String", value="-", description=api.api_endpoint)
aws.ssm.Parameter("execution-arn", type="String", value="-", description=api.execution_arn)
