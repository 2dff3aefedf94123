import pulumi
import pulumi_kubernetes as k8s

labels = {"app": "web"}
k8s.apps.v1.Deployment(
    "web",
    spec={
        "selector": {"match_labels": labels},
        "replicas": 2,
        "template": {
            "metadata": {"labels": labels},
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.27.0",
                        "resources": {
                            "requests": {"cpu": "100m", "memory": "64Mi"},
                            "limits": {"cpu": "200m", "memory": "128Mi"},
                        },
                        "security_context": {
                            "run_as_non_root": True,
                            "allow_privilege_escalation": False,
                        },
                    }
                ]
            },
        },
    },
)
service = k8s.core.v1.Service(
    "web", spec={"type": "LoadBalancer", "selector": labels, "ports": [{"port": 80}]}
)
ingress = service.status.load_balancer.ingress[0]
pulumi.export("ip", ingress.apply(lambda i: i.ip or i.hostname))
k8s.core.v1.ConfigMap("endpoint", data={"ip": ingress.apply(lambda i: i.ip or i.hostname)})
