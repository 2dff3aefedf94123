"""mlrails components: Pulumi ComponentResources for safe ML serving on AWS and Kubernetes.

One component per module, type tokens `mlrails:index:<Class>`, signature
`(name, args, opts=None)` with `args` a TypedDict the component-provider analyzer accepts.
"""
