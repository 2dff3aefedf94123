"""The program's own component library, named as many teams name theirs."""

import pulumi

from mlrails_components.storage import EncryptedBucket
from policies import TEAM_TAGS


class TeamStore(pulumi.ComponentResource):
    """A team's store: mlrails's encrypted bucket under the team's own component type."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("acme:storage:TeamStore", name, None, opts)
        self.bucket = EncryptedBucket(
            f"{name}-data",
            {"purpose": "artifacts", "tags": TEAM_TAGS},
            pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"bucket": self.bucket.bucket_name})
