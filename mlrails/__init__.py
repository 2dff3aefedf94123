"""mlrails: safe ML deployment on Pulumi.

The `mlrails` package holds the offline preview engine and the command line; the Pulumi
components live in `components` and the policy pack in `policies`.
"""

__version__ = "0.1.0"
