"""One key without rotation: a mandatory violation of the tiny pack's tiny-key-rotation."""

import pulumi_aws as aws

aws.kms.Key("key")
