"""What the shell completes, from the ledger in reach: point IDs, POINT/MS milestone refs, unit
and group keys and names, statuses.

Fast over correct: one parse of the file, no validation (a half-written ledger still
completes what it can, and anything unreadable completes nothing). Each candidate is a
``(value, help)`` pair; zsh and fish show the help beside the value, bash only the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reformctl.ledger.config import is_config
from reformctl.ledger.parse import loads
from reformctl.ledger.revision import worktree_data

Candidate = tuple[str, str]


def read_tables(path: Path) -> Mapping[str, Any]:
    """The ledger's tables as parsed TOML (a workspace's: all its files'); empty when it
    cannot be read or parsed."""
    try:
        if is_config(path):
            return worktree_data(path)
        data = loads(path.read_text(encoding="utf-8"))
    except Exception:  # completion never fails: a broken ledger completes nothing
        return {}
    return data if isinstance(data, dict) else {}


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _name(entry: object, field: str = "name") -> str:
    value = entry.get(field) if isinstance(entry, dict) else None
    return value if isinstance(value, str) else ""


def _matching(candidates: list[Candidate], incomplete: str) -> list[Candidate]:
    return [c for c in candidates if c[0].startswith(incomplete)]


def points(data: Mapping[str, Any], incomplete: str) -> list[Candidate]:
    return _matching(
        [(pid, _name(p, "title")) for pid, p in _section(data, "points").items()], incomplete
    )


def milestone_refs(data: Mapping[str, Any], incomplete: str) -> list[Candidate]:
    """``POINT/`` for each point until one is chosen, then that point's ``POINT/MS``."""
    pts = _section(data, "points")
    pid, slash, _ = incomplete.partition("/")
    if not slash:
        found = [(f"{p}/", _name(v, "title")) for p, v in pts.items() if p.startswith(pid)]
        if len(found) != 1:
            return found
        pid = found[0][0][:-1]  # one point left: straight to its milestones
    milestones = _section(pts.get(pid) or {}, "milestones")
    return _matching([(f"{pid}/{k}", _name(m)) for k, m in milestones.items()], incomplete)


def _keys_and_names(section: Mapping[str, Any], incomplete: str) -> list[Candidate]:
    out = [(key, _name(entry)) for key, entry in section.items()]
    out += [(_name(entry), key) for key, entry in section.items() if _name(entry)]
    return _matching(out, incomplete)


def units(data: Mapping[str, Any], incomplete: str) -> list[Candidate]:
    return _keys_and_names(_section(data, "units"), incomplete)


def groups(data: Mapping[str, Any], incomplete: str) -> list[Candidate]:
    return _keys_and_names(_section(data, "groups"), incomplete)
