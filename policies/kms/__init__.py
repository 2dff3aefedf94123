"""Rules for kms."""
