"""What an import would add, and what an edited 台账 changes: the table's rows (see
:mod:`reformctl.intake.table`) read into points, milestones, units and groups.

Rows are read first and only then turned into facts, so that nothing from a refused or
skipped row reaches the plan (no unit, no group): a point any of whose rows is refused is
left out whole, each of its rows listed. A point is its ID where the sheet has one, else its
title within its group. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reformctl.datetext import DateTextError, parse_day
from reformctl.intake.milestones import split
from reformctl.intake.table import Place, Row, Table, Why, cell_text
from reformctl.intake.units import Refused, Units, initials, lead_and_units
from reformctl.model import Ledger, is_valid_id, natural_key
from reformctl.plans import ImportPlan, PlannedPoint

_YES = {"是", "yes", "true", "y", "√", "✓", "1", "重大"}
_NO = {"", "否", "no", "false", "n", "0", "×"}
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_GROUP_TAIL = re.compile(r"(?:专项工作小组|专项小组|工作小组|小组)$")


@dataclass
class Block:
    """A point's row and the rows that continue it."""

    rows: list[Row]
    group_row: str | None

    @property
    def first(self) -> Row:
        return self.rows[0]


@dataclass
class Reading:
    """A point as its rows say it, before units and groups are matched."""

    blocks: list[Block]
    title: str
    pid: str
    group: str  # the name in the 专项小组 column or the group row; "" for --group
    lead: str
    units: list[str]
    path: str
    outcome: str
    major: bool
    milestones: list[dict[str, Any]] = field(default_factory=list)
    step_rows: list[Place] = field(default_factory=list)  # the row of each milestone
    progress: list[str] = field(default_factory=list)
    closed: dt.date | None = None
    closing_evidence: str | None = None

    @property
    def numbers(self) -> list[Place]:
        return [r.place for b in self.blocks for r in b.rows]


def blocks(table: Table, bad: list[tuple[Place, Why]]) -> list[Block]:
    out: list[Block] = []
    open_ = False  # a group row ends the point above: nothing below it continues that point
    above = ""
    current = -1  # the table of the row before: a new table starts with nothing open
    for row in table.rows:
        if row.part.table != current:
            current, open_, above = row.part.table, False, ""
        # a CSV saved from a sheet whose 专项小组 cell was merged down leaves the cells below
        # blank: within a CSV a blank 专项小组 cell continues the group of the point above
        carry = row.part.sheet.kind == "csv" and "group" in row.columns
        if row.kind == "point":
            if carry and not row.text("group") and above:
                row.texts["group"] = row.cells["group"] = above
            above = row.text("group")
            out.append(Block([row], row.group))
            open_ = True
        elif row.kind == "group":
            above = ""
            open_ = False
        elif row.kind == "more":
            if not open_:
                bad.append((row.place, row.reason("intake-orphan-row", "title")))
            else:
                out[-1].rows.append(row)
    return [b for b in out if not _control(table, b, bad)]


# control characters (C0 but tab and the line breaks of str.splitlines, DEL, C1 but NEL) are
# never what an office typed; the line breaks are text an export of the ledger holds: they come back
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _control(table: Table, block: Block, bad: list[tuple[Place, Why]]) -> bool:
    """Lists each row of a block on a hidden sheet or hidden itself, and each cell holding a
    control character; True if any (the point is left out whole)."""
    found = False
    for row in block.rows:
        if row.part.sheet.hidden:
            bad.append((row.place, Why("intake-hidden-sheet", (("sheet", row.part.sheet.name),))))
            found = True
            continue
        if row.number - 1 in row.part.sheet.hidden_rows:
            bad.append((row.place, Why("intake-hidden-row")))
            found = True
            continue
        for name, text in row.texts.items():
            m = _CONTROL.search(text)
            if m:
                char = f"U+{ord(m.group()):04X}"
                bad.append((row.place, row.reason("intake-control-char", name, char=char)))
                found = True
    return found


