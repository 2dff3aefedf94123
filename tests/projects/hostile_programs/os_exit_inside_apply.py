"""Ends the process at once from an apply callback."""

import os

import pulumi
import pulumi_aws as aws

aws.kms.Key("key")
pulumi.Output.from_input(1).apply(lambda _: os._exit(0))
