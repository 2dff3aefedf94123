"""Which policy packs a command runs, and with which settings.

The packs are the ones named with --policy-pack, each once, or the governance pack bundled with
mlrails. Nothing is discovered from the project or its parent folders: a pack replaces the
governance rules, so it runs only when the user names it.
"""

from __future__ import annotations

from pathlib import Path

from mlrails.errors import UserError, warn
from mlrails.plan import Plan
from mlrails.policy.config import PolicySettings, read_config_file, resolve_settings
from mlrails.policy.pack import LoadedPack, bundled_pack_directory, load_pack
from mlrails_policies.framework.waivers import unmatched


def warn_unmatched_waivers(plan: Plan, settings: dict[tuple[str, str], PolicySettings]) -> None:
    """Warn about each waiver that covers no resource of the plan: a typo, or a resource gone."""
    urns = [record.urn for record in plan.resources]
    for (_, policy), policy_settings in sorted(settings.items()):
        for waiver in unmatched(policy_settings.waivers, urns):
            warn(
                f"the waiver of {policy!r} for resource {waiver.resource!r} matches no resource "
                "of this stack; it has no effect. Fix the URN or name glob, or remove it."
            )


def load_packs(directories: list[Path]) -> list[LoadedPack]:
    """The packs in `directories`, each once: a pack named twice would double its findings."""
    packs: list[LoadedPack] = []
    for directory in directories:
        pack = load_pack(directory)
        same = next((p for p in packs if p.directory == pack.directory), None)
        if same is not None:
            warn(f"--policy-pack {directory}: the pack {pack.name!r} is given twice; it runs once.")
            continue
        if any(p.name == pack.name for p in packs):
            raise UserError(
                f"--policy-pack {directory}: another pack named {pack.name!r} is already loaded; "
                "two packs with one name cannot be configured apart. Pass one of them."
            )
        packs.append(pack)
    return packs


def named_or_bundled_pack(directory: Path | None) -> Path:
    """`directory` if the user named one, else the bundled governance pack."""
    directory = directory or bundled_pack_directory()
    if directory is None:
        raise UserError("no policy pack found; pass --policy-pack DIR.")
    return directory


def policy_settings(
    packs: list[LoadedPack], config_file: Path | None
) -> dict[tuple[str, str], PolicySettings]:
    """The settings of `packs` under --policy-config (if given) and the packs' own defaults."""
    file_config = read_config_file(config_file) if config_file else {}
    if config_file and not packs:
        raise UserError(f"{config_file}: no policy pack was found to configure.")
    return resolve_settings(packs, file_config, str(config_file or "--policy-config"))
