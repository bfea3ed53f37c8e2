"""Building the three reports from (ledger, period, today).

Pure; labels in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reformctl.i18n import date_text, label, ordinal_text, span_text, tr
from reformctl.model import Ledger, Point
from reformctl.ranking import RankRow, ranking
from reformctl.render import Column, Share, Table, percent, share
from reformctl.render.views import (
    due_record,
    overdue_table,
    progress_records,
    progress_table,
    rank_light,
)
from reformctl.reports import Period, Report, Section, as_of, period_of
from reformctl.schedule import DueSplit, due_items, due_split, point_view, tally


def _office(ledger: Ledger) -> str:
    from reformctl.notices import DEFAULT_OFFICE

    return ledger.settings.office or DEFAULT_OFFICE


def _day(period: Period, today: dt.date) -> dt.date:
    return min(today, period.end)


def _figures(title: str, key: str, rows: list[tuple[str, str, Any]], lang: str) -> Section:
    table = Table(
        [Column(tr("r-item", lang)), Column(tr("r-value", lang), align="right")], title=title
    )
    for code, _, value in rows:
        table.add([tr(code, lang), value])
    records = [{"item": k, "value": str(v) if isinstance(v, Share) else v} for _, k, v in rows]
    return Section(key, title, table, records)


def _ranking(ledger: Ledger, day: dt.date, by: str, title: str, lang: str) -> Section:
    rows: list[RankRow] = ranking(ledger, day, by)
    table = progress_table(ledger, rows, by, lang, day)
    table.title = title
    chart = [
        (r.name, float(r.counts.completion), float(r.counts.expected), rank_light(r)) for r in rows
    ]
    return Section(f"ranking_{by}", title, table, progress_records(rows), chart)


def _overdue(ledger: Ledger, day: dt.date, title: str, lang: str) -> Section:
    items = due_items(ledger, day)
    table = overdue_table(ledger, items, lang, day)
    table.title = title
    return Section("overdue", title, table, [due_record(i) for i in items])


def _extensions(ledger: Ledger, period: Period, title: str, lang: str) -> Section:
    table = Table(
        [
            Column(label("col-milestone", lang), nowrap=True),
            Column(label("col-name", lang)),
            Column(label("col-lead", lang)),
            Column(label("col-baseline", lang), nowrap=True),
            Column(label("col-due", lang), nowrap=True),
            Column(tr("r-times", lang), align="right"),
            Column(tr("r-days-moved", lang), align="right"),
            Column(tr("r-reasons", lang)),
        ],
        title=title,
    )
    records = []
    for point in ledger.points.values():
        for ms in point.milestones:
            if not ms.extensions:
                continue
            moved = (ms.due_now - ms.due).days
            reasons = "；".join(e.reason for e in ms.extensions)
            table.add(
                [
                    ms.ref,
                    ms.name,
                    ledger.unit_name(point.lead),
                    ms.due,
                    ms.due_now,
                    len(ms.extensions),
                    moved,
                    reasons,
                ],
                "yellow",
            )
            records.append(
                {
                    "point": point.id,
                    "milestone": ms.key,
                    "baseline_due": ms.due,
                    "due": ms.due_now,
                    "times": len(ms.extensions),
                    "days_moved": moved,
                    "reasons": [e.reason for e in ms.extensions],
                }
            )
    if not records:
        table.notes.append(tr("no-rows", lang))
    return Section("extensions", title, table, records)


def _closed(ledger: Ledger, title: str, lang: str) -> Section:
    table = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            Column(label("col-lead", lang)),
            Column(tr("r-closed-on", lang), nowrap=True),
            Column(label("col-evidence", lang)),
        ],
        title=title,
    )
    records = []
    for p in ledger.points.values():
        if p.closed is not None:
            table.add(
                [p.id, p.title, ledger.unit_name(p.lead), p.closed, p.closing_evidence], "dim"
            )
            records.append(
                {
                    "id": p.id,
                    "title": p.title,
                    "closed": p.closed,
                    "closing_evidence": p.closing_evidence,
                }
            )
    if not records:
        table.notes.append(tr("no-rows", lang))
    return Section("closed", title, table, records)


def _headline(ledger: Ledger, day: dt.date, period: Period, lang: str, title: str) -> Section:
    milestones = [m for p in ledger.points.values() for m in p.milestones]
    counts = tally(milestones, day, ledger.settings.soon_days)
    split = due_split(milestones, day)
    extended = [
        e
        for m in milestones
        for e in m.extensions
        if e.granted is None or period.start <= e.granted <= period.end
    ]
    closed = sum(1 for p in ledger.points.values() if p.closed is not None)
    rows: list[tuple[str, str, Any]] = [
        ("r-points", "points", len(ledger.points)),
        ("r-closed", "points_closed", closed),
        ("r-milestones", "milestones", split.milestones),
        ("r-due", "due_to_date", split.due),
        ("r-done-on-time", "done_on_time", split.on_time),
        ("r-done-late", "done_late", split.late),
        ("r-overdue", "overdue", split.overdue),
        ("r-due-today", "due_today_open", split.due_today),
        ("r-not-yet-due", "not_yet_due", split.not_yet_due),
        ("r-done-early", "done_early", split.early),
        ("r-extended", "extensions_granted", len(extended)),
        ("r-completion", "completion", share(counts.completion)),
        ("r-expected", "expected", share(counts.expected)),
    ]
    if period.kind in ("half", "year"):
        rows += _mechanism_figures(ledger, day, period)
    section = _figures(title, "headline", rows, lang)
    section.table.notes.append(tr("r-identity", lang))
    section.narrative = narrative(ledger, day, split, counts.completion, counts.expected, lang)
    return section


def narrative(
    ledger: Ledger, day: dt.date, split: DueSplit, completion: Any, expected: Any, lang: str
) -> list[str]:
    """The opening paragraph a document writes from the figures (截至……，N项工作要点中……)."""
    closed = sum(1 for p in ledger.points.values() if p.closed is not None)
    views = [point_view(p, day, ledger.settings.soon_days) for p in ledger.points.values()]
    behind = sum(1 for v in views if v.status in ("behind", "overdue"))
    return [
        tr(
            "r-narrative",
            lang,
            day=date_text(day, lang),
            points=len(ledger.points),
            closed=closed,
            behind=behind,
            milestones=split.milestones,
            due=split.due,
            on_time=split.on_time,
            late=split.late,
            overdue=split.overdue,
            today=_clause("r-n-today", split.due_today, lang),
            early=_clause("r-n-early", split.early, lang),
            completion=percent(completion),
            expected=percent(expected),
        )
    ]


def _clause(code: str, n: int, lang: str) -> str:
    """A narrative's clause for a figure that is usually 0: left out when it is."""
    return tr(code, lang, n=n) if n else ""


