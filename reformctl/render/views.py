"""What each read command shows: display tables and JSON records built from computed views.

JSON keys are the contract's (plus a few extras); display columns are in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reformctl.history import HistoryRow
from reformctl.i18n import label, tr
from reformctl.model import Ledger, Point
from reformctl.ranking import RankRow
from reformctl.render import Column, Table, percent
from reformctl.schedule import (
    MS_DONE_LATE,
    MS_DUE_SOON,
    MS_DUE_TODAY,
    MS_OVERDUE,
    DueItem,
    PointView,
    milestone_state,
)

STATUS_LIGHT = {
    "overdue": "red",
    "behind": "yellow",
    "on_track": "green",
    "ahead": "green",
    "done": "green",
    "closed": "dim",
    "not_started": None,
}
STATE_LIGHT = {MS_OVERDUE: "red", MS_DUE_TODAY: "yellow", MS_DUE_SOON: "yellow", MS_DONE_LATE: None}


def humane_days(days_overdue: int, lang: str) -> str:
    """逾期3天 / 今日到期 / 3天后到期."""
    if days_overdue == 0:
        return tr("due-today", lang)
    code = "days-overdue" if days_overdue > 0 else "days-left"
    n = abs(days_overdue)
    return tr(code + ("-1" if n == 1 else ""), lang, n=n)


def titled(ledger: Ledger, today: dt.date, lang: str) -> str:
    """The ledger's title with the day it is judged at."""
    return tr("titled", lang, title=ledger.settings.title, today=today)


def _c(code: str, lang: str, **kw: Any) -> Column:
    return Column(label(f"col-{code}", lang), **kw)


# -- list ----------------------------------------------------------------------------------------
def list_table(ledger: Ledger, views: list[PointView], lang: str, today: dt.date) -> Table:
    table = Table(
        [
            _c("id", lang, nowrap=True),
            _c("title", lang),
            _c("group", lang),
            _c("lead", lang),
            _c("status", lang, nowrap=True),
            _c("progress", lang, align="right", bar=True),
            _c("expected", lang, align="right"),
        ],
        title=titled(ledger, today, lang),
    )
    for v in views:
        p = v.point
        table.add(
            [
                p.id,
                p.title,
                ledger.group_name(p.group),
                ledger.unit_name(p.lead),
                label(f"status-{v.status}", lang),
                v.progress,
                percent(v.counts.expected),
            ],
            STATUS_LIGHT[v.status],
        )
    return table


def list_records(views: list[PointView]) -> list[dict[str, Any]]:
    return [
        {
            "id": v.point.id,
            "title": v.point.title,
            "group": v.point.group,
            "lead": v.point.lead,
            "status": v.status,
            "progress": v.progress,
            "units": list(v.point.units),
            "major": v.point.major,
            "milestones": v.counts.milestones,
            "due_to_date": v.counts.due_to_date,
            "done": v.counts.done,
            "overdue": v.counts.overdue,
            "expected": v.counts.expected,
            "closed": v.point.closed,
        }
        for v in views
    ]


# -- overdue -------------------------------------------------------------------------------------
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
    table = Table(
        [
            _c("milestone", lang, nowrap=True),
            _c("name", lang),
            _c("title", lang),
            _c("lead", lang),
            _c("due", lang, nowrap=True),
            _c("state", lang, nowrap=True),
        ],
        title=titled(ledger, today, lang),
    )
    for item in items:
        ms = item.milestone
        due = ms.due_now.isoformat()
        if ms.extensions:
            due += f"（{tr('extended-times', lang, n=len(ms.extensions))}）"
        table.add(
            [
                ms.ref,
                ms.name,
                item.point.title,
                ledger.unit_name(item.point.lead),
                due,
                humane_days(item.days_overdue, lang),
            ],
            "red" if item.overdue else "yellow",
        )
    if not items:
        table.notes.append(tr("no-rows", lang))
    return table


# -- progress ------------------------------------------------------------------------------------
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
    table = Table(
        [
            _c("rank", lang, align="right", nowrap=True),
            Column(label(f"by-{by}", lang)),
            _c("milestones", lang, align="right"),
            _c("due_to_date", lang, align="right"),
            _c("done", lang, align="right"),
            _c("done_late", lang, align="right"),
            _c("overdue", lang, align="right"),
            _c("completion", lang, align="right", bar=True),
            _c("expected", lang, align="right"),
        ],
        title=titled(ledger, today, lang),
        notes=[tr("ranking-rule", lang)],
    )
    for r in rows:
        c = r.counts
        table.add(
            [
                r.rank,
                r.name,
                c.milestones,
                c.due_to_date,
                c.done,
                c.done_late,
                c.overdue,
                c.completion,
                percent(c.expected),
            ],
            rank_light(r),
        )
    return table


