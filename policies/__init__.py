"""The mlrails ML governance policy pack: one rule per module, catalogue order below.

`RULES` is the catalogue; `policies()` builds the pulumi_policy objects the engine runs.
Importing this package never starts the pack's gRPC server (see `__main__.py`).
"""

from __future__ import annotations

from mlrails_policies.framework.rule import Rule
from mlrails_policies.iam import no_admin_policies, valid_actions_and_conditions
from mlrails_policies.kms import key_rotation
from mlrails_policies.kubernetes import canary_guarded, non_root, pinned_images, resource_limits
from mlrails_policies.s3 import encrypted_kms, public_access_blocked, tls_only, versioning
from mlrails_policies.sagemaker import (
    approved_images,
    data_capture,
    endpoint_alarms,
    endpoint_config_kms,
    endpoint_monitored,
    instance_types,
    min_instances,
    model_card,
    model_network_isolation,
    monitoring_encryption,
    monitoring_role_can_run,
    role_can_describe_rollback_alarms,
    role_can_read_model,
    role_can_write_capture,
    safe_deployment,
)
from mlrails_policies.sns import alert_topic_deliverable, topic_encrypted
from mlrails_policies.tags import required_tags

PACK_NAME = "mlrails"

RULES: tuple[Rule, ...] = tuple(
    module.RULE
    for module in (
        endpoint_config_kms,
        data_capture,
        model_network_isolation,
        approved_images,
        instance_types,
        min_instances,
        safe_deployment,
        endpoint_alarms,
        endpoint_monitored,
        model_card,
        monitoring_encryption,
        encrypted_kms,
        public_access_blocked,
        tls_only,
        versioning,
        key_rotation,
        topic_encrypted,
        no_admin_policies,
        required_tags,
        resource_limits,
        non_root,
        pinned_images,
        canary_guarded,
        role_can_read_model,
        role_can_write_capture,
        role_can_describe_rollback_alarms,
        monitoring_role_can_run,
        alert_topic_deliverable,
        valid_actions_and_conditions,
    )
)


def policies() -> list:
    return [rule.policy() for rule in RULES]