def _refused(row: Row, exc: Refused) -> tuple[Place, Why]:
    args = dict(exc.args_)
    column = args.pop("column", None)
    return row.place, row.reason(exc.code, str(column) if column else None, **args)


def _day(row: Row, name: str, year: int) -> dt.date | None:
    value = row.cells.get(name)
    if value in (None, ""):
        return None
    _no_value(row, name)
    try:
        return parse_day(value, year=year)
    except DateTextError as exc:
        raise Refused("intake-bad-date", column=name, text=exc.text, hint=exc.hint) from None


def _no_value(row: Row, name: str) -> None:
    sheet = row.part.sheet
    if not sheet.no_value:
        return
    col = row.columns.get(name)
    if col is not None and (row.number - 1, col) in sheet.no_value:
        # a Word table has no formulas: its cells listed hold a nested table
        raise Refused(
            "intake-nested-table" if sheet.kind == "docx" else "intake-no-value", column=name
        )


def read_block(block: Block, year: int) -> Reading:
    """A block's point, milestones and progress as text and dates; raises :class:`Refused`
    (with the row it concerns as ``exc.row``)."""
    row = block.first
    if row.part.sheet.no_value:
        for name in row.columns:
            _no_value(row, name)
    title = row.text("title")
    if not title:
        raise Refused("intake-no-title", column="title")
    pid = row.text("id")
    if pid and not is_valid_id(pid):
        raise Refused("intake-bad-id", column="id", id=pid)
    has = row.columns
    lead, units, _ = lead_and_units(
        row.text("lead") if "lead" in has else None,
        row.text("responsible") if "responsible" in has else None,
        row.text("units") if "units" in has else None,
    )
    major_text = row.text("major").lower()
    if major_text not in _YES and major_text not in _NO:
        raise Refused("intake-bad-major", column="major", text=row.text("major"))
    reading = Reading(
        [block],
        title,
        pid,
        row.text("group") or block.group_row or "",
        lead,
        units,
        row.text("path"),
        row.text("outcome"),
        major_text in _YES,
    )
    reading.closed = _day(row, "closed", year)
    if reading.closed is not None:
        reading.closing_evidence = row.text("closing_evidence") or "导入"
    for r in block.rows:
        try:
            _steps(r, reading, year)
        except Refused as exc:
            exc.row = r.place  # type: ignore[attr-defined]
            raise
    return reading


def _steps(row: Row, reading: Reading, year: int) -> None:
    if row.part.sheet.no_value:
        for name in ("ms_name", "due", "done", "evidence", "progress", "ms_key"):
            if row.text(name):
                _no_value(row, name)
    steps = split(row.text("ms_name"), row.cells.get("due"), reading.title, year)
    done = _day(row, "done", year)
    if done is not None and len(steps) != 1:
        raise Refused("intake-done-without-step", column="done")
    key = row.text("ms_key")
    for name, due in steps:
        ms: dict[str, Any] = {"key": key if len(steps) == 1 else "", "name": name, "due": due}
        if done is not None:
            ms["done"] = done
            if row.text("evidence"):
                ms["evidence"] = row.text("evidence")
        reading.milestones.append(ms)
        reading.step_rows.append(row.place)
    text = row.text("progress")
    if text and (not reading.progress or reading.progress[-1] != text):
        reading.progress.append(text)


def join_progress(texts: Sequence[str]) -> str:
    """Several 本月进展 of one point, in row order, as one entry."""
    out = ""
    for text in texts:
        if out and not out.endswith(("。", "；", ";", "！", "？", "\n")):
            out += "；"
        out += text
    return out


