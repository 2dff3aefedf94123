"""Evaluating pulumi_policy policies on a recorded plan, with the SDK's semantics.

This mirrors the analyzer the Pulumi engine talks to (`pulumi_policy.policy`): resource
policies see each resource's inputs through the SDK's unknown-checking proxy; stack policies
see every resource once, linked to its parent, dependencies and property dependencies;
disabled policies do not run and `remediate` is reported as mandatory. Where the SDK turns a
read of an unknown value into a diagnostic, we record a finding that is *not evaluated*, so a
rule that could not decide is visible in every report instead of passing silently.

Unlike the gRPC analyzer, each resource's properties are deserialized once, not once per
policy: the results are the same and a large plan evaluates in linear time.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from mlrails.containment import PASSED_THROUGH, describe_exit, exits_trapped
from mlrails.errors import UserError
from mlrails.plan import Plan, ResourceRecord
from mlrails.policy.config import PolicySettings
from mlrails.policy.masking import SecretMask
from mlrails.policy.pack import LoadedPack
from policies.framework.waivers import find_waiver, today

VIOLATION = "violation"
NOT_EVALUATED = "not_evaluated"
NOT_EVALUATED_PREFIX = "not evaluated: "
# The finding id of a remote component nothing could judge.
REMOTE_COMPONENT = "remote-component"


@dataclass
class Finding:
    """A violation a policy reported, or a policy that could not decide."""

    policy: str
    pack: str
    enforcement: str
    severity: str | None
    urn: str | None
    message: str
    status: str = VIOLATION
    waived: bool = False
    waiver_reason: str | None = None

    @property
    def blocking(self) -> bool:
        return (
            self.status == VIOLATION
            and not self.waived
            and self.enforcement == EnforcementLevel.MANDATORY.value
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "pack": self.pack,
            "enforcement": self.enforcement,
            "severity": self.severity,
            "urn": self.urn,
            "message": self.message,
            "waived": self.waived,
            "status": self.status,
        }


_NO_TIMEOUTS = PolicyCustomTimeouts(0, 0, 0)


def evaluate(
    plan: Plan, packs: list[LoadedPack], settings: dict[tuple[str, str], PolicySettings]
) -> list[Finding]:
    """Run every enabled policy of `packs` on `plan`; findings in a stable order."""
    # Evaluation allocates a large short-lived graph (proxies, policy arguments) and frees it
    # without cycles worth collecting; left on, full collections rescan the whole plan again
    # and again and make large plans superlinear.
    with gc_paused(), exits_trapped():
        return _evaluate(plan, packs, settings)


@contextlib.contextmanager
def gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(
    plan: Plan, packs: list[LoadedPack], settings: dict[tuple[str, str], PolicySettings]
) -> list[Finding]:
    views = _judged_views(plan)
    mask = SecretMask.of_plan(plan.resources)
    findings: list[Finding] = []
    active = [
        (pack, policy, settings[(pack.name, policy.name)])
        for pack in packs
        for policy in pack.policies
        if settings[(pack.name, policy.name)].enforcement != EnforcementLevel.DISABLED
    ]
    resource_policies = [
        (
            pack,
            policy,
            policy_settings,
            _wire(policy_settings.options),
            getattr(policy, "rule", None),
        )
        for pack, policy, policy_settings in active
        if isinstance(policy, ResourceValidationPolicy) and policy.has_validation()
    ]
    stack_policies = [a for a in active if isinstance(a[1], StackValidationPolicy)]
    for view in views:
        record = view.record
        for pack, policy, policy_settings, options, rule in resource_policies:
            # A rule that declares the types it judges returns at once on any other type;
            # skipping the call gives the same result without its cost.
            if rule is not None and not rule.judges_type(record.type):
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
            _run(pack, policy, policy_settings, findings, record.urn, policy.validate, args, mask)
    findings += _remote_components_not_evaluated(plan, packs)
    if stack_policies:
        resources = _linked_resources(views)
        for pack, policy, policy_settings in stack_policies:
            args = StackValidationArgs(resources, _wire(policy_settings.options))
            _run(pack, policy, policy_settings, findings, None, policy.validate, args, mask)
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


def _wire(value: Any) -> Any:
    """Options as the engine delivers them through a protobuf Struct: every number a float."""
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


class _ResourceView:
    """A record as the analyzer presents it: deserialized, behind the unknown-checking proxy."""

    __slots__ = ("options", "props", "provider", "record")

    def __init__(self, record: ResourceRecord) -> None:
        self.record = record
        self.provider: PolicyProviderResource | None = None
        self.props = unknown_checking_proxy(deserialize_properties(record.inputs))
        timeouts = record.custom_timeouts
        self.options = PolicyResourceOptions(
            record.protect,
            list(record.ignore_changes),
            record.delete_before_replace,
            # The engine keeps only aliases that name a resource of the stack's previous state
            # (pulumi-policy tests/integration/resource_options: an alias to nothing arrives
            # as []); an offline preview has no previous state.
            [],
            PolicyCustomTimeouts(*timeouts) if any(timeouts) else _NO_TIMEOUTS,
            list(record.additional_secret_outputs),
            record.parent,
        )


def _attach_providers(views: list[_ResourceView]) -> None:
    """Give each resource its explicit provider, as the engine does (`urn::id` references)."""
    providers = {v.record.urn: v for v in views if v.record.is_provider}
    if not providers:
        return
    for view in views:
        reference = view.record.provider
        provider = providers.get(reference.rsplit("::", 1)[0]) if reference else None
        if provider is not None:
            view.provider = PolicyProviderResource(
                provider.record.type, provider.props, provider.record.urn, provider.record.name
            )


def policy_resources(plan: Plan) -> list[PolicyResource]:
    """The plan's resources as a stack policy receives them."""
    return _linked_resources(_judged_views(plan))


