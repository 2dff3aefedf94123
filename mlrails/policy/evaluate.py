"""Evaluating pulumi_policy policies on a recorded plan, with the SDK's semantics.

This mirrors the analyzer the Pulumi engine talks to (`pulumi_policy.policy`): resource
policies see each resource's inputs through the SDK's unknown-checking proxy; stack policies
see every resource once, linked to its parent, dependencies and property dependencies;
disabled policies do not run and `remediate` is reported as mandatory. Where the SDK turns a
read of an unknown value into a diagnostic, we record a finding that is *not evaluated*, so a
rule that could not reach a verdict is visible in every report instead of passing silently.

Unlike the gRPC analyzer, each resource's properties are deserialized once, not once per
policy: the results are the same and a large plan evaluates in linear time.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from inspect import isawaitable
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError

from mlrails.containment import PASSED_THROUGH, describe_exit, exits_trapped
from mlrails.errors import UserError
from mlrails.plan import Plan
from mlrails.policy.active import ActivePolicy, Settings, active_policies
from mlrails.policy.findings import (
    NOT_EVALUATED,
    NOT_EVALUATED_PREFIX,
    REMOTE_COMPONENT,
    Finding,
)
from mlrails.policy.masking import SecretMask
from mlrails.policy.pack import LoadedPack
from mlrails.policy.views import judged_views, linked_resources
from mlrails_policies.framework.verdicts import NotEvaluatedError
from mlrails_policies.framework.waivers import Waiver, find_waiver, today


def evaluate(plan: Plan, packs: list[LoadedPack], settings: Settings) -> list[Finding]:
    """Run every enabled policy of `packs` on `plan`; findings in a stable order."""
    # Evaluation allocates a large short-lived graph (proxies, policy arguments) and frees it
    # without cycles worth collecting; left on, full collections rescan the whole plan again
    # and again and make large plans superlinear.
    with gc_paused(), exits_trapped():
        return _evaluate(plan, packs, settings)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(plan: Plan, packs: list[LoadedPack], settings: Settings) -> list[Finding]:
    views = judged_views(plan)
    mask = SecretMask.of_plan(plan.resources)
    active = active_policies(packs, settings)
    resource_policies = [
        (policy, policy.policy, policy.wire_options())
        for policy in active
        if isinstance(policy.policy, ResourceValidationPolicy) and policy.policy.has_validation()
    ]
    findings: list[Finding] = []
    for view in views:
        record = view.record
        for policy, validator, options in resource_policies:
            # A rule that declares the types it judges returns at once on any other type;
            # skipping the call gives the same result without its cost.
            if policy.rule is not None and not policy.rule.judges_type(record.type):
                continue
            args = ResourceValidationArgs(
                record.type,
                view.props,
                record.urn,
                record.name,
                view.options,
                view.provider,
                dict(options),
            )
            findings += _judge(policy, partial(validator.validate, args), record.urn, mask)
    findings += _remote_components_not_evaluated(plan, packs)
    stack_policies = [(p, p.policy) for p in active if isinstance(p.policy, StackValidationPolicy)]
    if stack_policies:
        resources = linked_resources(views)
        for policy, stack_validator in stack_policies:
            stack_args = StackValidationArgs(resources, policy.wire_options())
            findings += _judge(policy, partial(stack_validator.validate, stack_args), None, mask)
    return findings


def _remote_components_not_evaluated(plan: Plan, packs: list[LoadedPack]) -> list[Finding]:
    """A multi-language component (awsx, eks: `remote=True`) is built by its provider plugin's
    Construct, which cannot run offline, so what it creates is never judged: say so."""
    return [
        Finding(
            policy=REMOTE_COMPONENT,
            pack=pack.name,
            enforcement=EnforcementLevel.ADVISORY.value,
            severity=None,
            urn=record.urn,
            message=f"{NOT_EVALUATED_PREFIX}{record.type} {record.name!r} is a remote "
            "(multi-language) component: its provider plugin creates its resources, which "
            "cannot run offline, so none of them was judged. Preview it with the Pulumi CLI.",
            status=NOT_EVALUATED,
        )
        for record in plan.remote_components
        for pack in packs
    ]


# The SDK policy's validate, given its arguments: called with the report function.
Validate = Callable[[ReportViolation], Awaitable[Any] | None]


def _judge(
    policy: ActivePolicy, validate: Validate, subject: str | None, mask: SecretMask
) -> list[Finding]:
    """The findings of one policy on one resource (`subject`) or on the stack (None)."""
    findings = _validate(policy, validate, subject, mask)
    if policy.settings.waivers:
        _apply_waivers(findings, policy.settings.waivers)
    return findings


def _apply_waivers(findings: list[Finding], waivers: tuple[Waiver, ...]) -> None:
    on = today()
    for finding in findings:
        if not finding.is_violation:
            continue
        active, expired = find_waiver(waivers, finding.urn, on)
        if active is not None:
            finding.waived, finding.waiver_reason = True, active.reason
        elif expired is not None:
            finding.message = f"{finding.message} ({expired.note()})"


def _validate(
    policy: ActivePolicy, validate: Validate, subject: str | None, mask: SecretMask
) -> list[Finding]:
    findings: list[Finding] = []

    def report(message: str, urn: str | None = None) -> None:
        # A resource policy's violation is always about the resource it judged.
        about = subject if subject is not None else urn
        findings.append(
            policy.finding(about, mask(str(message)) if message else policy.policy.description)
        )

    try:
        result = validate(report)
        if isawaitable(result):
            asyncio.run(_awaited(result))
    except UnknownValueError as unknown:
        # A stack rule may name the resources it could not evaluate; otherwise the whole rule
        # (or the one resource of a resource rule) is not evaluated.
        named = unknown.not_evaluated if isinstance(unknown, NotEvaluatedError) else ()
        reasons: list[tuple[str | None, str]] = [(n.urn, n.reason) for n in named]
        reasons = reasons or [(subject, unknown.message)]
        findings += [policy.not_evaluated(urn, mask(str(reason))) for urn, reason in reasons]
    except _NotApplicableError:
        pass
    except PASSED_THROUGH:
        raise
    except Exception as err:
        raise _defect(policy, subject, err, mask) from err
    except BaseException as err:  # sys.exit, os._exit: a policy must not end the judge
        raise UserError(
            f"{policy.pack.directory}: policy {policy.name!r} {describe_exit(err)} while "
            f"judging {'resource ' + subject if subject else 'the stack'}, which would end the "
            "run without a verdict. This is a defect in the policy pack; remove the call."
        ) from None
    return findings


def _defect(
    policy: ActivePolicy, subject: str | None, err: Exception, mask: SecretMask
) -> UserError:
    """The error of a policy that raised: a defect of the pack, named with its (masked) text."""
    # The chained error is printed with --debug: its text is masked too.
    err.args = (
        tuple(mask(a) for a in err.args)
        if all(isinstance(a, str) for a in err.args)
        else (mask(str(err)),)
    )
    what = f"resource {subject}" if subject else "the stack"
    return UserError(
        f"{policy.pack.directory}: policy {policy.name!r} raised {type(err).__name__}: {err} "
        f"while judging {what}. This is a defect in the policy pack; fix the rule (run with "
        "--debug for the traceback)."
    )


async def _awaited(result: Any) -> None:
    await result
