"""KMS: the customer-managed keys of the region, as aws.kms.Key inputs (aws.kms.ExternalKey for
keys with imported key material, which is how a program declares those).

AWS-managed keys (aws/s3, aws/sns, ...) are AWS's to rotate and are left out, as are keys
already scheduled for deletion."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlrails.audit.scan import Listed, Reader, Scan
from mlrails.audit.wire import UNREAD_BOOLEAN, record

SERVICE = "kms"
KEY = "aws:kms/key:Key"
EXTERNAL_KEY = "aws:kms/externalKey:ExternalKey"
MARKERS = ("Marker", "NextMarker")
_DELETING = ("PendingDeletion", "PendingReplicaDeletion")


class Keys:
    types = (KEY, EXTERNAL_KEY)

    def list(self, scan: Scan) -> Iterable[Listed]:
        keys = scan.pages(SERVICE, "ListKeys", "Keys", types=self.types, token=MARKERS, Limit=1000)
        for key in keys:
            yield Listed(key["KeyArn"], KEY, key["KeyId"])

    def read(self, scan: Scan, item: Listed) -> None:
        described = scan.call(SERVICE, "DescribeKey", about=item.arn, KeyId=item.arn) or {}
        key = described.get("KeyMetadata", {})
        if key.get("KeyManager") != "CUSTOMER" or key.get("KeyState") in _DELETING:
            return
        spec = key.get("KeySpec") or key.get("CustomerMasterKeySpec")
        inputs: dict[str, Any] = {
            "description": key.get("Description"),
            "keyUsage": key.get("KeyUsage", "ENCRYPT_DECRYPT"),  # the API's default
            "multiRegion": key.get("MultiRegion"),
            "tags": scan.tags(SERVICE, "ListResourceTags", item.arn, token=MARKERS, KeyId=item.arn),
        }
        if key.get("Origin") == "EXTERNAL":
            # Imported key material never rotates automatically; the rule does not judge it.
            inputs.update(keySpec=spec, enabled=key.get("Enabled"))
            scan.add(record(item.arn, EXTERNAL_KEY, item.name, inputs))
            return
        inputs.update(
            customerMasterKeySpec=spec,
            isEnabled=key.get("Enabled"),
            customKeyStoreId=key.get("CustomKeyStoreId"),
        )
        if spec == "SYMMETRIC_DEFAULT" and inputs["keyUsage"] == "ENCRYPT_DECRYPT":
            inputs.update(rotation(scan, item.arn))
        scan.add(record(item.arn, KEY, item.name, inputs))


def rotation(scan: Scan, arn: str) -> dict[str, Any]:
    """enableKeyRotation (and the period), or unknown if the status could not be read: the
    rotation rule then reports the key as not evaluated, naming the failed call."""
    status = scan.partial(
        lambda: scan.call(SERVICE, "GetKeyRotationStatus", about=arn, KeyId=arn), None
    )
    if status is None:
        return {"enableKeyRotation": UNREAD_BOOLEAN}
    return {
        "enableKeyRotation": status.get("KeyRotationEnabled"),
        "rotationPeriodInDays": status.get("RotationPeriodInDays"),
    }


READERS: list[Reader] = [Keys()]
