"""monitoring-role-can-run: each monitoring job's role can read its inputs and write its output.

A monitoring schedule runs a processing job with the job definition's role (DG
sagemaker-roles.md, "CreateProcessingJob API: Execution Role Permissions"): it lists and reads
its S3 inputs (s3:ListBucket, s3:GetObject, kms:Decrypt where SSE-KMS), writes its reports
(s3:PutObject, kms:GenerateDataKey on the output key), and needs kms:CreateGrant on the
volume key "if you specify a volume KMS key". Inputs are the baselines and analysis
configuration, the endpoint's captured data and the ground truth. The job definition is
accepted by `pulumi up` either way; every scheduled run fails.
"""

from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.access import needs as access
from mlrails_policies.access import open_source_monitor
from mlrails_policies.access.objects import object_reads, object_writes
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.resource_types import READS
from mlrails_policies.access.sagemaker import ENDPOINT_CONFIGURATION, ENDPOINTS, configuration_of
from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated
from mlrails_policies.framework.wire import get, to_plain
from mlrails_policies.sagemaker.monitoring import JOB_DEFINITIONS


def _leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for inner in value:
            yield from _leaves(inner, path)
    else:
        yield path, value


def _job_parts(props: Any) -> dict[str, list]:
    """The job's S3 inputs, outputs, endpoint and keys, found by where they sit: every kind of
    job definition (and both providers) names them alike (botocore `MonitoringInput`,
    `MonitoringGroundTruthS3Input`, `MonitoringOutputConfig`, `MonitoringClusterConfig`)."""
    parts: dict[str, list] = {
        k: [] for k in ("baseline", "truth", "output", "output_key", "volume_key", "endpoint")
    }
    for path, value in _leaves(to_plain(props)):
        where, last = "/".join(path), path[-1] if path else ""
        if last in ("s3Uri", "configUri") and ("BaselineConfig" in where or last == "configUri"):
            parts["baseline"].append(value)
        elif last == "s3Uri" and "groundTruthS3Input" in where:
            parts["truth"].append(value)
        elif last == "s3Uri" and "monitoringOutputs" in where:
            parts["output"].append(value)
        elif last == "kmsKeyId" and "OutputConfig" in where:
            parts["output_key"].append(value)
        elif last == "volumeKmsKeyId":
            parts["volume_key"].append(value)
        elif last == "endpointName" and "endpointInput" in where:
            parts["endpoint"].append(value)
    return parts


def _endpoint(plan: AccessPlan, job, name: Any):
    for prop in [
        p for p in job.property_dependencies if p.endswith("JobInput") or p == "endpointName"
    ]:
        linked = plan.targets(job, prop, ENDPOINTS)
        if len(linked) == 1:
            return linked[0]
    found = plan.by_name(ENDPOINTS, name) if isinstance(name, str) else []
    return found[0] if len(found) == 1 else None


def needs(plan: AccessPlan):
    """Every access the work of this rule's resources needs, and what can't be decided."""
    for job in plan.index.of_type(*JOB_DEFINITIONS):
        role = plan.role(job, "roleArn", get(job.props, "roleArn"))
        if role is None:
            yield NotEvaluated(job.urn, "its role is not declared in this program")
            continue
        requester = access.role_requester(plan, job, role)
        parts = _job_parts(job.props)
        for uri in parts["baseline"]:
            yield from object_reads(
                plan, requester.doing(f"read its baseline {uri}"), uri, prefix=False
            )
        for uri in parts["truth"]:
            yield from object_reads(
                plan, requester.doing(f"read ground truth under {uri}"), uri, prefix=True
            )
        for name in dict.fromkeys(parts["endpoint"]):
            endpoint = _endpoint(plan, job, name)
            configuration = configuration_of(plan, endpoint) if endpoint is not None else None
            if configuration is None:
                yield NotEvaluated(
                    job.urn, f"the endpoint {name}'s data capture is not declared in this program"
                )
                continue
            capture = get(configuration.props, "dataCaptureConfig")
            if not isinstance(capture, dict):
                yield NotEvaluated(
                    job.urn, f"the endpoint {name}'s data capture can't be known during preview"
                )
                continue
            uri = capture.get("destinationS3Uri")
            reference = capture.get("kmsKeyId")
            key = (
                None
                if reference in (None, "")
                else plan.key(reference, configuration, "dataCaptureConfig")
            )
            reading = requester.doing(f"read the captured data under {uri}")
            yield from object_reads(plan, reading, uri, prefix=True, key=key)
        key_reference = parts["output_key"][0] if parts["output_key"] else None
        for uri in parts["output"]:
            writing = requester.doing(f"write its report to {uri}")
            yield from object_writes(plan, writing, uri, key_reference, holder=job, key_prop="")
        for reference in parts["volume_key"]:
            context = {
                **access.base_context(plan),
                "kms:grantisforawsresource": ("true",),
                "kms:viaservice": (plan.env.via("sagemaker"),),
                "kms:calleraccount": (plan.env.account,),
            }
            encrypting = requester.doing("encrypt the processing volume")
            need = access.key_need(
                plan, encrypting, "kms:CreateGrant", plan.key(reference), context
            )
            if need:
                yield need
    yield from open_source_monitor.job_needs(plan)


check = access.rule_check(needs)


RULE = Rule(
    id="monitoring-role-can-run",
    description="Each monitoring job's role may read its baselines, capture and ground truth, "
    "write its output, use its volume and output keys.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Grant the job's role s3:ListBucket/s3:GetObject and kms:Decrypt on its inputs, "
    "s3:PutObject and kms:GenerateDataKey on its output, kms:CreateGrant on the volume key; "
    "ModelMonitor does this for the buckets and keys it is given.",
    controls=Controls(
        eu_ai_act=("Art. 12", "Art. 14"),
        nist_ai_rmf=("MEASURE 2.4", "MANAGE 4.1"),
        iso_42001=("A.6.2.6",),
        soc2=("CC7.2",),
    ),
    judges=(*JOB_DEFINITIONS, open_source_monitor.FUNCTION, open_source_monitor.SCHEDULE),
    reads=(*READS, *ENDPOINTS, ENDPOINT_CONFIGURATION),
    check=check,
    stack=True,
)
