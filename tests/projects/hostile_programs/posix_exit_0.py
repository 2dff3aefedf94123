"""Ends the process through posix, the module os takes _exit from."""

import posix

import pulumi_aws as aws

aws.kms.Key("key")
posix._exit(0)