def _judged_views(plan: Plan) -> list[_ResourceView]:
    # What the program reads (`Resource.get`, StackReference) it does not manage, and offline
    # its real state is unknown: only what the program declares is judged.
    views = [_ResourceView(record) for record in plan.resources if not record.external]
    _attach_providers(views)
    return views


def _linked_resources(views: list[_ResourceView]) -> list[PolicyResource]:
    resources = [
        PolicyResource(
            v.record.type, v.props, v.record.urn, v.record.name, v.options, v.provider, None, [], {}
        )
        for v in views
    ]
    by_urn = {r.urn: r for r in resources}
    for view, resource in zip(views, resources, strict=True):
        record = view.record
        resource.parent = by_urn.get(record.parent) if record.parent else None
        resource.dependencies = [by_urn[u] for u in record.dependencies if u in by_urn]
        resource.property_dependencies = {
            key: [by_urn[u] for u in urns if u in by_urn]
            for key, urns in record.property_dependencies.items()
        }
    return resources


def _run(
    pack: LoadedPack,
    policy: Policy,
    policy_settings: PolicySettings,
    findings: list[Finding],
    resource_urn: str | None,
    validate,
    args,
    mask: SecretMask,
) -> None:
    first = len(findings)
    _validate(pack, policy, policy_settings, findings, resource_urn, validate, args, mask)
    if policy_settings.waivers:
        _apply_waivers(findings[first:], policy_settings.waivers)


def _apply_waivers(findings: list[Finding], waivers) -> None:
    on = today()
    for finding in findings:
        if finding.status != VIOLATION:
            continue
        active, expired = find_waiver(waivers, finding.urn, on)
        if active is not None:
            finding.waived, finding.waiver_reason = True, active.reason
        elif expired is not None:
            finding.message = f"{finding.message} ({expired.note()})"


def _validate(
    pack: LoadedPack,
    policy: Policy,
    policy_settings: PolicySettings,
    findings: list[Finding],
    resource_urn: str | None,
    validate,
    args,
    mask: SecretMask,
) -> None:
    level = policy_settings.enforcement

    def report(message: str, urn: str | None = None) -> None:
        findings.append(
            _finding(
                pack,
                policy,
                level,
                # A resource policy's violation is always about the resource it judged.
                urn=resource_urn if resource_urn is not None else urn,
                message=mask(str(message)) if message else policy.description,
            )
        )

    try:
        result = validate(args, report)
        if isawaitable(result):
            asyncio.run(_awaited(result))
    except UnknownValueError as unknown:
        # A stack rule may name the resources it could not judge; otherwise the whole rule
        # (or the one resource of a resource rule) is undecided.
        undecided = list(
            zip(getattr(unknown, "urns", []), getattr(unknown, "reasons", []), strict=True)
        )
        for urn, reason in undecided or [(resource_urn, unknown.message)]:
            findings.append(not_evaluated(pack, policy, level, urn, mask(str(reason))))
    except _NotApplicableError:
        pass
    except PASSED_THROUGH:
        raise
    except Exception as err:
        subject = f"resource {resource_urn}" if resource_urn else "the stack"
        # The chained error is printed with --debug: its text is masked too.
        err.args = (
            tuple(mask(a) for a in err.args)
            if all(isinstance(a, str) for a in err.args)
            else (mask(str(err)),)
        )
        raise UserError(
            f"{pack.directory}: policy {policy.name!r} raised {type(err).__name__}: {err} while "
            f"judging {subject}. This is a defect in the policy pack; fix the rule (run with "
            "--debug for the traceback)."
        ) from err
    except BaseException as err:  # sys.exit, os._exit: a policy must not end the judge
        raise UserError(
            f"{pack.directory}: policy {policy.name!r} {describe_exit(err)} while judging "
            f"{'resource ' + resource_urn if resource_urn else 'the stack'}, which would end the "
            "run without a verdict. This is a defect in the policy pack; remove the call."
        ) from None


async def _awaited(result) -> None:
    await result


def not_evaluated(
    pack: LoadedPack,
    policy: Policy,
    enforcement: EnforcementLevel,
    urn: str | None,
    reason: str,
) -> Finding:
    """The finding of a rule that could not reach a verdict, on one resource or (urn None) on
    the whole stack, saying why."""
    return _finding(
        pack,
        policy,
        enforcement,
        urn=urn,
        message=f"{NOT_EVALUATED_PREFIX}{reason}",
        status=NOT_EVALUATED,
    )


def _finding(
    pack: LoadedPack,
    policy: Policy,
    enforcement: EnforcementLevel,
    *,
    urn: str | None,
    message: str,
    status: str = VIOLATION,
) -> Finding:
    if enforcement == EnforcementLevel.REMEDIATE:
        enforcement = EnforcementLevel.MANDATORY
    return Finding(
        policy=policy.name,
        pack=pack.name,
        enforcement=enforcement.value,
        severity=policy.severity.value if policy.severity is not None else None,
        urn=urn,
        message=message,
        status=status,
    )
