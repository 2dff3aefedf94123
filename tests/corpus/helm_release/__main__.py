import pulumi
import pulumi_kubernetes as k8s

ns = k8s.core.v1.Namespace("monitoring")
release = k8s.helm.v3.Release(
    "prometheus",
    chart="kube-prometheus-stack",
    version="65.1.0",
    namespace=ns.metadata.name,
    repository_opts={"repo": "https://prometheus-community.github.io/helm-charts"},
    values={"grafana": {"enabled": False}},
)
pulumi.export("status", release.status.status)
pulumi.export("revision", release.status.revision)
k8s.core.v1.ConfigMap("release", data={"status": release.status.status})
