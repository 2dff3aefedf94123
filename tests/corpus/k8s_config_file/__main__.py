import pulumi_kubernetes as k8s

# Manifests kept as YAML next to the program, applied as they are.
k8s.yaml.ConfigFile("worker", file="manifests.yaml")
