"""The program's own conventions, in a package named as the mlrails pack's folder is."""

TEAM_TAGS = {"owner": "acme-ml", "cost-center": "cc-42", "data-classification": "internal"}
