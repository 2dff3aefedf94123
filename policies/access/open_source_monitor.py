"""What the open-source monitoring job (monitoring_job/, `OpenSourceMonitor`) needs to run.

The job is a Lambda function whose environment names its inputs and outputs (the contract of
`mlrails_monitoring_job.settings`): it runs with the function's execution role ("Lambda
execution role", Lambda developer guide, lambda-intro-execution-role.html), lists and reads
the endpoint's captured data and decrypts it with the capture key, reads its baseline dataset
and ground truth, writes its reports with SSE-KMS under `REPORT_KMS_KEY_ARN`, and publishes
metrics in `METRIC_NAMESPACE` (cloudwatch:PutMetricData, whose requests carry
`cloudwatch:namespace`, Service Authorization Reference for CloudWatch). EventBridge Scheduler
invokes it with the schedule's role, which needs lambda:InvokeFunction on the function
(EventBridge Scheduler user guide, setting-up.html#setting-up-execution-role).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlrails_policies.access import needs as access
from mlrails_policies.access.arns import parse_arn
from mlrails_policies.access.needs import Need
from mlrails_policies.access.objects import object_reads, object_writes
from mlrails_policies.access.plan import AccessPlan
from mlrails_policies.access.sagemaker import ENDPOINTS, configuration_of
from mlrails_policies.framework.verdicts import NotEvaluated
from mlrails_policies.framework.wire import UNKNOWN, get

FUNCTION = "aws:lambda/function:Function"
SCHEDULE = "aws:scheduler/schedule:Schedule"


def _variables(function) -> dict[str, Any] | Any:
    variables = get(function.props, "environment", "variables")
    return variables if isinstance(variables, dict) or variables is UNKNOWN else {}


def is_monitoring_job(function) -> bool:
    variables = _variables(function)
    return (
        isinstance(variables, dict)
        and "MONITOR_NAME" in variables
        and "CAPTURE_S3_URI" in variables
    )


def _capture_key(plan: AccessPlan, function, endpoint_name: Any):
    linked = plan.targets(function, "environment", ENDPOINTS)
    endpoint = (
        linked[0] if len(linked) == 1 else next(iter(plan.by_name(ENDPOINTS, endpoint_name)), None)
    )
    configuration = configuration_of(plan, endpoint) if endpoint is not None else None
    capture = get(configuration.props, "dataCaptureConfig") if configuration is not None else None
    if not isinstance(capture, dict) or capture.get("kmsKeyId") in (None, ""):
        return None
    return plan.key(capture["kmsKeyId"], configuration, "dataCaptureConfig")


def job_needs(plan: AccessPlan) -> Iterator[Need | NotEvaluated]:
    for function in plan.index.of_type(FUNCTION):
        if not is_monitoring_job(function):
            continue
        role = plan.role(function, "role", get(function.props, "role"))
        if role is None:
            yield NotEvaluated(function.urn, "its execution role is not declared in this program")
            continue
        requester = access.role_requester(plan, function, role)
        variables = _variables(function)
        # SageMaker writes capture under <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/ (DG
        # model-monitor-data-capture-endpoint.md), and the job reads there (job.py `run`).
        capture, endpoint_name = variables.get("CAPTURE_S3_URI"), variables.get("ENDPOINT_NAME")
        if isinstance(capture, str) and isinstance(endpoint_name, str):
            capture = f"{capture.rstrip('/')}/{endpoint_name}/"
        elif UNKNOWN in (capture, endpoint_name):
            capture = UNKNOWN
        yield from object_reads(
            plan,
            requester.doing(f"read the captured data under {capture}"),
            capture,
            prefix=True,
            key=_capture_key(plan, function, variables.get("ENDPOINT_NAME")),
        )
        baseline = variables.get("BASELINE_S3_URI")
        yield from object_reads(
            plan, requester.doing(f"read its baseline {baseline}"), baseline, prefix=False
        )
        if "GROUND_TRUTH_S3_URI" in variables:
            truth = variables["GROUND_TRUTH_S3_URI"]
            yield from object_reads(
                plan, requester.doing(f"read ground truth under {truth}"), truth, prefix=True
            )
        report = variables.get("REPORT_S3_URI")
        if isinstance(report, str) and not report.endswith("/"):
            report += "/"
        yield from object_writes(
            plan,
            requester.doing(f"write its report to {report}"),
            report,
            variables.get("REPORT_KMS_KEY_ARN"),
            holder=function,
            key_prop="environment",
        )
        namespace = variables.get("METRIC_NAMESPACE")
        yield requester.doing(f"publish its metrics in {namespace}").need(
            "cloudwatch:PutMetricData",
            "*",
            "CloudWatch metrics",
            {**access.base_context(plan), "cloudwatch:namespace": (namespace,)},
        )
    yield from _schedule_needs(plan)


def _schedule_needs(plan: AccessPlan) -> Iterator[Need | NotEvaluated]:
    for schedule in plan.index.of_type(SCHEDULE):
        target = get(schedule.props, "target")
        if not isinstance(target, dict):
            continue
        function_arn = target.get("arn")
        if function_arn is not UNKNOWN and (parse_arn(function_arn) or ("", ""))[1] != "lambda":
            continue
        role = plan.role(schedule, "target", target.get("roleArn"))
        if role is None:
            yield NotEvaluated(schedule.urn, "its role is not declared in this program")
            continue
        invoking = access.role_requester(plan, schedule, role).doing("invoke the monitoring job")
        yield invoking.need(
            "lambda:InvokeFunction",
            function_arn,
            f"function {function_arn}",
            access.base_context(plan),
        )
