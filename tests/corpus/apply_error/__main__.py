import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("acme/network/prod")
queues = [aws.sqs.Queue(f"q{i}") for i in range(20)]


def endpoint_of(url):
    # A mistake inside an apply: raised while many registrations are in flight.
    return {"a": url}["b"]


for i, queue in enumerate(queues):
    aws.ssm.Parameter(f"p{i}", type="String", value=queue.url.apply(endpoint_of))
