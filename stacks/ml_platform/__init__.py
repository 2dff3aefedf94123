"""The reference ML platform: its typed configuration and how it is built from it."""
