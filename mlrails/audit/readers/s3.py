"""S3: the audited region's buckets and their settings, as the separate pulumi-aws 7 resources
(`Bucket` plus one resource per setting, linked by the `bucket` input), and the account's
public access block.

Ids: a bucket is its ARN (`arn:aws:s3:::NAME`). Its settings have no ARN of their own, so each
is named by its bucket's ARN and a fragment naming the setting (`arn:aws:s3:::NAME#encryption`,
`#publicAccessBlock`, `#policy`, `#versioning`): unique, never a real ARN, and listed beside its
bucket. The account's block is `arn:aws:s3::ACCOUNT:account#publicAccessBlock` the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mlrails.audit.scan import Listed, Reader, Scan
from mlrails.audit.wire import camel, record
from mlrails.plan import ResourceRecord

SERVICE = "s3"
CONTROL = "s3control"
BUCKET = "aws:s3/bucket:Bucket"
ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"

NO_PUBLIC_ACCESS_BLOCK = "NoSuchPublicAccessBlockConfiguration"
# GetBucketLocation's answer for the two regions it does not name.
_LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}


def _encryption_rule(rule: dict[str, Any]) -> dict[str, Any]:
    # The provider's names, not camel() of the API's (SSEAlgorithm, KMSMasterKeyID).
    out: dict[str, Any] = {}
    default = rule.get("ApplyServerSideEncryptionByDefault")
    if default is not None:
        out["applyServerSideEncryptionByDefault"] = _present(
            {
                "sseAlgorithm": default.get("SSEAlgorithm"),
                "kmsMasterKeyId": default.get("KMSMasterKeyID"),
            }
        )
    if rule.get("BucketKeyEnabled") is not None:
        out["bucketKeyEnabled"] = rule["BucketKeyEnabled"]
    return out


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class Buckets:
    """Every general purpose bucket of the audited region, with its settings."""

    types = (BUCKET, ENCRYPTION, PUBLIC_ACCESS_BLOCK, POLICY, VERSIONING)

    def list(self, scan: Scan) -> Iterable[Listed]:
        buckets = scan.pages(
            SERVICE,
            "ListBuckets",
            "Buckets",
            types=self.types,
            token=("ContinuationToken", "ContinuationToken"),
            MaxBuckets=1000,
            BucketRegion=scan.region,
        )
        for bucket in buckets:
            # AWS names each bucket's region in the listing; an endpoint that does not is asked
            # per bucket (GetBucketLocation) when the bucket is read.
            region = bucket.get("BucketRegion")
            if region in (None, scan.region):
                name = bucket["Name"]
                arn = scan.arn(SERVICE, name, region=False, account=False)
                yield Listed(arn, BUCKET, name, region)

    def read(self, scan: Scan, item: Listed) -> None:
        name, arn = item.name, item.arn
        if item.data is None:
            location = scan.call(SERVICE, "GetBucketLocation", about=arn, Bucket=name)
            constraint = (location or {}).get("LocationConstraint")
            if _LEGACY_LOCATIONS.get(constraint, constraint) != scan.region:
                return
        tags = scan.tags(
            SERVICE, "GetBucketTagging", arn, key="TagSet", absent=("NoSuchTagSet",), Bucket=name
        )
        records = [record(arn, BUCKET, name, {"bucket": name, "tags": tags})]
        records += self._settings(scan, name, arn)
        for resource in records:
            scan.add(resource)

    # Sequence, not list: in the class body `list` is the method above.
    def _settings(self, scan: Scan, name: str, arn: str) -> Sequence[ResourceRecord]:
        """The bucket's setting resources, one per setting it has; none for a setting that is
        not configured, or that could not be read (its fault stands for it)."""
        found: list[ResourceRecord] = []

        def read(type_: str, operation: str, absent: tuple[str, ...] = ()) -> Any:
            """The setting, or None when it is not configured or could not be read; a bucket
            deleted since the listing ends the whole read: it is gone."""
            return scan.partial(
                lambda: scan.call(
                    SERVICE, operation, about=arn, types=(type_,), absent=absent, Bucket=name
                ),
                None,
            )

        encryption = read(
            ENCRYPTION, "GetBucketEncryption", ("ServerSideEncryptionConfigurationNotFoundError",)
        )
        if encryption:
            rules = encryption.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
            inputs: dict[str, Any] = {
                "bucket": name,
                "rules": [_encryption_rule(r) for r in rules],
            }
            found.append(record(f"{arn}#encryption", ENCRYPTION, name, inputs))
        block = read(PUBLIC_ACCESS_BLOCK, "GetPublicAccessBlock", (NO_PUBLIC_ACCESS_BLOCK,))
        if block:
            inputs = {"bucket": name, **camel(block.get("PublicAccessBlockConfiguration", {}))}
            found.append(record(f"{arn}#publicAccessBlock", PUBLIC_ACCESS_BLOCK, name, inputs))
        policy = read(POLICY, "GetBucketPolicy", ("NoSuchBucketPolicy",))
        if policy and policy.get("Policy"):
            inputs = {"bucket": name, "policy": policy["Policy"]}
            found.append(record(f"{arn}#policy", POLICY, name, inputs))
        versioning = read(VERSIONING, "GetBucketVersioning")
        if versioning and versioning.get("Status"):
            configuration = {
                "status": versioning["Status"],
                "mfaDelete": versioning.get("MFADelete"),
            }
            inputs = {"bucket": name, "versioningConfiguration": _present(configuration)}
            found.append(record(f"{arn}#versioning", VERSIONING, name, inputs))
        return found


class AccountPublicAccessBlock:
    """The account-wide public access block (S3 Control), which covers every bucket."""

    types = (ACCOUNT_PUBLIC_ACCESS_BLOCK,)

    def list(self, scan: Scan) -> Iterable[Listed]:
        block = scan.call(
            CONTROL,
            "GetPublicAccessBlock",
            types=self.types,
            absent=(NO_PUBLIC_ACCESS_BLOCK,),
            AccountId=scan.account,
        )
        if block:
            arn = scan.arn(SERVICE, "account", region=False) + "#publicAccessBlock"
            yield Listed(arn, ACCOUNT_PUBLIC_ACCESS_BLOCK, scan.account, block)

    def read(self, scan: Scan, item: Listed) -> None:
        configuration = camel(item.data.get("PublicAccessBlockConfiguration", {}))
        inputs = {"accountId": scan.account, **configuration}
        scan.add(record(item.arn, ACCOUNT_PUBLIC_ACCESS_BLOCK, item.name, inputs))


READERS: list[Reader] = [Buckets(), AccountPublicAccessBlock()]
