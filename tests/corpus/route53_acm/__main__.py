import pulumi
import pulumi_aws as aws

zone = aws.route53.get_zone(name="example.com")
cert = aws.acm.Certificate("site", domain_name="www.example.com", validation_method="DNS")
option = cert.domain_validation_options[0]
record = aws.route53.Record(
    "validation",
    zone_id=zone.zone_id,
    name=option.resource_record_name,
    type=option.resource_record_type,
    records=[option.resource_record_value],
    ttl=60,
)
aws.acm.CertificateValidation(
    "site", certificate_arn=cert.arn, validation_record_fqdns=[record.fqdn]
)
pulumi.export("name_servers", zone.name_servers)