def read_points(
    table: Table, year: int, default_group: str | None, bad: list[tuple[Place, Why]]
) -> list[Reading]:
    """Every point of the tables, its rows joined by identity within a table; a point with any
    row refused is left out, each of its rows listed. The same point in two tables (its ID, or
    its title in its group, on two sheets) is refused at both."""
    readings: dict[tuple[str, ...], Reading] = {}
    failed: dict[tuple[str, ...], Place] = {}
    order: list[tuple[str, ...]] = []
    by_title: dict[tuple[str, ...], tuple[str, ...]] = {}  # (title, group, title) → identity
    for block in blocks(table, bad):
        row = block.first
        # the group as declared groups match it: 经济体制改革 is 经济体制改革专项小组
        group = _GROUP_TAIL.sub("", row.text("group") or block.group_row or default_group or "")
        ident = ("id", row.text("id")) if row.text("id") else ("title", group, row.text("title"))
        try:
            reading = read_block(block, year)
        except Refused as exc:
            place = getattr(exc, "row", row.place)
            bad.append(_refused(_row_at(block, place), exc))
            bad += [
                (r.place, r.reason("intake-with-bad-row", row=place))
                for r in block.rows
                if r.place != place
            ]
            failed.setdefault(ident, place)
            readings.pop(ident, None)
            continue
        if ident in failed:
            bad += [
                (r.place, r.reason("intake-with-bad-row", row=failed[ident])) for r in block.rows
            ]
            continue
        earlier = readings.get(ident)
        # a point by its ID in one table and by its title in another: the same title in the
        # same group is the same point
        titled = ("title", group, row.text("title"))
        gone = by_title.get(titled, ident) if earlier is None else ident
        cross = gone != ident and "title" in (gone[0], ident[0]) and gone in readings
        if cross and readings[gone].blocks[0].first.part.table != row.part.table:
            earlier = readings[gone]
        if earlier is None:
            readings[ident] = reading
            order.append(ident)
            by_title.setdefault(titled, ident)
            continue
        why: Why | None = None
        if earlier.blocks[0].first.part.table != row.part.table:
            name = "id" if ident[0] == "id" and gone == ident else "title"
            why = row.reason("intake-same-point-elsewhere", name, row=earlier.numbers[0])
        elif (earlier.lead, earlier.units) != (reading.lead, reading.units) and row.text("lead"):
            why = row.reason("intake-same-point-differs", "lead", row=earlier.numbers[0])
        else:
            twice = _same_step(earlier, reading)
            if twice is not None:
                why = row.reason("intake-duplicate-step", "ms_name", **twice)
        if why is not None:
            bad.append((row.place, why))
            bad += [
                (r.place, r.reason("intake-with-bad-row", row=row.place)) for r in block.rows[1:]
            ]
            bad += [
                (r.place, r.reason("intake-with-bad-row", row=row.place))
                for b in earlier.blocks
                for r in b.rows
            ]
            failed[ident] = failed[gone] = row.place
            readings.pop(ident, None)
            readings.pop(gone, None)
            continue
        earlier.blocks.append(block)
        earlier.milestones += reading.milestones
        earlier.step_rows += reading.step_rows
        earlier.progress += [t for t in reading.progress if t not in earlier.progress]
        earlier.closed = earlier.closed or reading.closed
        earlier.closing_evidence = earlier.closing_evidence or reading.closing_evidence
    return [readings[i] for i in order if i in readings]


def _same_step(earlier: Reading, reading: Reading) -> dict[str, Any] | None:
    """A milestone ``reading`` repeats from ``earlier`` (the same row twice): the same key, or
    the same name and due date where either has no key. Its row, name and due date."""
    by_key: dict[str, Place] = {}
    by_step: dict[tuple[str, dt.date], tuple[Place, str]] = {}
    for ms, n in zip(earlier.milestones, earlier.step_rows, strict=True):
        if ms["key"]:
            by_key[ms["key"]] = n
        by_step[ms["name"], ms["due"]] = (n, ms["key"])
    for ms in reading.milestones:
        row = by_key.get(ms["key"]) if ms["key"] else None
        if row is None and (ms["name"], ms["due"]) in by_step:
            at, key = by_step[ms["name"], ms["due"]]
            row = at if not (key and ms["key"]) else None
        if row is not None:
            return {"row": row, "name": ms["name"], "due": ms["due"]}
    return None


