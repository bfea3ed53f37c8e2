"""The ledger as an Excel 台账 and back.

Export writes the flat table offices keep in Excel (one row per milestone, Chinese headers) plus
sheets of units, groups and monthly entries. Import reads such a table, mapping the headers
offices use (序号, 工作要点/改革任务, 牵头单位, 责任单位/配合单位, 实施路径, 成果形式, 完成时限,
进展情况...), and plans what it would add; rows it cannot read are listed, each with its row
number and why. Pure: files are read and written by the caller.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reformctl.model import (
    ImportPlan,
    Ledger,
    PlannedPoint,
    UpdatePlan,
    is_valid_id,
    natural_key,
)

COLUMNS = [
    "序号",
    "编号",
    "工作要点",
    "专项小组",
    "牵头单位",
    "配合单位",
    "实施路径",
    "成果形式",
    "重大改革事项",
    "节点编号",
    "节点",
    "完成时限",
    "完成日期",
    "佐证材料",
    "销号日期",
    "销号佐证",
]

SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "要点编号", "任务编号"),
    "title": ("工作要点", "改革任务", "改革事项", "任务名称", "重点任务", "工作任务"),
    "group": ("专项小组", "专项工作小组", "所属小组"),
    "lead": ("牵头单位", "牵头部门"),
    "units": ("配合单位", "责任单位", "参与单位", "协同单位"),
    "path": ("实施路径", "工作措施", "主要举措", "推进措施"),
    "outcome": ("成果形式", "预期成果"),
    "major": ("重大改革事项", "是否重大", "重大事项"),
    "ms_key": ("节点编号",),
    "ms_name": ("节点", "节点任务", "阶段任务", "时间节点任务"),
    "due": ("完成时限", "完成时间", "时间节点", "截止时间"),
    "done": ("完成日期", "实际完成时间"),
    "evidence": ("佐证材料", "文号", "完成佐证"),
    "progress": ("进展情况", "最新进展", "本月进展"),
    "closed": ("销号日期",),
    "closing_evidence": ("销号佐证",),
}
_YES = {"是", "yes", "true", "y", "√", "✓", "1", "重大"}
_SPLIT_UNITS = re.compile(r"[、,，;；/\s]+")


# -- export ----------------------------------------------------------------------------------------
def export_rows(ledger: Ledger, tick: Callable[[], None] = lambda: None) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n, p in enumerate(ledger.points.values(), 1):
        tick()
        base = [
            n,
            p.id,
            p.title,
            ledger.group_name(p.group),
            ledger.unit_name(p.lead),
            "、".join(ledger.unit_name(u) for u in p.units),
            p.path,
            p.outcome,
            "是" if p.major else "否",
        ]
        tail = [p.closed or "", p.closing_evidence or ""]
        if not p.milestones:
            rows.append([*base, "", "", "", "", "", *tail])
        for m in p.milestones:
            rows.append([*base, m.key, m.name, m.due_now, m.done or "", m.evidence or "", *tail])
    return rows


def template_rows(ledger: Ledger, unit: str, month: str) -> tuple[list[str], list[list[Any]]]:
    """A unit's return form: the 台账 rows of the points it leads, open ones only, plus a
    本月进展 column holding this month's entry where there is one."""
    headers = [*COLUMNS, "本月进展"]
    rows = []
    points = [p for p in ledger.points.values() if p.lead == unit and p.closed is None]
    for row in export_rows(
        Ledger(ledger.file, ledger.settings, ledger.units, ledger.groups, {p.id: p for p in points})
    ):
        entry = {e.month: e.text for e in ledger.points[row[1]].progress}.get(month, "")
        rows.append([*row, entry])
    return headers, rows


