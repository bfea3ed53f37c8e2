"""What an exported (and edited) 台账 changes in the ledger: every edited cell is either a
change import makes, through the same changes as the CLI (a done date and its evidence, a
milestone's name, a point's title where the sheet carries IDs, its lead and co-operating
units, path, outcome, major flag, this month's progress, new milestones and points), or it is
refused by row and column naming the command that makes it (``reformctl extend …``). Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from reformctl.intake.milestones import split
from reformctl.intake.plan import (
    _GROUP_TAIL,
    Block,
    _day,
    _refused,
    blocks,
    join_progress,
    plan_import,
)
from reformctl.intake.table import Place, Row, Table, Why
from reformctl.intake.units import Refused, Units, lead_and_units
from reformctl.model import Ledger, Milestone, Point, is_valid_id
from reformctl.plans import UpdatePlan

_YES = {"是", "yes", "true", "y", "√", "✓", "1", "重大"}


def _find(
    ledger: Ledger, block: Block, default_group: str | None, titled: dict[str, list[Point]]
) -> Point | None:
    """The ledger's point a block is: by ID, else by title within its group (``titled``: the
    ledger's points by title, in the ledger's order)."""
    row = block.first
    pid = row.text("id")
    if pid:
        return ledger.points.get(pid)
    title = row.text("title")
    same = titled.get(title, [])
    if len(same) <= 1:
        return same[0] if same else None
    group = row.text("group") or block.group_row
    if group:
        same = [p for p in same if _same_group(ledger, group, p.group)]
    elif default_group is not None:
        same = [p for p in same if p.group == default_group]
    if len(same) > 1:
        raise Refused("intake-title-ambiguous", column="title", ids="、".join(p.id for p in same))
    return same[0] if same else None


def _same_group(ledger: Ledger, name: str, key: str) -> bool:
    """A group cell names group ``key``: its key, its name, or its name without the
    专项小组/小组 ending (经济体制改革 for 经济体制改革专项小组), as import matches groups."""
    declared = ledger.group_name(key)
    return name in (key, declared) or _GROUP_TAIL.sub("", name) == _GROUP_TAIL.sub("", declared)


def plan_update(
    table: Table,
    ledger: Ledger,
    *,
    month: str,
    today: dt.date,
    unit: str | None = None,
    default_group: str | None = None,
) -> UpdatePlan:
    """Compare an exported and edited 台账 with the ledger. With ``unit``, rows of points that
    unit does not lead are outside its remit, and a point's own facts (title, units) are the
    office's to change."""
    plan = UpdatePlan()
    bad: list[tuple[Place, Any]] = []
    year = ledger.settings.year
    units = Units({u.key: u.name for u in ledger.units.values()})
    new_rows: set[Place] = set()
    seen: dict[tuple[str, str], Place] = {}
    progress: dict[str, list[str]] = {}
    point_fields: dict[str, dict[str, tuple[Any, Place | None]]] = {}
    cleared: dict[str, dict[str, Any]] = {}  # the point's facts its rows leave empty
    new_keys: dict[str, set[str]] = {}
    refused_points: set[str] = set()
    # each ledger point the sheet holds: its first row (None: refused by its row, not deleted)
    present: dict[str, Place | None] = {}
    # the milestone keys the sheet's rows carry, by the point's ID on the row
    carried: dict[str, set[str]] = {}
    for r in table.rows:
        if r.text("id") and r.text("ms_key"):
            carried.setdefault(r.text("id"), set()).add(r.text("ms_key"))
    # rows without an ID find their point by title: looked up, not searched for on each row
    titled: dict[str, list[Point]] = {}
    for known in ledger.points.values():
        titled.setdefault(known.title, []).append(known)
    for block in blocks(table, bad):
        first = block.first
        has_ids = "id" in first.columns
        try:
            point = _find(ledger, block, default_group, titled)
            if point is not None and has_ids and not first.text("id"):
                # the sheet carries IDs and this row's is emptied: IDs do not change
                raise Refused("intake-cleared-id", column="id", id=point.id)
        except Refused as exc:
            bad.append(_refused(first, exc))
            present.setdefault(first.text("id"), None)
            continue
        if point is None:
            if unit is not None:
                plan.outside.append(
                    (
                        first.place,
                        Why("intake-new-point-office", (("title", first.text("title")),)),
                    )
                )
                continue
            new_rows |= {r.place for r in block.rows}
            continue
        if unit is not None and point.lead != unit:
            why = Why("intake-outside", (("id", point.id), ("lead", ledger.unit_name(point.lead))))
            plan.outside += [(r.place, why) for r in block.rows]
            continue
        present.setdefault(point.id, first.place)
        target = plan
        try:
            edits, emptied = _point_edits(ledger, units, block.first, point, has_ids, unit)
        except Refused as exc:
            # the row's other cells are still judged (each refusal listed), their changes
            # kept out: a row with a refused cell changes nothing
            bad.append(_refused(first, exc))
            refused_points.add(point.id)
            edits, emptied, target = {}, {}, UpdatePlan()
        # a row that states none of the point's optional facts (a milestone row added by hand
        # under an exported point, its other cells left blank) says nothing of them: its empty
        # cells clear a fact only if no row of the point states it. A row that states some and
        # empties others was edited: its empty cells are edits, and differ from a row stating one.
        if emptied and not any(name in edits for name in _OPTIONAL):
            for name, value in emptied.items():
                cleared.setdefault(point.id, {}).setdefault(name, value)
        else:
            edits = {**edits, **emptied}
        for name, value in edits.items():
            earlier = point_fields.setdefault(point.id, {}).get(name)
            if earlier is not None and earlier[0] != value:
                bad.append(
                    (first.place, first.reason("intake-same-point-differs", name, row=earlier[1]))
                )
                refused_points.add(point.id)
            else:
                point_fields[point.id][name] = (value, first.place)
        keys = carried.get(point.id, set()) | {r.text("ms_key") for r in block.rows}
        for row in block.rows:
            scratch = UpdatePlan()  # a row's changes are kept only if all its cells are
            try:
                _row(row, point, today, year, scratch, seen, new_keys, keys)
            except Refused as exc:
                bad.append(_refused(row, exc))
                continue
            target.done += scratch.done
            target.evidence += scratch.evidence
            target.milestones += scratch.milestones
            target.milestone_edits += scratch.milestone_edits
            text = row.text("progress")
            if text and target is plan:
                texts = progress.setdefault(point.id, [])
                if not texts or texts[-1] != text:
                    texts.append(text)
    for pid, emptied in cleared.items():
        stated = point_fields.setdefault(pid, {})
        for name, value in emptied.items():
            stated.setdefault(name, (value, None))
    for pid, fields in point_fields.items():
        if pid in refused_points:
            continue
        point = ledger.points[pid]
        changed = {n: v for n, (v, _) in fields.items() if _current(point, n) != v}
        if changed:
            plan.point_edits.append((pid, changed))
    for pid, texts in progress.items():
        if pid in refused_points:
            continue
        text = join_progress(texts)
        current = {e.month: e.text for e in ledger.points[pid].progress}.get(month)
        if text != current:
            plan.progress.append((pid, month, text))
    if table.everywhere("id") and table.everywhere("ms_key"):
        bad += _deleted(table, ledger, present, seen, whole=unit is None and "单位" in table.side)
    if new_rows:
        plan.new = plan_import(
            table, ledger, year=year, default_group=default_group, month=month, only=new_rows
        )
        bad += plan.new.bad_rows
        plan.new.bad_rows = []
    plan.bad_rows = sorted(bad, key=lambda b: b[0])
    return plan


