"""A workspace's configuration: the ``reformctl.toml`` that names a ledger's files.

A ``reformctl.toml`` at the root of a repository names the files::

    [workspace]
    shared = "shared.toml"            # [ledger] settings, units and groups, declared once
    ledgers = ["groups/*.toml"]       # one file per special group or per city; globs allowed

    [ledgers."groups/economy.toml"]   # optional, per file
    group = "economy"                 # `point add --group economy` writes here
    lead = "fgw"                      # the unit that owns the file (CODEOWNERS)

Every file is a TOML document of its own; read together (:mod:`~reformctl.ledger.workspace`)
they are one ledger. This module reads no file: it finds the configuration, and checks its data
and matches its globs against the working tree or a revision's listing.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem
from reformctl.ledger.source import Path_, SourceIndex
from reformctl.records import field, record

CONFIG_NAME = "reformctl.toml"


@record
class Workspace:
    """The files of a workspace, as its ``reformctl.toml`` names them."""

    config: Path
    shared: Path
    ledgers: tuple[Path, ...]
    groups: Mapping[str, Path] = field(default_factory=dict)  # declared: group -> its file
    leads: Mapping[Path, str] = field(default_factory=dict)  # declared: file -> its lead unit
    patterns: tuple[str, ...] = ()  # the ledgers' patterns, as written

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def files(self) -> tuple[Path, ...]:
        """The shared file first, then every ledger file in name order."""
        return (self.shared, *self.ledgers)

    def relative(self, path: Path) -> str:
        """A member's path as the configuration writes it (POSIX, from the root)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def is_config(path: Path) -> bool:
    return path.name == CONFIG_NAME


def find_config(start: Path) -> Path | None:
    """The nearest ``reformctl.toml`` in ``start`` or a folder above it."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def config_from_data(
    config: Path, data: dict[str, Any], index: SourceIndex, listing: list[str] | None
) -> Workspace:
    """The workspace that a configuration's parsed ``data`` describes (``index``: its text's,
    for the places of its problems). ``listing`` is every file under its folder (POSIX paths
    relative to it) at a git revision; None means the working tree."""

    def bad(where: Path_, at: str | None, code: str, /, **args: Any) -> InvalidLedger:
        return InvalidLedger([Problem(code, index.loc(where, at), args, "hint-workspace")])

    table = data.get("workspace")
    if not isinstance(table, dict):
        raise bad((), None, "workspace-table-missing")
    for key in table:
        if key not in ("shared", "ledgers"):
            raise bad(("workspace",), key, "workspace-unknown-key", key=key)
    shared_rel = table.get("shared")
    if not isinstance(shared_rel, str) or not shared_rel.strip():
        raise bad(("workspace",), "shared", "workspace-shared-missing")
    patterns = table.get("ledgers")
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise bad(("workspace",), "ledgers", "workspace-ledgers-missing")
    for rel in (shared_rel, *patterns):
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise bad(
                ("workspace",), "shared" if rel == shared_rel else "ledgers", "workspace-outside"
            )
    root = config.parent
    shared_rel = Path(shared_rel).as_posix()
    if not _exists(root, shared_rel, listing):
        raise bad(("workspace",), "shared", "workspace-file-missing", path=shared_rel)
    if not _inside(root, shared_rel, listing):
        raise bad(("workspace",), "shared", "workspace-outside")
    found: set[str] = set()
    for pattern in patterns:
        matched = _matches(root, pattern, listing)
        if not matched and not _has_magic(pattern):
            raise bad(("workspace",), "ledgers", "workspace-file-missing", path=pattern)
        # a configuration (this one, or a nested workspace's) is never a ledger file
        matched = [m for m in matched if m.rpartition("/")[2] != CONFIG_NAME]
        if not all(_inside(root, m, listing) for m in matched if m != shared_rel):
            raise bad(("workspace",), "ledgers", "workspace-outside")
        found.update(matched)
    found.discard(shared_rel)
    members = sorted(found)
    groups: dict[str, Path] = {}
    leads: dict[Path, str] = {}
    extra = data.get("ledgers", {})
    if not isinstance(extra, dict):
        raise bad((), "ledgers", "workspace-unknown-key", key="ledgers")
    for key, spec in extra.items():
        rel = Path(key).as_posix()  # "./groups/a.toml" is groups/a.toml, as in ledgers
        if rel not in found:
            raise bad(("ledgers", key), None, "workspace-not-member", path=key)
        if not isinstance(spec, dict):
            raise bad(("ledgers",), key, "workspace-unknown-key", key=key)
        for name, value in spec.items():
            if name not in ("group", "lead") or not isinstance(value, str):
                raise bad(("ledgers", key), name, "workspace-unknown-key", key=name)
        if "group" in spec:
            if spec["group"] in groups:  # which file would its new points go to?
                other = groups[spec["group"]].relative_to(root).as_posix()
                raise bad(
                    ("ledgers", key),
                    "group",
                    "workspace-group-twice",
                    group=spec["group"],
                    other=other,
                )
            groups[spec["group"]] = root / rel
        if "lead" in spec:
            leads[root / rel] = spec["lead"]
    for key in data:
        if key not in ("workspace", "ledgers"):
            raise bad((), key, "workspace-unknown-key", key=key)
    return Workspace(
        config,
        root / shared_rel,
        tuple(root / m for m in members),
        groups,
        leads,
        tuple(Path(p).as_posix() for p in patterns),
    )


def _inside(root: Path, rel: str, listing: list[str] | None) -> bool:
    """Whether a member really lies under the root: a symlink to a file elsewhere would have
    every write go outside the workspace (and outside its repository)."""
    if listing is not None:
        return True
    return (root / rel).resolve().is_relative_to(root.resolve())


def _exists(root: Path, rel: str, listing: list[str] | None) -> bool:
    return (root / rel).is_file() if listing is None else rel in listing


def _matches(root: Path, pattern: str, listing: list[str] | None) -> list[str]:
    """The files a pattern names (relative POSIX paths): ``*``, ``?`` and ``[..]`` within one
    folder, a ``**`` component across folders, as ``Path.glob`` (a ``**`` inside a name is a
    ``*``); the same in the working tree and in a revision's listing."""
    parts = [_plain_stars(part) for part in Path(pattern).as_posix().split("/")]
    pattern = "/".join(parts)
    if listing is None:
        if not _has_magic(pattern):
            return [pattern] if (root / pattern).is_file() else []
        return [p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file()]
    return [f for f in listing if _glob_match(parts, f.split("/"))]


def _plain_stars(part: str) -> str:
    """A path component with ``**`` inside a name read as ``*`` (``Path.glob`` of Python 3.11
    refuses it with a ValueError)."""
    return part if part == "**" else re.sub(r"\*{2,}", "*", part)


def _has_magic(pattern: str) -> bool:
    """Whether ``pattern`` is a glob (``glob.has_magic``'s test, without importing glob)."""
    return any(c in pattern for c in "*?[")


def _glob_match(parts: list[str], names: list[str]) -> bool:
    """Whether a path's components match a pattern's (each by ``fnmatch``, whose character
    classes never fail to compile; ``**`` for any number of folders)."""
    if not parts:
        return not names
    if parts[0] == "**":
        return any(_glob_match(parts[1:], names[i:]) for i in range(len(names) + 1))
    return (
        bool(names)
        and fnmatch.fnmatchcase(names[0], parts[0])
        and _glob_match(parts[1:], names[1:])
    )