def export_sheets(
    ledger: Ledger, tick: Callable[[], None] = lambda: None
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    return {
        "台账": (COLUMNS, export_rows(ledger, tick)),
        "单位": (["代码", "名称"], [[u.key, u.name] for u in ledger.units.values()]),
        "专项小组": (
            ["代码", "名称", "牵头单位"],
            [[g.key, g.name, ledger.unit_name(g.lead)] for g in ledger.groups.values()],
        ),
        "月度进展": (
            ["编号", "月份", "进展情况"],
            [[p.id, e.month, e.text] for p in ledger.points.values() for e in p.progress],
        ),
    }


def cell_text(row: Sequence[Any], i: int | None) -> str:
    """A cell as text: empty for a missing one, ``3`` for a spreadsheet's ``3.0``, trimmed."""
    value = row[i] if i is not None and i < len(row) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# -- import ----------------------------------------------------------------------------------------
def parse_day(value: Any, *, year: int | None = None, deadline: bool = False) -> dt.date:
    """A date cell or a date as offices type it, read by :mod:`reformctl.datetext`: a deadline
    (完成时限: ``6月底前``, ``第三季度`` too) or a day (完成日期, 销号日期); ``year`` completes
    ``6月30日``. Refused as a ValueError whose text names the cell and the hint."""
    from reformctl.datetext import DateTextError, parse_deadline
    from reformctl.datetext import parse_day as read_day
    from reformctl.i18n import tr

    try:
        return (parse_deadline if deadline else read_day)(value, year=year)
    except DateTextError as exc:
        hint = f"：{tr(exc.hint, 'zh')}" if exc.hint else ""
        raise ValueError(f"无法识别的日期“{exc.text}”{hint}") from None


def _header_map(header: Sequence[Any]) -> dict[str, int]:
    names = [str(h).strip() if h is not None else "" for h in header]
    found: dict[str, int] = {}
    for field_name, synonyms in SYNONYMS.items():
        for i, name in enumerate(names):
            if name in synonyms and field_name not in found and i not in found.values():
                found[field_name] = i
                break
    return found


def find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    """The header row (among the first ten) and its column map: the first naming a work point
    and another column. Rows above it (a title, an as-of row, a note) are skipped; a title
    merged across the columns reads as the same text in each, so one name alone is not
    enough, unless no row has more (a one-column list of work points)."""
    alone = None
    for i, row in enumerate(rows[:10]):
        mapping = _header_map(row)
        if "title" in mapping:
            if len(mapping) > 1:
                return i, mapping
            alone = alone or (i, mapping)
    return alone


class _Keys:
    """New keys that collide with nothing: u1, u2... for units, g1... for groups."""

    def __init__(self, prefix: str, taken: Iterable[str]) -> None:
        self.prefix, self.taken, self.n = prefix, set(taken), 0

    def next(self) -> str:
        while True:
            self.n += 1
            key = f"{self.prefix}{self.n}"
            if key not in self.taken:
                self.taken.add(key)
                return key


def plan_import(
    rows: Sequence[Sequence[Any]],
    ledger: Ledger,
    *,
    default_group: str | None = None,
    units_sheet: Sequence[Sequence[Any]] = (),
    groups_sheet: Sequence[Sequence[Any]] = (),
    progress_sheet: Sequence[Sequence[Any]] = (),
    month: str | None = None,
    tick: Callable[[], None] = lambda: None,
) -> ImportPlan:
    """What importing ``rows`` would add to ``ledger``; unreadable rows go to ``bad_rows``."""
    plan = ImportPlan()
    found = find_header(rows)
    if found is None:
        plan.bad_rows.append((1, "找不到表头：需要“工作要点”或“改革任务”列"))
        return plan
    head_row, col = found
    unit_by_name = {u.name: u.key for u in ledger.units.values()}
    group_by_name = {g.name: g.key for g in ledger.groups.values()}
    for key, name in ((r[0], r[1]) for r in units_sheet[1:] if len(r) >= 2 and r[0] and r[1]):
        if str(name) not in unit_by_name and is_valid_id(str(key)) and str(key) not in ledger.units:
            plan.units[str(key)] = str(name)
            unit_by_name[str(name)] = str(key)
    unit_keys = _Keys("u", [*ledger.units, *plan.units])
    group_keys = _Keys("g", ledger.groups)

    def unit(name: str) -> str:
        name = name.strip()
        if name in ledger.units or name in plan.units:
            return name  # already a key
        if name not in unit_by_name:
            key = unit_keys.next()
            plan.units[key] = name
            unit_by_name[name] = key
        return unit_by_name[name]

    for r in groups_sheet[1:]:
        if (
            len(r) >= 3
            and r[0]
            and r[1]
            and str(r[1]) not in group_by_name
            and is_valid_id(str(r[0]))
        ):
            plan.groups[str(r[0])] = (str(r[1]), unit(str(r[2])))
            group_by_name[str(r[1])] = str(r[0])
            group_keys.taken.add(str(r[0]))

    def group(name: str, lead: str) -> str:
        name = name.strip()
        if name in ledger.groups or name in plan.groups:
            return name
        if name not in group_by_name:
            key = group_keys.next()
            plan.groups[key] = (name, lead)
            group_by_name[name] = key
        return group_by_name[name]

    year = ledger.settings.year % 100
    used_ids = set(ledger.points)
    points: dict[str, PlannedPoint] = {}
    by_title: dict[str, str] = {}
    next_id = 1

    def cell(row: Sequence[Any], name: str) -> str:
        return cell_text(row, col.get(name))

    for number, row in enumerate(rows[head_row + 1 :], start=head_row + 2):
        tick()
        if not any(v not in (None, "") for v in row):
            continue
        try:
            title = cell(row, "title")
            if not title:
                raise ValueError("“工作要点”为空")
            lead_name = cell(row, "lead")
            if not lead_name:
                raise ValueError("“牵头单位”为空")
            lead = unit(lead_name)
            group_name = cell(row, "group")
            if group_name:
                group_key = group(group_name, lead)
            elif default_group is not None:
                group_key = default_group
            else:
                raise ValueError("没有“专项小组”列，请用 --group 指定")
            pid = cell(row, "id") or by_title.get(title, "")
            if pid and not is_valid_id(pid):
                raise ValueError(f"编号 {pid} 不合法")
            if pid in ledger.points:
                raise ValueError(f"工作要点 {pid} 已在台账中")
            due_raw = row[col["due"]] if "due" in col and col["due"] < len(row) else None
            ymd = ledger.settings.year
            due = parse_day(due_raw, year=ymd, deadline=True) if due_raw not in (None, "") else None
            done_raw = row[col["done"]] if "done" in col and col["done"] < len(row) else None
            done = parse_day(done_raw, year=ymd) if done_raw not in (None, "") else None
            closed_raw = (
                row[col["closed"]] if "closed" in col and col["closed"] < len(row) else None
            )
            closed = parse_day(closed_raw, year=ymd) if closed_raw not in (None, "") else None
        except ValueError as exc:
            detail = str(exc)
            if detail and not detail.startswith(("“", "没有", "编号", "工作要点", "无法识别")):
                detail = f"无法识别的日期“{detail}”"
            plan.bad_rows.append((number, detail))
            continue
        if not pid:
            while f"R{year:02d}-{next_id:02d}" in used_ids:
                next_id += 1
            pid = f"R{year:02d}-{next_id:02d}"
        if pid not in points:
            used_ids.add(pid)
            units = [unit(u) for u in _SPLIT_UNITS.split(cell(row, "units")) if u]
            points[pid] = PlannedPoint(
                pid,
                title,
                group_key,
                lead,
                [u for u in dict.fromkeys(units) if u != lead],
                cell(row, "path"),
                cell(row, "outcome"),
                cell(row, "major").lower() in _YES,
            )
            by_title[title] = pid
        point = points[pid]
        if closed is not None:
            point.closed = closed
            point.closing_evidence = cell(row, "closing_evidence") or "导入"
        if due is not None:
            key = cell(row, "ms_key") or f"m{len(point.milestones) + 1}"
            if not is_valid_id(key) or any(m["key"] == key for m in point.milestones):
                key = f"m{len(point.milestones) + 1}"
            ms: dict[str, Any] = {"key": key, "name": cell(row, "ms_name") or title, "due": due}
            if done is not None:
                ms["done"] = done
                if cell(row, "evidence"):
                    ms["evidence"] = cell(row, "evidence")
            point.milestones.append(ms)
        progress = cell(row, "progress")
        if progress and month:
            point.progress[month] = progress
    for r in progress_sheet[1:]:
        if len(r) >= 3 and r[0] and str(r[0]) in points and r[2]:
            points[str(r[0])].progress[str(r[1])] = str(r[2])
    plan.points = sorted(points.values(), key=lambda p: natural_key(p.id))
    return plan


def plan_update(
    rows: Sequence[Sequence[Any]],
    ledger: Ledger,
    *,
    month: str,
    today: dt.date,
    unit: str | None = None,
    progress_sheet: Sequence[Sequence[Any]] = (),
    default_group: str | None = None,
) -> UpdatePlan:
    """Compare an exported (and edited) 台账 with the ledger: done dates and evidence recorded,
    new milestones, this month's progress, new points. A row whose 完成时限 differs from the due
    date in force is not an edit import makes (an extension is granted with ``extend``); a row
    whose done date contradicts the ledger is refused rather than guessed at. With ``unit``,
    rows of points that unit does not lead are outside its remit."""
    plan = UpdatePlan()
    found = find_header(rows)
    if found is None:
        plan.bad_rows.append((1, "找不到表头：需要“工作要点”或“改革任务”列"))
        return plan
    head_row, col = found
    by_title = {p.title: p.id for p in ledger.points.values()}
    new_rows: list[Sequence[Any]] = [rows[head_row]]
    new_numbers: list[int] = []
    seen_progress: set[str] = set()
    new_keys: dict[str, set[str]] = {}

    def cell(row: Sequence[Any], name: str) -> str:
        return cell_text(row, col.get(name))

    def day(row: Sequence[Any], name: str) -> dt.date | None:
        i = col.get(name)
        raw = row[i] if i is not None and i < len(row) else None
        if raw in (None, ""):
            return None
        return parse_day(raw, year=ledger.settings.year, deadline=name == "due")

    for number, row in enumerate(rows[head_row + 1 :], start=head_row + 2):
        if not any(v not in (None, "") for v in row):
            continue
        pid = cell(row, "id") or by_title.get(cell(row, "title"), "")
        point = ledger.points.get(pid)
        if point is None:
            if unit is not None:
                plan.outside.append((number, f"新增工作要点“{cell(row, 'title')}”须由改革办导入"))
                continue
            new_rows.append(row)
            new_numbers.append(number)
            continue
        if unit is not None and point.lead != unit:
            lead = ledger.unit_name(point.lead)
            plan.outside.append((number, f"工作要点 {pid} 由{lead}牵头，不在本单位职责范围内"))
            continue
        try:
            due = day(row, "due")
            done = day(row, "done")
            key = cell(row, "ms_key")
            ms = point.milestone(key) if key else None
            evidence = cell(row, "evidence") or None
            if ms is not None:
                if due is not None and due != ms.due_now:
                    raise ValueError(
                        f"节点 {ms.ref} 的完成时限 {due} 与台账（{ms.due_now}）不一致，"
                        "调整时限请用 extend 申请延期"
                    )
                if done is not None and done > today:
                    raise ValueError(f"完成日期 {done} 晚于今天")
                if done is not None and ms.done is None:
                    plan.done.append((pid, ms.key, done, evidence))
                elif done is not None and ms.done is not None and done != ms.done:
                    raise ValueError(
                        f"节点 {ms.ref} 的完成日期 {done} 与台账（{ms.done}）不一致，"
                        "如需更正请先用 undone 撤销"
                    )
                elif ms.done is not None and evidence and evidence != ms.evidence:
                    plan.evidence.append((pid, ms.key, evidence))
                elif ms.done is None and done is None and evidence:
                    raise ValueError(f"节点 {ms.ref} 填了佐证材料，但没有完成日期")
            elif key or cell(row, "ms_name"):
                if due is None:
                    raise ValueError("新增节点缺少“完成时限”")
                taken = new_keys.setdefault(pid, set())
                if not key:
                    n = len(point.milestones) + len(taken) + 1
                    while point.milestone(f"m{n}") or f"m{n}" in taken:
                        n += 1
                    key = f"m{n}"
                if not is_valid_id(key):
                    raise ValueError(f"节点编号 {key} 不合法")
                if key in taken:
                    raise ValueError(f"节点编号 {key} 重复")
                taken.add(key)
                plan.milestones.append((pid, key, cell(row, "ms_name") or point.title, due))
                if done is not None:
                    raise ValueError("新增节点请先登记，完成情况用 done 记录")
        except ValueError as exc:
            plan.bad_rows.append((number, str(exc)))
            continue
        text = cell(row, "progress")
        current = {e.month: e.text for e in point.progress}.get(month)
        if text and text != current and pid not in seen_progress:
            seen_progress.add(pid)
            plan.progress.append((pid, month, text))
    if len(new_rows) > 1:
        plan.new = plan_import(
            new_rows,
            ledger,
            default_group=default_group,
            progress_sheet=progress_sheet,
            month=month,
        )
        # plan_import numbers rows from its own table: give them back their sheet row numbers
        plan.bad_rows += [(new_numbers[n - 2], why) for n, why in plan.new.bad_rows]
        plan.new.bad_rows = []
    plan.bad_rows.sort()
    return plan