def quarter_narrative(
    ledger: Ledger,
    majors: list[Point],
    day: dt.date,
    split: DueSplit,
    due_months: list[str],
    missing: int,
    lang: str,
) -> list[str]:
    """The quarterly review's opening paragraphs, from the figures of its headline table: the
    major items, the milestones of the quarter (due = on time + late + overdue + due today;
    in the quarter = due + not yet due), and the monthly entries owed, in and missing."""
    views = [point_view(p, day, ledger.settings.soon_days) for p in majors]
    first = tr(
        "r-narrative-quarter" if split.due else "r-narrative-quarter-none-due",
        lang,
        day=date_text(day, lang),
        majors=len(majors),
        closed=sum(1 for p in majors if p.closed is not None),
        behind=sum(1 for v in views if v.status in ("behind", "overdue")),
        in_quarter=split.milestones,
        due=split.due,
        on_time=split.on_time,
        late=split.late,
        overdue=split.overdue,
        today=_clause("r-n-today", split.due_today, lang),
        not_yet=split.not_yet_due,
        early=_clause("r-n-q-early", split.early, lang),
    )
    owed = len(majors) * len(due_months)
    if not owed:
        return [first, tr("r-narrative-entries-none", lang)]
    entries = tr(
        "r-narrative-entries",
        lang,
        majors=len(majors),
        months=len(due_months),
        expected=owed,
        have=owed - missing,
        missing=missing,
    )
    return [first, entries]


