import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role(
    "fn-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "fn-logs",
    role=role,
    policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
)
fn = aws.lambda_.Function(
    "handler",
    role=role.arn,
    runtime="python3.12",
    handler="index.handler",
    code=pulumi.AssetArchive(
        {"index.py": pulumi.StringAsset("def handler(e, c):\n    return e\n")}
    ),
)
aws.lambda_.Permission(
    "invoke", function=fn, action="lambda:InvokeFunction", principal="apigateway.amazonaws.com"
)
pulumi.export("function_arn", fn.arn)
pulumi.export("invoke_arn", fn.invoke_arn)