def _deleted(
    table: Table,
    ledger: Ledger,
    present: dict[str, Place | None],
    seen: dict[tuple[str, str], Place],
    *,
    whole: bool,
) -> list[tuple[Place, Why]]:
    """Rows deleted from an export or a return: a milestone of a point the sheet holds (both
    carry every milestone of their points), and, in a whole export (its 单位 sheet beside the
    table), a point of the ledger. Import removes nothing: each is refused naming the command."""
    out: list[tuple[Place, Why]] = []
    for pid, number in present.items():
        if number is None or pid not in ledger.points:
            continue
        for ms in ledger.points[pid].milestones:
            if (pid, ms.key) not in seen:
                command = f"reformctl milestone remove {pid}/{ms.key}"
                out.append(
                    (
                        number,
                        Why(
                            "intake-row-deleted",
                            (("what", f"{pid}/{ms.key} {ms.name}"), ("command", command)),
                        ),
                    )
                )
    if whole:
        part = table.parts[-1]
        end = Place(part.index, part.header.row + 2, part.name, part.mention)
        last = max((r.place for r in table.rows), default=end)
        for pid, point in ledger.points.items():
            if pid not in present:
                command = f"reformctl point remove {pid}"
                out.append(
                    (
                        last,
                        Why(
                            "intake-row-deleted",
                            (("what", f"{pid} {point.title}"), ("command", command)),
                        ),
                    )
                )
    return out


