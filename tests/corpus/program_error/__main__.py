import pulumi

config = pulumi.Config()
replicas = int(config.get("replicas") or "two")