def _mechanism_figures(ledger: Ledger, day: dt.date, period: Period) -> list[tuple[str, str, Any]]:
    """What the circular counts of the other mechanisms within the period (up to its day)."""
    from reformctl.mechanisms import pilot_view
    from reformctl.notices import figures

    def within(on: dt.date) -> bool:
        return period.start <= on <= day

    notices = figures(ledger, period.start, day)
    quarters = {
        f"{period.start.year}-Q{q}"
        for q in range((period.start.month - 1) // 3 + 1, (period.end.month - 1) // 3 + 2)
    }
    return [
        ("r-meetings", "meetings_held", sum(1 for m in ledger.meetings.values() if within(m.on))),
        (
            "r-pilots-reviewed",
            "pilots_reviewed",
            sum(1 for p in ledger.pilots.values() if any(within(r.on) for r in p.reviews)),
        ),
        (
            "r-pilots-due",
            "pilots_due_for_review",
            sum(
                1
                for p in ledger.pilots.values()
                if pilot_view(ledger, p, day).state == "due_review"
            ),
        ),
        (
            "r-cases-selected",
            "cases_selected",
            sum(1 for c in ledger.cases.values() if c.quarter in quarters),
        ),
        (
            "r-cases-promoted",
            "cases_promoted",
            sum(1 for c in ledger.cases.values() if any(within(p.on) for p in c.promotions)),
        ),
        ("r-notices-issued", "notices_issued", notices.issued),
        ("r-notices-items", "notice_items", notices.items),
        ("r-notices-open", "notice_items_still_open", notices.still_open),
        (
            "r-publicity",
            "publicity",
            sum(1 for p in ledger.publicity.values() if within(p.on)),
        ),
    ]


def _report(
    kind: str, ledger: Ledger, period: Period, today: dt.date, lang: str
) -> tuple[Ledger, dt.date, str]:
    day = _day(period, today)
    subtitle = tr(
        f"r-subtitle-{kind}",
        lang,
        year=period.start.year,
        n=ordinal_text(period.number, lang),
        span=span_text(period.start, period.end, lang),
        day=date_text(day, lang),
    )
    return as_of(ledger, day), day, subtitle


def half_year(ledger: Ledger, year: int, number: int, today: dt.date, lang: str) -> Report:
    """半年通报: headline figures, rankings by unit and group, overdue, extensions, closed."""
    period = period_of("half", year, number)
    led, day, subtitle = _report("half", ledger, period, today, lang)
    sections = [
        _headline(led, day, period, lang, tr("r-s-headline", lang)),
        _ranking(led, day, "unit", tr("r-s-rank-unit", lang), lang),
        _ranking(led, day, "group", tr("r-s-rank-group", lang), lang),
        _overdue(led, day, tr("r-s-overdue", lang), lang),
        _extensions(led, period, tr("r-s-extensions", lang), lang),
        _closed(led, tr("r-s-closed", lang), lang),
    ]
    half = "上" if number == 1 else "下"
    title = tr("r-title-half", lang, ledger=ledger.settings.title, n=number, half=half)
    return Report("half", title, subtitle, day, period, sections, _office(ledger), today)


def year_end(ledger: Ledger, year: int, today: dt.date, lang: str) -> Report:
    """年终总账: every point closed or not, what carries over, each unit's account, the ranking."""
    period = period_of("year", year)
    led, day, subtitle = _report("year", ledger, period, today, lang)
    soon = led.settings.soon_days
    points = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            Column(label("col-lead", lang)),
            Column(label("col-status", lang), nowrap=True),
            Column(tr("r-closed-on", lang), nowrap=True),
            Column(label("col-evidence", lang)),
        ],
        title=tr("r-s-points", lang),
    )
    point_records = []
    carry = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            Column(label("col-lead", lang)),
            Column(tr("r-open", lang), align="right"),
            Column(tr("r-open-milestones", lang)),
        ],
        title=tr("r-s-carry", lang),
    )
    carry_records = []
    for p in led.points.values():
        view = point_view(p, day, soon)
        light = {"closed": "dim", "overdue": "red", "behind": "yellow"}.get(view.status, "green")
        points.add(
            [
                p.id,
                p.title,
                led.unit_name(p.lead),
                label(f"status-{view.status}", lang),
                p.closed or "",
                p.closing_evidence or tr("r-not-closed", lang),
            ],
            light,
        )
        point_records.append(
            {
                "id": p.id,
                "title": p.title,
                "lead": p.lead,
                "status": view.status,
                "closed": p.closed,
                "closing_evidence": p.closing_evidence,
            }
        )
        open_ms = [m for m in p.milestones if m.done is None]
        if p.closed is None and (open_ms or not p.milestones):
            carry.add(
                [
                    p.id,
                    p.title,
                    led.unit_name(p.lead),
                    len(open_ms),
                    "、".join(m.name for m in open_ms),
                ],
                light,
            )
            carry_records.append(
                {
                    "id": p.id,
                    "title": p.title,
                    "lead": p.lead,
                    "open_milestones": [m.key for m in open_ms],
                }
            )
    sections = [
        _headline(led, day, period, lang, tr("r-s-headline", lang)),
        Section("points", points.title or "", points, point_records),
        Section("carry_over", carry.title or "", carry, carry_records),
        _accounts(led, day, lang),
        _ranking(led, day, "unit", tr("r-s-rank-year", lang), lang),
    ]
    title = tr("r-title-year", lang, ledger=ledger.settings.title)
    return Report("year", title, subtitle, day, period, sections, _office(ledger), today)


