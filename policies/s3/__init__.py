"""Rules for s3."""
