import pulumi
import pulumi_aws as aws

site = aws.s3.BucketV2("site")
oac = aws.cloudfront.OriginAccessControl(
    "site",
    origin_access_control_origin_type="s3",
    signing_behavior="always",
    signing_protocol="sigv4",
)
cdn = aws.cloudfront.Distribution(
    "site",
    enabled=True,
    default_root_object="index.html",
    origins=[
        {
            "domain_name": site.bucket_regional_domain_name,
            "origin_id": "s3",
            "origin_access_control_id": oac.id,
        }
    ],
    default_cache_behavior={
        "target_origin_id": "s3",
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "forwarded_values": {"query_string": False, "cookies": {"forward": "none"}},
    },
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)
pulumi.export("url", pulumi.Output.concat("https://", cdn.domain_name))
