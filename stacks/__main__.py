"""The reference ML platform, built entirely from the stack's `ml-platform:` configuration.

Stores (artifacts, capture, monitoring) encrypted with customer keys, an encrypted alert topic,
and for each model: its registry version, model card, endpoint with canary rollout and rollback
alarms, monitors, alarms and dashboard. See README.md in this directory for the keys.
"""

from mlrails_components.config import load_stack_config

from ml_platform.config import PlatformConfig
from ml_platform.platform import build_platform

build_platform(load_stack_config(PlatformConfig, namespace="ml-platform"))
