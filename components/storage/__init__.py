"""KMS-encrypted data stores: EncryptionKey and EncryptedBucket."""

from components.storage.encrypted_bucket import EncryptedBucket, EncryptedBucketArgs
from components.storage.encryption_key import EncryptionKey, EncryptionKeyArgs

__all__ = ["EncryptedBucket", "EncryptedBucketArgs", "EncryptionKey", "EncryptionKeyArgs"]
