import pulumi
import pulumi_aws as aws

repo = aws.ecr.Repository(
    "app",
    image_tag_mutability="IMMUTABLE",
    tags={"owner": "ml", "cost-center": "42", "data-classification": "internal"},
)
image = repo.repository_url.apply(lambda url: f"{url}:1.0.0")
pulumi.export("repository_url", repo.repository_url)
pulumi.export("image", image)
aws.ssm.Parameter("image", type="String", value="-", description=image)
