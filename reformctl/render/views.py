"""What each read command shows: display tables and JSON records built from computed views.

JSON keys are the documented, stable ones (plus a few extras); display columns are in the
reader's language.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reformctl import records
from reformctl.i18n import has_label, label, tr
from reformctl.lookup import group_counts, unit_counts
from reformctl.model import Ledger, Point, point_fields
from reformctl.render.table import Column, Table, percent, share
from reformctl.schedule import (
    MS_DONE_LATE,
    MS_DUE_SOON,
    MS_DUE_TODAY,
    MS_OVERDUE,
    PointView,
    milestone_state,
)

if TYPE_CHECKING:  # only `history` builds its rows: the other commands need not import it
    from reformctl.history import HistoryRow

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


@functools.lru_cache(maxsize=4096)  # (a table of 7,000 overdue milestones has a few hundred)
def humane_days(days_overdue: int, lang: str) -> str:
    """逾期3天 / 今日到期 / 3天后到期."""
    if days_overdue == 0:
        return tr("due-today", lang)
    code = "days-overdue" if days_overdue > 0 else "days-left"
    n = abs(days_overdue)
    return tr(code + ("-1" if n == 1 else ""), lang, n=n)


def light_words(lang: str) -> tuple[str, dict[str, str]]:
    """The header and words of a warning-light column (红/黄/绿/灰)."""
    lights = ("red", "yellow", "green", "dim")
    return label("col-light", lang), {x: label(f"light-{x}", lang) for x in lights}


def titled(ledger: Ledger, today: dt.date, lang: str) -> str:
    """The ledger's title with the day it is judged at."""
    return tr("titled", lang, title=ledger.settings.title, today=today)


def _c(code: str, lang: str, **kw: Any) -> Column:
    return Column(label(f"col-{code}", lang), **kw)


