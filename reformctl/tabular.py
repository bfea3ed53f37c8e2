"""The ledger as an Excel 台账: the flat table offices keep in Excel (one row per milestone,
Chinese headers) plus sheets of units, groups and monthly entries, and a unit's return form.
Reading such a table back is :mod:`reformctl.intake`'s. Pure: files are written by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reformctl.model import (
    Ledger,
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
