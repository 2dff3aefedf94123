import pathlib

import pulumi
import pulumi_kubernetes as k8s

here = pathlib.Path(__file__).parent
data = {p.name: p.read_text() for p in sorted((here / "files").glob("*.conf"))}
cm = k8s.core.v1.ConfigMap("app-config", data=data)
pulumi.export("name", cm.metadata.name)
