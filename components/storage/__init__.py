"""KMS-encrypted data stores: EncryptionKey and EncryptedBucket."""

from components.storage.bucket_args import EncryptedBucketArgs
from components.storage.encrypted_bucket import EncryptedBucket
from components.storage.encryption_key import EncryptionKey, EncryptionKeyArgs

__all__ = ["EncryptedBucket", "EncryptedBucketArgs", "EncryptionKey", "EncryptionKeyArgs"]
