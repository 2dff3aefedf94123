"""KMS-encrypted data stores: EncryptionKey and EncryptedBucket."""

from mlrails_components.storage.bucket_args import EncryptedBucketArgs
from mlrails_components.storage.encrypted_bucket import EncryptedBucket
from mlrails_components.storage.encryption_key import EncryptionKey, EncryptionKeyArgs

__all__ = ["EncryptedBucket", "EncryptedBucketArgs", "EncryptionKey", "EncryptionKeyArgs"]
