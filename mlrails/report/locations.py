"""Where a finding points: the user's line, as a path relative to the repository root.

Code scanning shows an alert on a file of the repository, so a path must be relative to the
repository root, the same on every runner and in every checkout layout (SARIF 2.1.0 §3.4.4:
`uriBaseId` names the root, `run.originalUriBaseIds` says what it is). A resource made inside a
component points at the line of the project that declared the component (the engine records the
innermost frame of the project's own code for each resource).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from mlrails.plan import Plan

ROOT_ID = "REPO_ROOT"


@dataclass(frozen=True)
class SourceRoot:
    """The directory every artifact URI is relative to, and whether it is a repository."""

    path: Path
    is_repository: bool

    @property
    def description(self) -> str:
        if self.is_repository:
            return "The root of the git repository that holds the Pulumi project."
        return (
            "No git repository was found above the Pulumi project, so paths are relative to the "
            "project directory."
        )

    def relative(self, path: Path) -> str | None:
        """`path` relative to the root, or None when it lies outside (an installed library)."""
        try:
            return path.resolve().relative_to(self.path).as_posix()
        except ValueError:
            return None


def source_root(project_dir: Path) -> SourceRoot:
    """The nearest directory at or above `project_dir` with a `.git` entry (a directory, or the
    file of a worktree or submodule); the project directory itself when there is none."""
    project_dir = project_dir.resolve()
    for directory in (project_dir, *project_dir.parents):
        if (directory / ".git").exists():
            return SourceRoot(directory, is_repository=True)
    return SourceRoot(project_dir, is_repository=False)


@dataclass(frozen=True)
class Located:
    """A file (relative to the root) and line, and why it is not the user's own line, if not."""

    path: str
    line: int
    note: str = ""


class Locator:
    """Locates the findings of one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        directory = plan.directory or (str(Path(plan.program).parent) if plan.program else ".")
        self.root = source_root(Path(directory))
        self.records = {r.urn: r for r in plan.resources}

    def locate(self, urn: str | None) -> Located:
        """The user's line for the resource, else its parent component's, else the library line
        that made it (said in `note`), else the program's entry file."""
        record = self.records.get(urn) if urn else None
        current, hops = record, 0
        while current is not None:
            found = _at(self.root, current.user_source_uri, current.user_source_line)
            if found is not None and hops == 0:
                return found
            if found is not None:
                return Located(
                    found.path,
                    found.line,
                    f"located at the declaration of its component `{current.name}`: the "
                    "resource was made outside the project's own code (in a callback)",
                )
            current = self.records.get(current.parent) if current.parent else None
            hops += 1
        if record is not None:
            found = _at(self.root, record.source_uri, record.source_line)
            if found is not None:
                return Located(
                    found.path,
                    found.line,
                    "located at the component code that made the resource: no line of the "
                    "project declared it",
                )
        program = self.root.relative(Path(self.plan.program)) if self.plan.program else None
        note = (
            "located at the program's entry file: the resource has no recorded source"
            if urn
            else ""
        )
        return Located(program or "Pulumi.yaml", 1, note)


def _at(root: SourceRoot, uri: str | None, line: int) -> Located | None:
    if not uri:
        return None
    path = root.relative(Path(unquote(urlparse(uri).path)))
    return Located(path, max(line, 1)) if path is not None else None
