"""Where things stand: the overdue milestones (`overdue`, the circular's 逾期未完成节点) and the
ranked progress table (`progress`, the circulars' rankings), as display tables and JSON records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reformctl.i18n import label, tr
from reformctl.model import Ledger
from reformctl.ranking import RankRow
from reformctl.render.table import Column, NotedDate, Table, share
from reformctl.render.views import humane_days, light_words, titled
from reformctl.schedule import DueItem


def _c(code: str, lang: str, **kw: Any) -> Column:
    return Column(label(f"col-{code}", lang), **kw)


# -- overdue
def due_record(item: DueItem) -> dict[str, Any]:
    ms = item.milestone
    return {
        "point": item.point.id,
        "milestone": ms.key,
        "name": ms.name,
        "due": ms.due_now,
        "days_overdue": item.days_overdue,
        "lead": item.point.lead,
        "group": item.point.group,
        "baseline_due": ms.due,
        "extensions": len(ms.extensions),
        "title": item.point.title,
        "major": item.point.major,
        "file": ms.loc.file,
        "line": ms.loc.line,
    }


def overdue_table(ledger: Ledger, items: list[DueItem], lang: str, today: dt.date) -> Table:
    # (a unit's name looked up once a unit, not once a row: 10,000 points have ~7,000 rows)
    names: dict[str, str] = {}
    rows = []
    for i in items:
        ms = i.milestone
        lead = i.point.lead
        name = names.get(lead)
        if name is None:
            name = names[lead] = ledger.unit_name(lead)
        rows.append(
            (ms.ref, ms.name, i.point.title, name, ms.due_now, len(ms.extensions), i.days_overdue)
        )
    return due_table(rows, lang, titled(ledger, today, lang))


def due_table(
    rows: Sequence[tuple[str, str, str, str, dt.date, int, int]], lang: str, title: str
) -> Table:
    """Open milestones, each (ref, name, the point's title, the lead unit's name, the due date
    in force, extensions, days overdue): `overdue` and the circular's 逾期未完成节点."""
    table = Table(
        [
            _c("milestone", lang, nowrap=True),
            _c("name", lang, clip=True),
            _c("title", lang, clip=True, optional=True),
            # whole where it fits; shortened (省数据管…) before a milestone's name below 8 cells
            _c("lead", lang, key=True, clip=True),
            _c("due", lang, nowrap=True),
            _c("state", lang, nowrap=True),
        ],
        title=title,
    )
    # each day count's words and each number of extensions' note made once, not once a row
    days_words: dict[int, str] = {}
    notes: dict[int, str] = {}
    cells = table.rows
    lights = table.lights
    for ref, name, point_title, lead_name, due, extensions, days in rows:
        if extensions:
            note = notes.get(extensions)
            if note is None:
                text = tr("extended-times", lang, n=extensions)
                note = notes[extensions] = f" ({text})" if lang == "en" else f"（{text}）"
            due = NotedDate(due, note)
        words = days_words.get(days)
        if words is None:
            words = days_words[days] = humane_days(days, lang)
        cells.append([ref, name, point_title, lead_name, due, words])  # (Table.add's, inline)
        lights.append("red" if days > 0 else "yellow")
    if not rows:
        table.notes.append(tr("no-rows", lang))
    return table


# -- progress
def progress_records(rows: list[RankRow]) -> list[dict[str, Any]]:
    return [
        {
            "rank": r.rank,
            "key": r.key,
            "name": r.name,
            "milestones": r.counts.milestones,
            "due_to_date": r.counts.due_to_date,
            "done": r.counts.done,
            "done_late": r.counts.done_late,
            "overdue": r.counts.overdue,
            "completion": r.counts.completion,
            "expected": r.counts.expected,
            "due_soon": r.counts.due_soon,
            "office": r.office,
        }
        for r in rows
    ]


def rank_light(row: RankRow) -> str | None:
    c = row.counts
    if c.overdue:
        return "red"
    if c.completion < c.expected or c.due_soon:
        return "yellow"
    return "green"


def progress_table(
    ledger: Ledger, rows: list[RankRow], by: str, lang: str, today: dt.date
) -> Table:
    return ranking_table(rows, by, lang, titled(ledger, today, lang))


def ranking_table(rows: Sequence[RankRow], by: str, lang: str, title: str) -> Table:
    table = Table(
        [
            _c("rank", lang, align="right", nowrap=True),
            Column(label(f"by-{by}", lang).capitalize(), key=by in ("unit", "coop"), clip=True),
            _c("milestones", lang, align="right"),
            _c("due_to_date", lang, align="right"),
            _c("done", lang, align="right"),
            _c("done_late", lang, align="right"),
            _c("overdue", lang, align="right"),
            _c("completion", lang, align="right", bar=True),
            _c("expected", lang, align="right"),
        ],
        title=title,
        notes=[tr("ranking-rule", lang)],
        light_words=light_words(lang),  # no status column: without colour, the light in words
    )
    for r in rows:
        c = r.counts
        table.add(
            [
                r.rank,
                r.name + tr("rank-office-mark", lang) if r.office else r.name,
                c.milestones,
                c.due_to_date,
                c.done,
                c.done_late,
                c.overdue,
                c.completion,
                share(c.expected),
            ],
            rank_light(r),
        )
    return table
