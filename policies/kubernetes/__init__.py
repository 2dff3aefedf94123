"""Rules for Kubernetes workloads and KServe InferenceServices."""