def _row_at(block: Block, place: Place) -> Row:
    return next((r for r in block.rows if r.place == place), block.first)


def deadline_year(table: Table) -> int | None:
    """The year most of the table's deadlines name (a date cell's year, or four digits)."""
    counts: dict[int, int] = {}
    for row in table.rows:
        if row.kind not in ("point", "more"):
            continue
        for name in ("due", "ms_name", "done"):
            value = row.cells.get(name)
            years: Iterable[int]
            if isinstance(value, dt.date):
                years = [value.year]
            elif isinstance(value, str) and "20" in value:
                years = [int(y) for y in _YEAR.findall(value)]
            else:
                continue
            for y in years:
                counts[y] = counts.get(y, 0) + (2 if name == "due" and "due" in row.columns else 1)
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], -y))


class Groups:
    """Group names matched to declared groups (by name or key, or the name with its
    专项小组/小组 ending taken away), and the new ones an import declares."""

    def __init__(self, declared: dict[str, str]) -> None:
        self.declared = declared
        self.new: dict[str, tuple[str, str]] = {}

    def key(self, name: str, lead: str) -> str:
        every = {**self.declared, **{k: n for k, (n, _) in self.new.items()}}
        if name in every and is_valid_id(name):
            return name
        exact = [k for k, n in every.items() if n == name]
        short = _GROUP_TAIL.sub("", name)
        found = exact or [k for k, n in every.items() if _GROUP_TAIL.sub("", n) == short]
        if len(found) > 1:
            names = "、".join(f"{every[k]}（{k}）" for k in found)
            raise Refused("intake-group-ambiguous", column="group", name=name, candidates=names)
        if found:
            return found[0]
        base = "g" + initials(short or name)
        key, n = base, 1
        while key in every:
            n += 1
            key = f"{base}{n}"
        self.new[key] = (name, lead)
        return key