def _point_edits(
    ledger: Ledger,
    units: Units,
    row: Row,
    point: Point,
    has_ids: bool,
    unit: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The point's own facts a row states (title where the sheet has IDs, lead and units,
    path, outcome, major) and those it leaves empty where the ledger has them. A unit's return
    may not change them (the office does)."""
    out: dict[str, Any] = {}  # every fact the row gives (a blank cell gives none)
    has = row.columns
    if has_ids and row.text("title"):
        out["title"] = row.text("title")
    if row.text("lead") or row.text("responsible"):
        lead_name, names, _ = lead_and_units(
            row.text("lead") if "lead" in has else None,
            row.text("responsible") if "responsible" in has else None,
            row.text("units") if "units" in has else None,
        )
        out["lead"] = _declared(units, lead_name, "lead")
        if row.text("units") or ("lead" in has and row.text("responsible")):
            out["units"] = [_declared(units, n, "units") for n in names]
    for name in ("path", "outcome"):
        if row.text(name):
            out[name] = row.text(name)
    if row.text("major"):
        out["major"] = row.text("major").lower() in _YES
    # a cell emptied on a row that carries the ID (in an export every row does) clears the fact
    # only where no row of the point states it (see :func:`plan_update`); a row added by hand
    # (its ID copied, only a milestone's cells beside it) never carried the point's cells
    carries = has_ids and row.text("id") and not _by_hand(row)
    cleared = _cleared(ledger, row, point) if carries else {}
    group = row.text("group")
    if group and not _same_group(ledger, group, point.group):
        raise Refused(
            "intake-edit-by-command", column="group", command=f"reformctl edit {point.id} --group …"
        )
    if row.text("closed") and _day(row, "closed", ledger.settings.year) != point.closed:
        raise Refused(
            "intake-edit-by-command",
            column="closed",
            command=f"reformctl close {point.id} --evidence …",
        )
    changed = [k for k, v in {**cleared, **out}.items() if _current(point, k) != v]
    if changed and unit is not None:
        option = {"units": "--unit"}.get(changed[0], f"--{changed[0]}")
        raise Refused(
            "intake-office-edits",
            column=changed[0],
            command=f"reformctl edit {point.id} {option} …",
        )
    return out, cleared


_OPTIONAL = ("units", "path", "outcome", "major")  # the point's facts a row may leave empty
# the cells of a point's own facts, all empty on a milestone row added by hand under a point
_POINT_CELLS = (
    *("title", "group", "lead", "responsible", "units"),
    *("path", "outcome", "major", "closed", "closing_evidence"),
)


def _by_hand(row: Row) -> bool:
    """A row stating none of its point's own facts (a milestone row added below a point, its
    编号 copied or not): never an export's row, whose every cell was filled."""
    return not any(row.text(name) for name in _POINT_CELLS)