def _accounts(ledger: Ledger, day: dt.date, lang: str) -> Section:
    title = tr("r-s-accounts", lang)
    table = Table(
        [
            Column(label("col-lead", lang)),
            Column(label("col-milestones", lang), align="right"),
            Column(tr("r-due", lang), align="right"),
            Column(tr("r-done-on-time", lang), align="right"),
            Column(label("col-done_late", lang), align="right"),
            Column(tr("r-open-due", lang), align="right"),
            Column(tr("r-extended-ms", lang), align="right"),
        ],
        title=title,
    )
    records = []
    by_unit: dict[str, list[Point]] = {}
    for p in ledger.points.values():
        by_unit.setdefault(p.lead, []).append(p)
    for unit in sorted(by_unit, key=lambda u: ledger.unit_name(u)):
        ms = [m for p in by_unit[unit] for m in p.milestones]
        c = due_split(ms, day)
        extended = sum(1 for m in ms if m.extensions)
        table.add(
            [
                ledger.unit_name(unit),
                c.milestones,
                c.due,
                c.on_time,
                c.late,
                c.open_due,
                extended,
            ],
            "red" if c.overdue else None,
        )
        records.append(
            {
                "unit": unit,
                "name": ledger.unit_name(unit),
                "milestones": c.milestones,
                "due_to_date": c.due,
                "done_on_time": c.on_time,
                "done_late": c.late,
                "overdue": c.overdue,
                "open_due": c.open_due,
                "extended": extended,
            }
        )
    table.notes.append(tr("r-identity-accounts", lang))
    return Section("accounts", title, table, records)


def _case_themes(ledger: Ledger, quarter: str) -> str:
    """The themes of the model cases of a quarter (按季度分主题推介)."""
    return (
        "、".join(sorted({c.theme for c in ledger.cases.values() if c.quarter == quarter})) or "—"
    )