def plan_import(
    table: Table,
    ledger: Ledger | None,
    *,
    year: int,
    default_group: str | None = None,
    month: str | None = None,
    tick: Callable[[], None] = lambda: None,
    only: set[Place] | None = None,
) -> ImportPlan:
    """What importing ``table`` would add to ``ledger`` (None: a new ledger of ``year``);
    rows it cannot read go to ``bad_rows``. ``only``: the row numbers to read (the new
    points of an ``--update``)."""
    plan = ImportPlan()
    bad: list[tuple[Place, Why]] = []
    if only is not None:
        rows = [r for r in table.rows if r.place in only]
        table = Table(table.parts, rows, table.side, table.title)
    readings = read_points(table, year, default_group, bad)
    declared = {u.key: u.name for u in ledger.units.values()} if ledger else {}
    units = Units(declared)
    for r in table.side.get("单位", [])[1:]:
        key, name = (cell_text(r[0]), cell_text(r[1])) if len(r) >= 2 else ("", "")
        fresh = key and name and is_valid_id(key) and key not in units.names()
        if fresh and units.match(name) is None:
            units.new[key] = name
    groups = Groups({g.key: g.name for g in ledger.groups.values()} if ledger else {})
    side_groups = {
        cell_text(r[1]): (cell_text(r[0]), cell_text(r[2]))
        for r in table.side.get("专项小组", [])[1:]
        if len(r) >= 3 and r[0] and r[1]
    }
    points: dict[str, PlannedPoint] = {}
    # (ID, group) of the ledger's points by title, in its order: a point without an ID is
    # looked up, not searched for among them all on each row
    titled: dict[str, list[tuple[str, str]]] = {}
    for known in ledger.points.values() if ledger else ():
        titled.setdefault(known.title, []).append((known.id, known.group))
    used_ids = set(ledger.points) if ledger else set()
    used_ids |= {r.pid for r in readings if r.pid}
    short = year % 100
    next_id = 1
    for reading in readings:
        tick()
        row = reading.blocks[0].first
        try:
            if reading.pid and ledger is not None and reading.pid in ledger.points:
                raise Refused("intake-point-exists", column="id", id=reading.pid)
            saved_units, saved_groups = dict(units.new), dict(groups.new)
            try:
                has = row.columns
                lead_col = "lead" if "lead" in has else "responsible"
                lead = _unit_key(units, reading.lead, lead_col)
                other_col = "units" if "units" in has else "responsible"
                others = [_unit_key(units, n, other_col) for n in reading.units]
                if reading.group:
                    side = side_groups.get(reading.group)
                    if side and is_valid_id(side[0]) and side[0] not in groups.declared:
                        if side[0] not in groups.new:
                            groups.new[side[0]] = (
                                reading.group,
                                units.key(side[1] or reading.lead),
                            )
                        group = side[0]
                    else:
                        group = groups.key(reading.group, lead)
                elif default_group is not None and ledger and default_group in ledger.groups:
                    group = default_group
                elif default_group is not None:  # a first import: --group names a new group
                    group = groups.key(default_group, lead)
                elif "group" in has:  # the column is there, the cell blank
                    raise Refused("intake-group-empty", column="group")
                else:
                    raise Refused("intake-no-group", column=None)
                if not reading.pid and ledger is not None:
                    same = [pid for pid, g in titled.get(reading.title, []) if g == group]
                    if same:
                        raise Refused("intake-title-exists", column="title", id=same[0])
            except Refused:
                units.new, groups.new = saved_units, saved_groups
                raise
        except Refused as exc:
            bad.append(_refused(row, exc))
            bad += [
                (r.place, r.reason("intake-with-bad-row", row=row.place))
                for b in reading.blocks
                for r in b.rows
                if r is not row
            ]
            continue
        pid = reading.pid
        if not pid:
            while f"R{short:02d}-{next_id:02d}" in used_ids:
                next_id += 1
            pid = f"R{short:02d}-{next_id:02d}"
            used_ids.add(pid)
        point = PlannedPoint(
            pid,
            reading.title,
            group,
            lead,
            [u for u in dict.fromkeys(others) if u != lead],
            reading.path,
            reading.outcome,
            reading.major,
        )
        point.closed, point.closing_evidence = reading.closed, reading.closing_evidence
        keys: set[str] = set()
        for ms in reading.milestones:
            key = ms["key"]
            if not key or not is_valid_id(key) or key in keys:
                n = len(keys) + 1
                while f"m{n}" in keys:
                    n += 1
                key = f"m{n}"
            keys.add(key)
            point.milestones.append({**ms, "key": key})
        if reading.progress and month:
            point.progress[month] = join_progress(reading.progress)
        points[pid] = point
    for r in table.side.get("月度进展", [])[1:]:
        if len(r) >= 3 and r[0] and cell_text(r[0]) in points and r[2]:
            points[cell_text(r[0])].progress[cell_text(r[1])] = cell_text(r[2])
    used = {p.lead for p in points.values()} | {u for p in points.values() for u in p.units}
    used |= {lead for _, lead in groups.new.values()}
    plan.units = {k: n for k, n in units.new.items() if k in used or k in _side_keys(table)}
    plan.groups = groups.new
    plan.points = sorted(points.values(), key=lambda p: natural_key(p.id))
    plan.bad_rows = sorted(bad, key=lambda b: b[0])
    return plan


def _unit_key(units: Units, name: str, column: str) -> str:
    try:
        return units.key(name)
    except Refused as exc:
        exc.args_.setdefault("column", column)
        raise


def _side_keys(table: Table) -> set[str]:
    return {cell_text(r[0]) for r in table.side.get("单位", [])[1:] if r}