def _cleared(ledger: Ledger, row: Row, point: Point) -> dict[str, Any]:
    """The point's own cells emptied on the row that carries its ID (in an export every row
    does): an optional fact emptied is cleared, as ``edit`` clears it (``--no-units``,
    ``--path ""``, ``--outcome ""``, ``--not-major``); a required one, or a closing, is
    refused naming the command that changes it."""
    has = row.columns
    required = {
        "title": point.title,
        "group": ledger.group_name(point.group),
        "lead": ledger.unit_name(point.lead),
    }
    for name, was in required.items():
        if name in has and not row.text(name):
            command = f"reformctl edit {point.id} --{name} …"
            raise Refused("intake-cleared", column=name, was=was, command=command)
    closing = {"closed": point.closed, "closing_evidence": point.closing_evidence}
    for name, value in closing.items():
        if name in has and not row.text(name) and value:
            command = f"reformctl reopen {point.id}"
            raise Refused("intake-cleared", column=name, was=value, command=command)
    out: dict[str, Any] = {}
    # (a 责任单位 cell beside 牵头单位 holds the co-operating units instead)
    other = "lead" in has and row.text("responsible")
    if "units" in has and not row.text("units") and point.units and not other:
        out["units"] = []
    for name in ("path", "outcome"):
        if name in has and not row.text(name) and getattr(point, name):
            out[name] = ""
    if "major" in has and not row.text("major") and point.major:
        out["major"] = False
    return out


def _current(point: Point, name: str) -> Any:
    value = getattr(point, name)
    return list(value) if name == "units" else value


def _declared(units: Units, name: str, column: str) -> str:
    key = units.match(name)
    if key is None:
        raise Refused("intake-unknown-unit", column=column, name=name)
    return key