# -- list
def list_table(ledger: Ledger, views: list[PointView], lang: str, today: dt.date) -> Table:
    table = Table(
        [
            _c("id", lang, nowrap=True),
            _c("title", lang, clip=True),
            _c("group", lang, clip=True, optional=True),
            _c("lead", lang, key=True),
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
                share(v.counts.expected),
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


# -- show
def show_record(ledger: Ledger, view: PointView, today: dt.date) -> dict[str, Any]:
    p = view.point
    soon = ledger.settings.soon_days
    return {
        "id": p.id,
        **point_fields(p),
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
                "extensions": [records.as_dict(e) for e in ms.extensions],
            }
            for ms in p.milestones
        ],
        "progress_entries": [{"month": e.month, "text": e.text} for e in p.progress],
        "feedback": [
            {"id": f.id, "on": f.on, "outpost": f.outpost, "text": f.text}
            for f in ledger.feedback.values()
            if f.point == p.id
        ],
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
            _c("ms-key", lang, nowrap=True),
            _c("ms-name", lang),
            _c("due", lang, nowrap=True),
            _c("baseline", lang, nowrap=True, optional=True),  # also under 延期记录
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
    extended = [ms for ms in p.milestones if ms.extensions]
    if extended:
        moves = Table(
            [
                _c("ms-key", lang, nowrap=True),
                _c("from", lang, nowrap=True),
                _c("to", lang, nowrap=True),
                _c("reason", lang),
                _c("approved_by", lang),
                _c("granted", lang, nowrap=True),
            ],
            title=label("extensions", lang),
        )
        for ms in extended:
            before = ms.due
            for ext in ms.extensions:
                approver = ledger.unit_name(ext.approved_by) if ext.approved_by else ""
                moves.add([ms.key, before, ext.to, ext.reason, approver, ext.approved or ""])
                before = ext.to
        tables.append(moves)
    if p.progress:
        entries = Table([_c("month", lang, nowrap=True), _c("entry", lang)])
        for e in p.progress:
            entries.add([e.month, e.text])
        tables.append(entries)
    feedback = [f for f in ledger.feedback.values() if f.point == p.id]
    if feedback:
        table, _ = feedback_view(ledger, lang, p.id, None)
        tables.append(table)
    return tables


# -- units and groups
def units_view(ledger: Ledger, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    counts = unit_counts(ledger)
    table = Table(
        [
            _c("key", lang, nowrap=True),
            _c("name", lang),
            _c("points-led", lang, align="right"),
            _c("milestones-led", lang, align="right"),
            _c("points-coop", lang, align="right"),
        ]
    )
    records = []
    for key, unit in ledger.units.items():
        led, milestones, coop = counts[key]
        table.add([key, unit.name, led, milestones, coop])
        records.append(
            {
                "key": key,
                "name": unit.name,
                "points": led,
                "milestones": milestones,
                "co_operating": coop,
            }
        )
    return table, records


def groups_view(ledger: Ledger, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    counts = group_counts(ledger)
    table = Table(
        [
            _c("key", lang, nowrap=True),
            _c("name", lang),
            _c("lead", lang),
            _c("points", lang, align="right"),
            _c("ms-count", lang, align="right"),
        ]
    )
    records = []
    for key, group in ledger.groups.items():
        points, milestones = counts[key]
        table.add([key, group.name, ledger.unit_name(group.lead), points, milestones])
        records.append(
            {
                "key": key,
                "name": group.name,
                "lead": group.lead,
                "points": points,
                "milestones": milestones,
            }
        )
    return table, records


# -- history
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
        if c is None:
            table.add(
                [
                    r.day.isoformat(),
                    r.commit,
                    label("invalid-revision", lang),
                    "",
                    "",
                    "",
                    r.invalid or "",
                ],
                "red",
            )
            continue
        light = "red" if c.overdue else ("yellow" if c.completion < c.expected else "green")
        table.add(
            [
                r.day.isoformat(),
                r.commit,
                c.milestones,
                c.done,
                c.overdue,
                c.completion,
                share(c.expected),
            ],
            light,
        )
    if not rows:
        table.notes.append(tr("no-rows", lang))
    return table


def history_records(rows: list[HistoryRow]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in rows:
        c = r.counts
        if c is None:
            out.append({"date": r.day, "commit": r.commit, "valid": False, "problem": r.invalid})
            continue
        out.append(
            {
                "date": r.day,
                "commit": r.commit,
                "valid": True,
                "milestones": c.milestones,
                "due_to_date": c.due_to_date,
                "done": c.done,
                "overdue": c.overdue,
                "completion": c.completion,
                "expected": c.expected,
            }
        )
    return out


# -- the office's other mechanisms
def headings(codes: str, lang: str) -> list[str]:
    """Column headings from the catalogue, by their codes."""
    return [label(code, lang) for code in codes.split()]


def _simple(
    title: str | None, headers: list[str], rows: Sequence[tuple[Sequence[Any], str | None]]
) -> Table:
    def is_key(i: int) -> bool:
        """An ID, a date or a quarter in every row (T26-01, 2026-03-20, 2026-Q1): never broken."""
        cells = [r[0][i] for r in rows if r[0][i] not in (None, "")]
        return bool(cells) and all(
            isinstance(c, dt.date) or (isinstance(c, str) and c.isascii() and " " not in c)
            for c in cells
        )

    table = Table([Column(h, nowrap=is_key(i)) for i, h in enumerate(headers)], title=title)
    for cells, light in rows:
        table.add(list(cells), light)
    return table


def topics_view(ledger: Ledger, today: dt.date, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    # start-up: `check` does not load mechanisms
    from reformctl.mechanisms import topic_state

    rows, records = [], []
    for t in ledger.topics.values():
        state, meeting = topic_state(ledger, t, today)
        word = label(f"topic-{state}", lang)
        rows.append(
            (
                [
                    t.id,
                    t.title,
                    ledger.group_name(t.group) if t.group else "",
                    ledger.unit_name(t.unit) if t.unit else "",
                    t.source or "",
                    word,
                    meeting or "",
                ],
                "green" if state == "discussed" else None,
            )
        )
        records.append(
            {
                "id": t.id,
                "title": t.title,
                "group": t.group,
                "unit": t.unit,
                "source": t.source,
                "status": state,
                "meeting": meeting,
            }
        )
    headers = headings("h-id h-topic h-group h-unit h-source h-state h-meeting", lang)
    return _simple(None, headers, rows), records


def meetings_view(ledger: Ledger, today: dt.date, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    rows, records = [], []
    for m in sorted(ledger.meetings.values(), key=lambda m: (m.on, m.id)):
        topic = ledger.topics.get(m.theme)
        held = m.on <= today
        rows.append(
            (
                [
                    m.id,
                    m.on,
                    m.theme,
                    topic.title if topic else "",
                    label("meeting-held" if held else "meeting-scheduled", lang),
                ],
                None if held else "yellow",
            )
        )
        records.append(
            {
                "id": m.id,
                "on": m.on,
                "theme": m.theme,
                "title": topic.title if topic else None,
                "held": held,
            }
        )
    headers = headings("h-id h-on h-theme h-topic-title h-state", lang)
    return _simple(None, headers, rows), records


def pilots_view(ledger: Ledger, today: dt.date, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    # start-up: `check` does not load mechanisms
    from reformctl.mechanisms import pilot_views

    rows, records = [], []
    for v in pilot_views(ledger, today):
        p = v.pilot
        light = {"due_review": "yellow", "dropped": "dim", "promoted": "green"}.get(v.state)
        rows.append(
            (
                [
                    p.id,
                    p.name,
                    p.place,
                    p.kind,
                    ledger.unit_name(p.unit),
                    p.since,
                    v.last_rating or "",
                    v.next_review or "",
                    label(f"pilot-{v.state}", lang),
                ],
                light,
            )
        )
        records.append(
            {
                "id": p.id,
                "name": p.name,
                "place": p.place,
                "kind": p.kind,
                "unit": p.unit,
                "since": p.since,
                "status": v.state,
                "last_rating": v.last_rating,
                "next_review": v.next_review,
                "reviews": [{"on": r.on, "rating": r.rating, "note": r.note} for r in p.reviews],
            }
        )
    headers = headings(
        "h-id h-pilot h-place h-kind h-unit h-since h-last-rating h-next-review h-state", lang
    )
    return _simple(None, headers, rows), records


def cases_view(
    ledger: Ledger, lang: str, quarter: str | None, theme: str | None
) -> tuple[Table, list[dict[str, Any]]]:
    rows, records = [], []
    for c in sorted(ledger.cases.values(), key=lambda c: (c.quarter, c.id)):
        if (quarter and c.quarter != quarter) or (theme and c.theme != theme):
            continue
        promoted = "；".join(f"{p.on} {p.to}" for p in c.promotions)
        rows.append(
            (
                [c.id, c.title, c.source, c.theme, c.quarter, "、".join(c.selections), promoted],
                "green" if c.promotions else None,
            )
        )
        records.append(
            {
                "id": c.id,
                "title": c.title,
                "from": c.source,
                "theme": c.theme,
                "quarter": c.quarter,
                "selections": list(c.selections),
                "promotions": [{"to": p.to, "on": p.on} for p in c.promotions],
            }
        )
    headers = headings("h-id h-case h-from h-theme h-quarter h-selected h-promoted", lang)
    return _simple(None, headers, rows), records


def outposts_view(ledger: Ledger, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    counts: dict[str, int] = {}
    for f in ledger.feedback.values():
        counts[f.outpost] = counts.get(f.outpost, 0) + 1
    rows = [
        (
            [
                o.id,
                o.name,
                label(f"outpost-{o.kind}", lang) if has_label(f"outpost-{o.kind}") else o.kind,
                counts.get(o.id, 0),
            ],
            None,
        )
        for o in ledger.outposts.values()
    ]
    records = [
        {"id": o.id, "name": o.name, "kind": o.kind, "feedback": counts.get(o.id, 0)}
        for o in ledger.outposts.values()
    ]
    headers = headings("h-id h-outpost h-kind h-feedback-count", lang)
    return _simple(None, headers, rows), records


def feedback_view(
    ledger: Ledger, lang: str, point: str | None, outpost: str | None
) -> tuple[Table, list[dict[str, Any]]]:
    rows, records = [], []
    for f in sorted(ledger.feedback.values(), key=lambda f: (f.on, f.id)):
        if (point and f.point != point) or (outpost and f.outpost != outpost):
            continue
        name = ledger.outposts[f.outpost].name if f.outpost in ledger.outposts else f.outpost
        rows.append(([f.id, f.on, name, f.point or "", f.text], None))
        records.append(
            {"id": f.id, "on": f.on, "outpost": f.outpost, "point": f.point, "text": f.text}
        )
    headers = headings("h-id h-on h-outpost h-point h-feedback", lang)
    return _simple(None, headers, rows), records


def publicity_view(ledger: Ledger, lang: str) -> tuple[Table, list[dict[str, Any]]]:
    """The publicity register (改革宣传), by date: what it is about, by name."""
    rows, records = [], []
    for p in sorted(ledger.publicity.values(), key=lambda p: (p.on, p.id)):
        about = ""
        if p.about is not None and p.about in ledger.points:
            about = ledger.points[p.about].title
        elif p.about is not None and p.about in ledger.cases:
            about = ledger.cases[p.about].title
        level = label(f"pub-level-{p.level}", lang)
        kind = label(f"pub-kind-{p.kind}", lang)
        rows.append(([p.id, p.on, p.outlet, level, kind, p.title, about], None))
        records.append(
            {
                "id": p.id,
                "on": p.on,
                "outlet": p.outlet,
                "level": p.level,
                "kind": p.kind,
                "title": p.title,
                "about": p.about,
            }
        )
    headers = headings("h-id h-on h-outlet h-level h-pub-kind h-pub-title h-about", lang)
    return _simple(None, headers, rows), records