def quarter(ledger: Ledger, year: int, number: int, today: dt.date, lang: str) -> Report:
    """按季盘点 of major items: milestones in the quarter, monthly entries present or missing."""
    period = period_of("quarter", year, number)
    led, day, subtitle = _report("quarter", ledger, period, today, lang)
    soon = led.settings.soon_days
    majors = [p for p in led.points.values() if p.major]
    months = [f"{year}-{m:02d}" for m in range(period.start.month, period.end.month + 1)]
    due_months = [m for m in months if m <= f"{day:%Y-%m}"]

    ms_table = Table(
        [
            Column(label("col-milestone", lang), nowrap=True),
            Column(label("col-name", lang)),
            Column(label("col-due", lang), nowrap=True),
            Column(label("col-done_on", lang), nowrap=True),
            Column(label("col-state", lang), nowrap=True),
        ],
        title=tr("r-s-q-milestones", lang),
    )
    ms_records = []
    from reformctl.render.views import STATE_LIGHT
    from reformctl.schedule import milestone_state

    for p in majors:
        for m in p.milestones:
            if period.start <= m.due_now <= period.end:
                state = milestone_state(m, day, soon)
                ms_table.add(
                    [m.ref, m.name, m.due_now, m.done or "", label(f"ms-{state}", lang)],
                    STATE_LIGHT.get(state, "green" if m.done else None),
                )
                ms_records.append(
                    {
                        "point": p.id,
                        "milestone": m.key,
                        "name": m.name,
                        "due": m.due_now,
                        "done": m.done,
                        "state": state,
                    }
                )
    if not ms_records:
        ms_table.notes.append(tr("no-rows", lang))

    log_table = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            *(Column(m, nowrap=True) for m in months),
            Column(label("col-status", lang)),
        ],
        title=tr("r-s-q-entries", lang),
    )
    log_records: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for p in majors:
        have = {e.month for e in p.progress}
        cells = []
        for month in months:
            if month not in due_months:
                cells.append("—")
            elif month in have:
                cells.append("✓")
            else:
                cells.append(tr("r-missing", lang))
                findings.append({"point": p.id, "month": month, "finding": "missing-entry"})
        view = point_view(p, day, soon)
        missing = any(month in due_months and month not in have for month in months)
        log_table.add(
            [p.id, p.title, *cells, label(f"status-{view.status}", lang)],
            "red" if missing or view.status == "overdue" else None,
        )
        log_records.append(
            {
                "id": p.id,
                "title": p.title,
                "status": view.status,
                "entries": {m: (m in have) for m in due_months},
            }
        )

    find_table = Table(
        [Column(label("col-id", lang), nowrap=True), Column(tr("r-finding", lang))],
        title=tr("r-s-q-findings", lang),
    )
    for f in findings:
        find_table.add([f["point"], tr("r-missing-entry", lang, month=f["month"])], "red")
    for p in majors:
        for m in p.milestones:
            if m.done is None and m.due_now < day:
                find_table.add(
                    [
                        p.id,
                        tr(
                            "finding-overdue",
                            lang,
                            ref=m.ref,
                            name=m.name,
                            days=(day - m.due_now).days,
                            due=m.due_now,
                            lead=led.unit_name(p.lead),
                        ),
                    ],
                    "red",
                )
                findings.append({"point": p.id, "milestone": m.key, "finding": "overdue"})
    if not findings:
        find_table.notes.append(tr("no-rows", lang))
    in_quarter = [
        m for p in majors for m in p.milestones if period.start <= m.due_now <= period.end
    ]
    q_split = due_split(in_quarter, day)
    missing_entries = sum(1 for f in findings if f["finding"] == "missing-entry")
    headline = _figures(
        tr("r-s-headline", lang),
        "headline",
        [
            ("r-majors", "major_points", len(majors)),
            ("r-q-due", "milestones_in_quarter", len(ms_records)),
            ("r-due", "due_to_date", q_split.due),
            ("r-done-on-time", "done_on_time", q_split.on_time),
            ("r-done-late", "done_late", q_split.late),
            ("r-overdue", "overdue", q_split.overdue),
            ("r-due-today", "due_today_open", q_split.due_today),
            ("r-case-themes", "case_themes", _case_themes(led, f"{year}-Q{number}")),
            ("r-missing-entries", "missing_entries", missing_entries),
        ],
        lang,
    )
    headline.narrative = quarter_narrative(
        led, majors, day, q_split, due_months, missing_entries, lang
    )
    sections = [
        headline,
        Section("milestones", ms_table.title or "", ms_table, ms_records),
        Section("monthly_entries", log_table.title or "", log_table, log_records),
        Section("findings", find_table.title or "", find_table, findings),
    ]
    title = tr("r-title-quarter", lang, ledger=ledger.settings.title, n=ordinal_text(number, lang))
    return Report("quarter", title, subtitle, day, period, sections, _office(ledger), today)
