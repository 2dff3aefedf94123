"""Three rules for the engine's tests: a resource rule, a stack rule, a rule reading an unknown."""

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)


def key_rotation(args, report_violation):
    if args.resource_type == "aws:kms/key:Key" and not args.props.get("enableKeyRotation"):
        report_violation("KMS key rotation is off.")


def buckets_encrypted(args, report_violation):
    # Follow the link the way the engine records it: the configuration's `bucket` property
    # depends on the bucket, whether or not the bucket's name is known yet.
    encrypted = {
        dependency.urn
        for r in args.resources
        if r.resource_type.startswith("aws:s3/bucketServerSideEncryptionConfiguration")
        for dependency in r.property_dependencies.get("bucket", [])
    }
    for r in args.resources:
        if r.resource_type == "aws:s3/bucket:Bucket" and r.urn not in encrypted:
            report_violation(f"bucket {r.name} has no encryption configuration", r.urn)


def endpoint_key(args, report_violation):
    if args.resource_type == "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
        allowed = args.get_config()["allowedKeyPrefix"]
        if not str(args.props["kmsKeyArn"]).startswith(allowed):
            report_violation(f"key {args.props['kmsKeyArn']} is not under {allowed}")


key_rotation_policy = ResourceValidationPolicy(
    name="tiny-key-rotation",
    description="KMS keys rotate.",
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    validate=key_rotation,
)
buckets_policy = StackValidationPolicy(
    name="tiny-buckets-encrypted",
    description="Every bucket has an encryption configuration.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=buckets_encrypted,
)
endpoint_policy = ResourceValidationPolicy(
    name="tiny-endpoint-key",
    description="Endpoint configurations use a key under the allowed prefix.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=endpoint_key,
    config_schema=PolicyConfigSchema(
        properties={"allowedKeyPrefix": {"type": "string", "default": "arn:aws:kms:"}}
    ),
)

if __name__ == "__main__":
    PolicyPack(name="tiny", policies=[key_rotation_policy, buckets_policy, endpoint_policy])
