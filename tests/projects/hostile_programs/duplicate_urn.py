"""Declares the same resource twice, which Pulumi refuses."""

import pulumi_aws as aws

aws.kms.Key("key")
aws.kms.Key("key")
