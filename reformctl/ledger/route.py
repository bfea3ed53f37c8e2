"""Where a write goes in a workspace: the file that holds the table it changes, a new point's
group file, else the shared file; and an import's plan cut into a part for each file (every
file known before anything is written, or nothing is)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reformctl.errors import ReformctlError
from reformctl.ledger.config import Workspace
from reformctl.ledger.parse import display_name
from reformctl.ledger.source import Path_
from reformctl.ledger.workspace import load_workspace
from reformctl.model import Loc

if TYPE_CHECKING:
    from reformctl.plans import ImportPlan, UpdatePlan


def route(ws: Workspace, at: Path_ | None) -> Path:
    """The file a write goes to. ``at`` is the table it changes: ("points", ID) and the like go
    to the file that holds it; ("groups", KEY) means a new point of that group, which goes to
    the group's file; None (a declaration, an office register) goes to the shared file."""
    if at is None:
        return ws.shared
    loaded = load_workspace(ws)
    if loaded.problems or loaded.ledger is None:
        return ws.shared  # the write is refused with the workspace's first problem
    by_name = {display_name(f): f for f in ws.files}
    if at[0] == "groups" and len(at) == 2:
        return _group_file(ws, loaded.ledger, at[1], by_name)
    # every entry of the model knows its file: no file needs scanning to find it
    entries = getattr(loaded.ledger, at[0], None) if len(at) >= 2 else None
    entry = entries.get(at[1]) if isinstance(entries, Mapping) else None
    loc = getattr(entry, "loc", None)
    return by_name.get(loc.file, ws.shared) if isinstance(loc, Loc) else ws.shared


def _group_file(ws: Workspace, ledger: Any, group: str, by_name: Mapping[str, Path]) -> Path:
    """A new point's file: the one the configuration gives its group, else the one file that
    holds the group's points, else the ledger file named after the group."""
    key = group
    if group not in ledger.groups:
        named = [g.key for g in ledger.groups.values() if g.name == group]
        key = named[0] if len(named) == 1 else group
    if key in ws.groups:
        return ws.groups[key]
    holding = {p.loc.file for p in ledger.points.values() if p.group == key}
    if len(holding) == 1:
        return by_name[holding.pop()]
    named_after = [f for f in ws.ledgers if f.stem == key]
    if len(named_after) == 1:
        return named_after[0]
    if len(ws.ledgers) == 1:
        return ws.ledgers[0]
    raise ReformctlError(
        "workspace-no-file-for-group",
        hint="hint-workspace-group-file",
        group=key,
        config=display_name(ws.config),
    )


def import_parts(ws: Workspace, plan: ImportPlan) -> list[tuple[Path, ImportPlan]]:
    """Where an import's tables go: new units and groups to the shared file, each new point to
    its group's file. Every file is known before anything is written (or nothing is)."""
    import dataclasses

    # start-up: a write routes its change too, and loads neither the plans nor dataclasses
    from reformctl.plans import ImportPlan

    parts: dict[Path, ImportPlan] = {}
    if plan.units or plan.groups:
        parts[ws.shared] = dataclasses.replace(plan, points=[], bad_rows=[])
    for point in plan.points:
        file = route(ws, ("groups", point.group))
        part = parts.setdefault(file, ImportPlan())
        part.points.append(point)
    return list(parts.items())


def update_parts(ws: Workspace, ledger: Any, plan: UpdatePlan) -> list[tuple[Path, UpdatePlan]]:
    """Where an ``import --update``'s changes go: each to the file that holds its point, new
    points to their group's file."""
    by_name = {display_name(f): f for f in ws.files}

    def file_of(pid: str) -> Path:
        point = ledger.points.get(pid)
        return by_name.get(point.loc.file, ws.shared) if point is not None else ws.shared

    # start-up: a write routes its change too, and does not load the plans
    from reformctl.plans import UpdatePlan

    parts: dict[Path, UpdatePlan] = {}

    def part(file: Path) -> UpdatePlan:
        return parts.setdefault(file, UpdatePlan())

    for done in plan.done:
        part(file_of(done[0])).done.append(done)
    for evidence in plan.evidence:
        part(file_of(evidence[0])).evidence.append(evidence)
    for milestone in plan.milestones:
        part(file_of(milestone[0])).milestones.append(milestone)
    for progress in plan.progress:
        part(file_of(progress[0])).progress.append(progress)
    for edit in plan.point_edits:
        part(file_of(edit[0])).point_edits.append(edit)
    for ms_edit in plan.milestone_edits:
        part(file_of(ms_edit[0])).milestone_edits.append(ms_edit)
    for file, new in import_parts(ws, plan.new):
        part(file).new = new
    return list(parts.items())
