"""The resource types the access analysis reads: roles and their policies, keys, buckets, topics."""

from __future__ import annotations

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
KEY_TYPES = ("aws:kms/key:Key", "aws-native:kms:Key")
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
ALIAS = "aws:kms/alias:Alias"
BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws-native:s3:Bucket")
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"

# Every policy-bearing type the analysis reads: an audit that could not list one of them
# cannot evaluate the access rules.
READS = (
    ROLE,
    ROLE_POLICY,
    MANAGED_POLICY,
    ROLE_POLICY_ATTACHMENT,
    POLICY_ATTACHMENT,
    *KEY_TYPES,
    KEY_POLICY,
    ALIAS,
    *BUCKET_TYPES,
    BUCKET_POLICY,
    *BUCKET_ENCRYPTION,
    TOPIC,
    TOPIC_POLICY,
)
