import pulumi
import pulumi_aws as aws


class Cluster(pulumi.ComponentResource):
    """Stands in for a multi-language component (awsx, eks): its plugin builds its children."""

    def __init__(self, name, props, opts=None):
        super().__init__("eks:index:Cluster", name, props, opts, remote=True)


Cluster("ml", {"instanceType": "t3.medium"})
aws.sqs.Queue("jobs", tags={"owner": "ml", "cost-center": "42", "data-classification": "internal"})