# -- show ----------------------------------------------------------------------------------------
def show_record(ledger: Ledger, view: PointView, today: dt.date) -> dict[str, Any]:
    p = view.point
    soon = ledger.settings.soon_days
    return {
        "id": p.id,
        "title": p.title,
        "group": p.group,
        "lead": p.lead,
        "units": list(p.units),
        "path": p.path,
        "outcome": p.outcome,
        "major": p.major,
        "status": view.status,
        "progress": view.progress,
        "expected": view.counts.expected,
        "closed": p.closed,
        "closing_evidence": p.closing_evidence,
        "carried_from": p.carried_from,
        "milestones": [
            {
                "key": ms.key,
                "name": ms.name,
                "due": ms.due_now,
                "baseline_due": ms.due,
                "done": ms.done,
                "evidence": ms.evidence,
                "state": milestone_state(ms, today, soon),
                "extensions": [
                    {
                        "to": e.to,
                        "reason": e.reason,
                        "approved_by": e.approved_by,
                        "granted": e.granted,
                    }
                    for e in ms.extensions
                ],
            }
            for ms in p.milestones
        ],
        "progress_entries": [{"month": e.month, "text": e.text} for e in p.progress],
        "file": p.loc.file,
        "line": p.loc.line,
    }


def show_tables(ledger: Ledger, view: PointView, lang: str, today: dt.date) -> list[Table]:
    p: Point = view.point
    yes_no = label("yes" if p.major else "no", lang)
    none = label("none", lang)
    fields = Table([Column(""), Column("")], title=f"{p.id}  {p.title}", show_header=False)
    for key, value in (
        ("group", ledger.group_name(p.group)),
        ("lead", ledger.unit_name(p.lead)),
        ("units", "、".join(ledger.unit_name(u) for u in p.units) or none),
        ("path", p.path),
        ("outcome", p.outcome),
        ("major", yes_no),
        ("status", label(f"status-{view.status}", lang)),
        (
            "progress",
            tr(
                "progress-vs-expected",
                lang,
                done=percent(view.progress),
                expected=percent(view.counts.expected),
            ),
        ),
    ):
        fields.add([label(f"f-{key}", lang), value])
    if p.closed:
        fields.add([label("f-closed", lang), f"{p.closed}  {p.closing_evidence or ''}"], "dim")
    if p.carried_from:
        fields.add([label("f-carried_from", lang), p.carried_from])
    soon = ledger.settings.soon_days
    milestones = Table(
        [
            _c("key", lang, nowrap=True),
            _c("milestone", lang),
            _c("due", lang, nowrap=True),
            _c("baseline", lang, nowrap=True),
            _c("done_on", lang, nowrap=True),
            _c("evidence", lang),
            _c("state", lang, nowrap=True),
        ]
    )
    for ms in p.milestones:
        state = milestone_state(ms, today, soon)
        text = label(f"ms-{state}", lang)
        if state in (MS_OVERDUE, MS_DUE_SOON):
            text = humane_days((today - ms.due_now).days, lang)
        milestones.add(
            [
                ms.key,
                ms.name,
                ms.due_now,
                ms.due if ms.extensions else "",
                ms.done or "",
                ms.evidence or "",
                text,
            ],
            STATE_LIGHT.get(state, "green" if ms.done else None),
        )
    tables = [fields, milestones]
    if p.progress:
        entries = Table([_c("month", lang, nowrap=True), _c("entry", lang)])
        for e in p.progress:
            entries.add([e.month, e.text])
        tables.append(entries)
    return tables


# -- history -------------------------------------------------------------------------------------
def history_table(rows: list[HistoryRow], title: str, lang: str) -> Table:
    table = Table(
        [
            _c("when", lang, nowrap=True),
            Column("commit", nowrap=True),
            _c("milestones", lang, align="right"),
            _c("done", lang, align="right"),
            _c("overdue", lang, align="right"),
            _c("completion", lang, align="right", bar=True),
            _c("expected", lang, align="right"),
        ],
        title=title,
    )
    for r in rows:
        c = r.counts
        light = "red" if c.overdue else ("yellow" if c.completion < c.expected else "green")
        table.add(
            [
                r.day.isoformat(),
                r.commit,
                c.milestones,
                c.done,
                c.overdue,
                c.completion,
                percent(c.expected),
            ],
            light,
        )
    if not rows:
        table.notes.append(tr("no-rows", lang))
    return table


def history_records(rows: list[HistoryRow]) -> list[dict[str, Any]]:
    return [
        {
            "date": r.day,
            "commit": r.commit,
            "milestones": r.counts.milestones,
            "due_to_date": r.counts.due_to_date,
            "done": r.counts.done,
            "overdue": r.counts.overdue,
            "completion": r.counts.completion,
            "expected": r.counts.expected,
        }
        for r in rows
    ]
