"""The control frameworks the rules evidence, with the titles compliance reports print.

A rule lists the controls it produces evidence for; these tables name them. The mapping is
the pack's reading of each framework: it tells a reviewer where a rule's result belongs, it
does not claim that passing one rule satisfies a control.
"""

from __future__ import annotations

FRAMEWORKS: dict[str, dict[str, str]] = {
    "EU AI Act": {
        "Art. 12": "Record-keeping: automatic logging of events over the system's lifetime",
        "Art. 14": "Human oversight: people can monitor, interpret and intervene",
        "Art. 15": "Accuracy, robustness and cybersecurity",
    },
    "NIST AI RMF": {
        "GOVERN 1.4": "Risk management is established through transparent policies and controls",
        "GOVERN 6.1": "Policies address risks of third-party software and data",
        "MAP 4.1": "Approaches for mapping legal and technology risks of components are in place",
        "MEASURE 2.4": "The AI system's functionality and behaviour are monitored in production",
        "MEASURE 2.7": "AI system security and resilience are evaluated and documented",
        "MANAGE 2.2": "Mechanisms are in place and applied to sustain the value of deployed AI systems",
        "MANAGE 2.4": "Mechanisms exist to supersede, disengage or deactivate AI systems",
        "MANAGE 4.1": "Post-deployment monitoring plans are implemented",
    },
    "ISO/IEC 42001": {
        "A.4.2": "Resource documentation",
        "A.6.2.5": "AI system deployment",
        "A.6.2.6": "AI system operation and monitoring",
        "A.6.2.7": "AI system technical documentation",
        "A.6.2.8": "AI system recording of event logs",
        "A.7.2": "Data for development and enhancement of AI system",
        "A.10.3": "Suppliers",
    },
    "HIPAA": {
        "164.312(a)(1)": "Access control",
        "164.312(a)(2)(iv)": "Encryption and decryption",
        "164.312(b)": "Audit controls",
        "164.312(c)(1)": "Integrity",
        "164.312(e)(1)": "Transmission security",
    },
    "SOC 2": {
        "CC6.1": "Logical access security, including encryption of data",
        "CC6.3": "Access is granted by least privilege and removed when no longer needed",
        "CC6.6": "Boundary protection against threats from outside",
        "CC6.7": "Transmission of data is restricted and protected",
        "CC7.1": "Configuration changes and vulnerabilities are detected",
        "CC7.2": "System components are monitored for anomalies",
        "CC8.1": "Changes are authorized, tested and approved before deployment",
        "CC9.1": "Risk mitigation for business disruption",
    },
    "AWS FSBP": {
        "IAM.1": "IAM policies should not allow full '*' administrative privileges",
        "KMS.4": "AWS KMS key rotation should be enabled",
        "S3.5": "S3 general purpose buckets should require requests to use SSL",
        "S3.8": "S3 general purpose buckets should block public access",
        "S3.14": "S3 general purpose buckets should have versioning enabled",
        "S3.17": "S3 general purpose buckets should be encrypted at rest with AWS KMS keys",
        "SNS.1": "SNS topics should be encrypted at-rest using AWS KMS",
        "SageMaker.4": "SageMaker endpoint production variants should have an initial instance count greater than 1",
        "SageMaker.5": "SageMaker models should have network isolation enabled",
        "SageMaker.9": "SageMaker data quality job definitions should have inter-container traffic encryption enabled",
        "SageMaker.10": "SageMaker model explainability job definitions should have inter-container traffic encryption enabled",
        "SageMaker.13": "SageMaker model quality job definitions should have inter-container traffic encryption enabled",
        "SageMaker.15": "SageMaker model bias job definitions should have inter-container traffic encryption enabled",
    },
}