def _row(
    row: Row,
    point: Point,
    today: dt.date,
    year: int,
    plan: UpdatePlan,
    seen: dict[tuple[str, str], Place],
    new_keys: dict[str, set[str]],
    carried: Collection[str] = (),
) -> None:
    """One milestone row of a point already in the ledger; ``carried``: the milestone keys
    the sheet's rows of the point carry."""
    key = row.text("ms_key")
    name = row.text("ms_name")
    if not key and name and "ms_key" in row.columns and _by_hand(row):
        # a row added by hand (no 节点编号) whose milestone an import of this file made: the
        # milestone of that name no row carries the key of (the same file imported twice)
        made = [m for m in point.milestones if m.name == name and m.key not in carried]
        if len(made) == 1:
            key = made[0].key
    ms = point.milestone(key) if key else None
    # the same milestone twice (by its key, or a keyless row repeated cell for cell)
    same = key or "|".join(f"{k}={v}" for k, v in sorted(row.cells.items()) if row.text(k))
    where = seen.get((point.id, same))
    if where is not None:
        column = "ms_key" if key else "title"
        raise Refused("intake-duplicate-row", column=column, row=where, ref=f"{point.id}/{key}")
    seen[(point.id, same)] = row.place
    done = _day(row, "done", year)
    evidence = row.text("evidence") or None
    # a sheet without 节点编号 (the office's own 台账, imported before): a milestone is the
    # point's milestone of its name (the first of that name no row above took)
    step: tuple[str, dt.date] | None = None
    fresh: list[tuple[str, dt.date]] | None = None
    if not key and "ms_key" not in row.columns and (row.text("ms_name") or row.text("due")):
        steps = split(row.text("ms_name"), row.cells.get("due"), point.title, year)
        took = {k for p, k in seen if p == point.id}
        fresh, matched = [], []
        for step_name, step_due in steps:
            found = next(
                (m for m in point.milestones if m.name == step_name and m.key not in took), None
            )
            if found is None:
                fresh.append((step_name, step_due))
            else:
                took.add(found.key)
                matched.append((found, step_due))
        if len(steps) == 1 and matched:
            ms, step = matched[0][0], steps[0]
        elif matched:
            if done is not None:
                raise Refused("intake-done-without-step", column="done")
            for found, step_due in matched:
                _due_moved(found, step_due)
                seen[(point.id, found.key)] = row.place
            if not fresh:
                return
        if ms is not None:
            seen[(point.id, ms.key)] = row.place
    if ms is not None:
        due = None
        if step is not None:  # read from the row's cells as an import reads them
            due = step[1]
        else:
            _milestone_cleared(row, ms, done)
            if row.cells.get("due") not in (None, ""):
                steps = split("", row.cells.get("due"), point.title, year)
                due = steps[0][1] if steps else None
        if due is not None:
            _due_moved(ms, due)
        name = step[0] if step is not None else row.text("ms_name")
        if name and name != ms.name:
            plan.milestone_edits.append((point.id, ms.key, {"name": name}))
        if done is not None and done > today:
            raise Refused("intake-done-future", column="done", date=done)
        if done is not None and ms.done is None:
            plan.done.append((point.id, ms.key, done, evidence))
        elif done is not None and ms.done is not None and done != ms.done:
            raise Refused(
                "intake-done-differs",
                column="done",
                ref=ms.ref,
                date=done,
                now=ms.done,
                command=f"reformctl undone {ms.ref}",
            )
        elif ms.done is not None and done is None and "done" in row.columns:
            raise Refused(
                "intake-done-cleared",
                column="done",
                ref=ms.ref,
                command=f"reformctl undone {ms.ref}",
            )
        elif ms.done is not None and evidence and evidence != ms.evidence:
            plan.evidence.append((point.id, ms.key, evidence))
        elif ms.done is None and done is None and evidence:
            raise Refused("intake-evidence-without-done", column="evidence", ref=ms.ref)
        return
    if not (key or row.text("ms_name") or row.text("due")):
        return
    if "ms_key" in row.columns and row.text("id") and not key:
        was = [m.key for m in point.milestones if m.name == row.text("ms_name")]
        if was:  # the key of a milestone emptied (a new milestone has a name of its own)
            raise Refused("intake-cleared-key", column="ms_key", key=was[0])
    if key and not is_valid_id(key):
        raise Refused("intake-bad-id", column="ms_key", id=key)
    if fresh is None:
        fresh = split(row.text("ms_name"), row.cells.get("due"), point.title, year)
    steps = fresh
    if not steps:
        raise Refused("intake-no-due", column="due")
    if done is not None:
        raise Refused("intake-new-step-done", column="done", command="reformctl done …")
    taken = new_keys.setdefault(point.id, set())
    for name, due in steps:
        k = key if key and len(steps) == 1 else ""
        if not k:
            n = len(point.milestones) + len(taken) + 1
            while point.milestone(f"m{n}") or f"m{n}" in taken:
                n += 1
            k = f"m{n}"
        if k in taken:
            raise Refused("intake-duplicate-key", column="ms_key", key=k)
        taken.add(k)
        plan.milestones.append((point.id, k, name, due))


def _due_moved(ms: Milestone, due: dt.date) -> None:
    if due != ms.due_now:
        raise Refused(
            "intake-due-moved",
            column="due",
            ref=ms.ref,
            due=due,
            now=ms.due_now,
            command=f"reformctl extend {ms.ref} --to {due} --reason …",
        )


def _milestone_cleared(row: Row, ms: Milestone, done: dt.date | None) -> None:
    """A milestone's cells emptied on the row that carries its key: its name and deadline are
    required; evidence is cleared only with its done date (``undone``)."""
    if "ms_name" in row.columns and not row.text("ms_name"):
        command = f"reformctl edit {ms.ref} --name …"
        raise Refused("intake-cleared", column="ms_name", was=ms.name, command=command)
    if "due" in row.columns and row.cells.get("due") in (None, ""):
        command = f"reformctl edit {ms.ref} --due …"
        raise Refused("intake-cleared", column="due", was=ms.due_now, command=command)
    if "evidence" in row.columns and not row.text("evidence") and ms.evidence and done:
        command = f"reformctl undone {ms.ref}"
        raise Refused("intake-cleared", column="evidence", was=ms.evidence, command=command)
