"""Raises what `except Exception` does not catch."""

import pulumi_aws as aws


class Boom(BaseException):
    pass


aws.kms.Key("key")
raise Boom("stop")
