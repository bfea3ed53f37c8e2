"""A report's records (:mod:`reformctl.reportdata`) for people, in the reader's language: its
title, the period line, and each section as a display table (with the chart's bars and the
paragraphs a document writes from the figures); and the records as JSON for machines.

Every output (terminal, Markdown, CSV, HTML, Excel, Word) renders the :class:`Shown` made here;
JSON renders the records themselves. Nothing here imports :mod:`reformctl.reports`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reformctl import records
from reformctl.i18n import date_text, label, ordinal_text, span_text, tr
from reformctl.ranking import RankRow
from reformctl.render.document import outline_mark
from reformctl.render.standing import due_table, progress_records, rank_light, ranking_table
from reformctl.render.table import Column, Table, percent, share
from reformctl.render.views import STATE_LIGHT
from reformctl.reportdata import (
    AnyReport,
    HalfYear,
    Headline,
    Quarter,
    QuarterHeadline,
    Report,
    YearEnd,
)


@dataclass
class ShownSection:
    key: str  # stable: the JSON's, and a sheet's name when the title cannot be one
    title: str
    table: Table
    # (name, completion, expected, warning light): bars of completion against expected
    chart: list[tuple[str, float, float, str | None]] | None = None
    # paragraphs a document writes before the table (截至……，N项工作要点中……)
    narrative: list[str] = field(default_factory=list)
    # what a document writes in its body under the section's sentence: (level, text), level 2
    # to 4 of 一、（一）1.（1）, the number included (（一）经济体制改革专项小组)
    outline: list[tuple[int, str]] = field(default_factory=list)
    outline_lead: tuple[str, int] | None = None  # the day and count the outline's sentence says


@dataclass
class Shown:
    """A report as people read it, in one language."""

    title: str
    subtitle: str
    sections: list[ShownSection]
    office: str | None  # the 落款 (None: not set, left out)
    written: dt.date  # the 成文日期: the day the document is made
    document_title: str = ""  # the 公文's title: 关于2026年上半年……推进情况的通报
    year: int = 0  # the 发文字号's year (the year the document is written)


def document_title(report: AnyReport, lang: str) -> str:
    """关于2026年上半年全面深化改革工作要点推进情况的通报: the period, the ledger's name without
    its year and 台账, and what the document reports."""
    period = report.period
    year = period.start.year
    name = report.ledger_title.removesuffix("台账").removesuffix("（示例）")
    name = name.removeprefix(f"{year}年").removeprefix(f"{year}") or name
    if report.kind == "half":
        half = ("上", "下") if lang == "zh" else ("first", "second")
        when = tr("doc-when-half", lang, year=year, half=half[period.number != 1])
        return tr("doc-title-half", lang, when=when, name=name)
    if report.kind == "quarter":
        when = tr("doc-when-quarter", lang, year=year, n=ordinal_text(period.number, lang))
        return tr("doc-title-quarter", lang, when=when)
    return tr("doc-title-year", lang, when=tr("doc-when-year", lang, year=year), name=name)


# -- the words around the figures
def title(report: AnyReport, lang: str) -> str:
    n = report.period.number
    if report.kind == "half":
        half = "上" if n == 1 else "下"
        return tr("r-title-half", lang, ledger=report.ledger_title, n=n, half=half)
    if report.kind == "quarter":
        return tr("r-title-quarter", lang, ledger=report.ledger_title, n=ordinal_text(n, lang))
    return tr("r-title-year", lang, ledger=report.ledger_title)


def subtitle(report: Report, lang: str) -> str:
    period = report.period
    return tr(
        f"r-subtitle-{report.kind}",
        lang,
        year=period.start.year,
        n=ordinal_text(period.number, lang),
        span=span_text(period.start, period.end, lang),
        day=date_text(report.as_of, lang),
    )


def _clause(code: str, n: int, lang: str) -> str:
    """A narrative's clause for a figure that is usually 0: left out when it is."""
    return tr(code, lang, n=n) if n else ""


def _clauses(parts: Sequence[tuple[str, int]], lang: str, zh_sep: str, en_sep: str) -> str:
    """The clauses whose figure is not 0, joined (逾期0项 is never printed)."""
    sep = en_sep if lang == "en" else zh_sep
    return sep.join(tr(code, lang, n=n) for code, n in parts if n)


def _points_state(closed: int, behind: int, lang: str) -> str:
    """已销号N项，M项进度滞后或有节点逾期, each left out at 0; 暂无…… when both are."""
    state = _clauses((("r-n-closed", closed), ("r-n-behind", behind)), lang, "，", " and ")
    return state or tr("r-n-points-none", lang)


def due_when(day: dt.date, written: dt.date, lang: str) -> str:
    """When the milestones "due today" fell due, as the report speaks of them: 当日 (the day of
    its 截至) while the period runs, the day itself once it is past (a Q3 report printed in
    December says 2026年9月30日到期, never 今日到期)."""
    if day < written:
        return tr("r-when-on", lang, day=date_text(day, lang))
    return tr("r-when-today", lang)


def _due_state(h: Headline | QuarterHeadline, lang: str, when: str) -> str:
    """应完成N个，其中按时完成……: the parts of the sum whose figure is not 0."""
    if not h.due_to_date:
        return tr("r-n-due-none", lang)
    parts = (
        ("r-n-on-time", h.done_on_time),
        ("r-n-late", h.done_late),
        ("r-n-overdue", h.overdue),
    )
    text = _clauses(parts, lang, "、", ", ")
    if h.due_today_open:
        today = tr("r-n-today", lang, n=h.due_today_open, when=when)
        text = (text + ("、" if lang != "en" else ", ") if text else "") + today
    return tr("r-n-due", lang, due=h.due_to_date, parts=text)


def narrative(h: Headline, day: dt.date, lang: str, written: dt.date | None = None) -> list[str]:
    """The opening paragraph a document writes from the figures (截至……，N项工作要点中……);
    a clause whose figure is 0 is left out; ``written`` after ``day``: the period is past."""
    when = due_when(day, written or day, lang)
    return [
        tr(
            "r-narrative",
            lang,
            day=date_text(day, lang),
            points=h.points,
            points_state=_points_state(h.points_closed, h.points_behind, lang),
            milestones=h.milestones,
            due_state=_due_state(h, lang, when),
            early=_clause("r-n-early", h.done_early, lang),
            completion=percent(h.completion),
            expected=percent(h.expected),
        )
    ]


def quarter_narrative(
    h: QuarterHeadline, day: dt.date, lang: str, written: dt.date | None = None
) -> list[str]:
    """The quarterly review's opening paragraphs: the major items, the milestones of the
    quarter (due = on time + late + overdue + due today; in the quarter = due + not yet due),
    and the monthly entries owed, in and missing; a clause whose figure is 0 is left out."""
    first = tr(
        "r-narrative-quarter" if h.due_to_date else "r-narrative-quarter-none-due",
        lang,
        day=date_text(day, lang),
        majors=h.major_points,
        points_state=_points_state(h.points_closed, h.points_behind, lang),
        in_quarter=h.milestones_in_quarter,
        due_state=_due_state(h, lang, due_when(day, written or day, lang)),
        not_yet=_clause("r-n-not-yet", h.not_yet_due, lang),
        early=_clause("r-n-q-early", h.done_early, lang),
    )
    owed = h.entries_expected
    if not owed:
        return [first, tr("r-narrative-entries-none", lang)]
    have = (("r-n-have", owed - h.missing_entries), ("r-n-missing", h.missing_entries))
    entries = tr(
        "r-narrative-entries",
        lang,
        majors=h.major_points,
        months=h.months_due,
        expected=owed,
        entries_state=_clauses(have, lang, "，", ", "),
    )
    return [first, entries]


# -- the sections
def _figures(key: str, heading: str, rows: list[tuple[Any, Any]], lang: str) -> ShownSection:
    """A table of figures; a row's code is a message code, or (code, when) for a row that says
    when (``r-due-today``)."""
    table = Table(
        [Column(tr("r-item", lang)), Column(tr("r-value", lang), align="right")], title=heading
    )
    for code, value in rows:
        if isinstance(code, tuple):
            table.add([tr(code[0], lang, when=code[1]), value])
        else:
            table.add([tr(code, lang), value])
    return ShownSection(key, heading, table)


def _headline(report: HalfYear | YearEnd, lang: str) -> ShownSection:
    h = report.headline
    when = due_when(report.as_of, report.written, lang)
    rows: list[tuple[Any, Any]] = [
        ("r-points", h.points),
        ("r-closed", h.points_closed),
        ("r-milestones", h.milestones),
        ("r-due", h.due_to_date),
        ("r-done-on-time", h.done_on_time),
        ("r-done-late", h.done_late),
        ("r-overdue", h.overdue),
        (("r-due-today", when), h.due_today_open),
        ("r-not-yet-due", h.not_yet_due),
        ("r-done-early", h.done_early),
        ("r-extended", h.extensions_granted),
        ("r-completion", share(h.completion)),
        ("r-expected", share(h.expected)),
        ("r-meetings", h.meetings_held),
        ("r-pilots-reviewed", h.pilots_reviewed),
        ("r-pilots-due", h.pilots_due_for_review),
        ("r-cases-selected", h.cases_selected),
        ("r-cases-promoted", h.cases_promoted),
        ("r-notices-issued", h.notices_issued),
        ("r-notices-items", h.notice_items),
        ("r-notices-open", h.notice_items_still_open),
        ("r-publicity", h.publicity),
    ]
    section = _figures("headline", tr("r-s-headline", lang), rows, lang)
    section.table.notes.append(tr("r-identity", lang, when=when))
    section.narrative = narrative(h, report.as_of, lang, report.written)
    return section


def _ranking(rows: Sequence[RankRow], by: str, heading: str, lang: str) -> ShownSection:
    chart = [
        (r.name, float(r.counts.completion), float(r.counts.expected), rank_light(r)) for r in rows
    ]
    return ShownSection(f"ranking_{by}", heading, ranking_table(rows, by, lang, heading), chart)


def _no_rows(table: Table, lang: str) -> Table:
    if not table.rows:
        table.notes.append(tr("no-rows", lang))
    return table


def _overdue(report: HalfYear, lang: str) -> ShownSection:
    heading = tr("r-s-overdue", lang)
    rows = [
        (f"{o.point}/{o.milestone}", o.name, o.title, o.lead_name, o.due, o.extensions,
         o.days_overdue)
        for o in report.overdue
    ]  # fmt: skip
    section = ShownSection("overdue", heading, due_table(rows, lang, heading))
    section.outline = overdue_outline(report, lang)
    section.outline_lead = (date_text(report.as_of, lang), len(report.overdue))
    return section


def overdue_outline(report: HalfYear, lang: str) -> list[tuple[int, str]]:
    """The overdue milestones named in the body, by group （一）, lead unit 1. and milestone
    （1） (a unit's one milestone in its own line), the groups and units in the order of their
    most overdue milestone; the section's sentence says as of which day (截至6月30日: a report
    printed later speaks of that day), the items by name (the IDs are in the annex)."""
    groups: dict[str, dict[str, list[Any]]] = {}
    for o in report.overdue:
        groups.setdefault(o.group_name, {}).setdefault(o.lead_name, []).append(o)
    out: list[tuple[int, str]] = []
    for i, (group, units) in enumerate(groups.items(), 1):
        out.append((2, outline_mark(2, i, lang) + group))
        for j, (unit, items) in enumerate(units.items(), 1):
            mark = outline_mark(3, j, lang)
            texts = [
                tr(
                    "r-o-item",
                    lang,
                    name=o.name,
                    due=date_text(o.due, lang),
                    days=o.days_overdue,
                )
                for o in items
            ]
            if len(texts) == 1:  # one milestone: said in the unit's line, no （1） alone
                out.append((3, mark + tr("r-o-unit-one", lang, unit=unit, item=texts[0])))
                continue
            out.append((3, mark + tr("r-o-unit", lang, unit=unit, n=len(items))))
            out += [(4, outline_mark(4, k, lang) + t) for k, t in enumerate(texts, 1)]
    return out


def _extensions(report: HalfYear, lang: str) -> ShownSection:
    heading = tr("r-s-extensions", lang)
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
        title=heading,
    )
    for e in report.extensions:
        table.add(
            [
                f"{e.point}/{e.milestone}",
                e.name,
                e.lead_name,
                e.baseline_due,
                e.due,
                e.times,
                e.days_moved,
                "；".join(e.reasons),
            ],
            "yellow",
        )
    return ShownSection("extensions", heading, _no_rows(table, lang))


def _closed(report: HalfYear, lang: str) -> ShownSection:
    heading = tr("r-s-closed", lang)
    table = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            Column(label("col-lead", lang)),
            Column(tr("r-closed-on", lang), nowrap=True),
            Column(label("col-evidence", lang)),
        ],
        title=heading,
    )
    for p in report.closed:
        table.add([p.id, p.title, p.lead_name, p.closed, p.closing_evidence], "dim")
    return ShownSection("closed", heading, _no_rows(table, lang))


def _light(status: str) -> str:
    return {"closed": "dim", "overdue": "red", "behind": "yellow"}.get(status, "green")


def _points(report: YearEnd, lang: str) -> ShownSection:
    heading = tr("r-s-points", lang)
    table = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            Column(label("col-lead", lang)),
            Column(label("col-status", lang), nowrap=True),
            Column(tr("r-closed-on", lang), nowrap=True),
            Column(label("col-evidence", lang)),
        ],
        title=heading,
    )
    for p in report.points:
        table.add(
            [
                p.id,
                p.title,
                p.lead_name,
                label(f"status-{p.status}", lang),
                p.closed or "",
                p.closing_evidence or tr("r-not-closed", lang),
            ],
            _light(p.status),
        )
    return ShownSection("points", heading, table)


def _carry_over(report: YearEnd, lang: str) -> ShownSection:
    heading = tr("r-s-carry", lang)
    table = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            Column(label("col-lead", lang)),
            Column(tr("r-open", lang), align="right"),
            Column(tr("r-open-milestones", lang)),
        ],
        title=heading,
    )
    for p in report.carry_over:
        names = "、".join(m.name for m in p.open_milestones)
        table.add([p.id, p.title, p.lead_name, len(p.open_milestones), names], _light(p.status))
    return ShownSection("carry_over", heading, table)


def _accounts(report: YearEnd, lang: str) -> ShownSection:
    heading = tr("r-s-accounts", lang)
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
        title=heading,
    )
    for a in report.accounts:
        table.add(
            [a.name, a.milestones, a.due_to_date, a.done_on_time, a.done_late, a.open_due,
             a.extended],
            "red" if a.overdue else None,
        )  # fmt: skip
    table.notes.append(tr("r-identity-accounts", lang))
    return ShownSection("accounts", heading, table)


def _quarter_sections(report: Quarter, lang: str) -> list[ShownSection]:
    h = report.headline
    when = due_when(report.as_of, report.written, lang)

    def state(name: str) -> str:
        if name == "due_today" and report.as_of < report.written:
            return tr("r-ms-due-on", lang, when=when)
        return label(f"ms-{name}", lang)

    headline = _figures(
        "headline",
        tr("r-s-headline", lang),
        [
            ("r-majors", h.major_points),
            ("r-q-due", h.milestones_in_quarter),
            ("r-due", h.due_to_date),
            ("r-done-on-time", h.done_on_time),
            ("r-done-late", h.done_late),
            ("r-overdue", h.overdue),
            (("r-due-today", when), h.due_today_open),
            ("r-case-themes", "、".join(h.case_themes) or "—"),
            ("r-missing-entries", h.missing_entries),
        ],
        lang,
    )
    headline.narrative = quarter_narrative(h, report.as_of, lang, report.written)

    heading = tr("r-s-q-milestones", lang)
    milestones = Table(
        [
            Column(label("col-milestone", lang), nowrap=True),
            Column(label("col-name", lang)),
            Column(label("col-due", lang), nowrap=True),
            Column(label("col-done_on", lang), nowrap=True),
            Column(label("col-state", lang), nowrap=True),
        ],
        title=heading,
    )
    for m in report.milestones:
        milestones.add(
            [
                f"{m.point}/{m.milestone}",
                m.name,
                m.due,
                m.done or "",
                state(m.state),
            ],
            STATE_LIGHT.get(m.state, "green" if m.done else None),
        )

    entries_heading = tr("r-s-q-entries", lang)
    entries = Table(
        [
            Column(label("col-id", lang), nowrap=True),
            Column(label("col-title", lang)),
            *(Column(m, nowrap=True) for m in report.months),
            Column(label("col-status", lang)),
        ],
        title=entries_heading,
    )
    for p in report.monthly_entries:
        present = dict(p.entries)
        cells = [
            "—" if m not in present else "✓" if present[m] else tr("r-missing", lang)
            for m in report.months
        ]
        missing = not all(present.values())
        entries.add(
            [p.id, p.title, *cells, label(f"status-{p.status}", lang)],
            "red" if missing or p.status == "overdue" else None,
        )

    findings_heading = tr("r-s-q-findings", lang)
    findings = Table(
        [Column(label("col-id", lang), nowrap=True), Column(tr("r-finding", lang))],
        title=findings_heading,
    )
    for e in report.missing:
        findings.add([e.point, tr("r-missing-entry", lang, month=e.month)], "red")
    for o in report.overdue:
        text = tr(
            "finding-overdue",
            lang,
            ref=f"{o.point}/{o.milestone}",
            name=o.name,
            days=o.days_overdue,
            due=o.due,
            lead=o.lead_name,
        )
        findings.add([o.point, text], "red")
    return [
        headline,
        ShownSection("milestones", heading, _no_rows(milestones, lang)),
        ShownSection("monthly_entries", entries_heading, entries),
        ShownSection("findings", findings_heading, _no_rows(findings, lang)),
    ]


def shown(report: AnyReport, lang: str) -> Shown:
    """The report for people, in ``lang``."""
    if isinstance(report, HalfYear):
        sections = [
            _headline(report, lang),
            _ranking(report.ranking_unit, "unit", tr("r-s-rank-unit", lang), lang),
            _ranking(report.ranking_group, "group", tr("r-s-rank-group", lang), lang),
            _overdue(report, lang),
            _extensions(report, lang),
            _closed(report, lang),
        ]
    elif isinstance(report, YearEnd):
        sections = [
            _headline(report, lang),
            _points(report, lang),
            _carry_over(report, lang),
            _accounts(report, lang),
            _ranking(report.ranking_unit, "unit", tr("r-s-rank-year", lang), lang),
        ]
    else:
        sections = _quarter_sections(report, lang)
    return Shown(title(report, lang), subtitle(report, lang), sections, report.office,
                 report.written, document_title(report, lang), report.written.year)  # fmt: skip


# -- JSON: the records themselves
def _data(value: Any) -> Any:
    """A record as JSON values: a dataclass as an object of its fields, in order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if records.is_record(value) and not isinstance(value, type):
        return {name: _data(v) for name, v in records.as_dict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    return value


def _ranked(rows: Sequence[RankRow]) -> list[dict[str, Any]]:
    return progress_records(list(rows))


def report_json(report: AnyReport) -> dict[str, Any]:
    """The report's data: stable keys, dates (ISO in JSON), fractions as numbers, IDs with
    their names. Documented in docs/reports.md."""
    sections: dict[str, Any]
    if isinstance(report, HalfYear):
        sections = {
            "headline": _data(report.headline),
            "ranking_unit": _ranked(report.ranking_unit),
            "ranking_group": _ranked(report.ranking_group),
            "overdue": _data(report.overdue),
            "extensions": _data(report.extensions),
            "closed": _data(report.closed),
        }
    elif isinstance(report, YearEnd):
        sections = {
            "headline": _data(report.headline),
            "points": _data(report.points),
            "carry_over": _data(report.carry_over),
            "accounts": _data(report.accounts),
            "ranking_unit": _ranked(report.ranking_unit),
        }
    else:
        entries = [{**_data(p), "entries": dict(p.entries)} for p in report.monthly_entries]
        findings = [{**_data(m), "finding": "missing-entry"} for m in report.missing]
        findings += [{**_data(o), "finding": "overdue"} for o in report.overdue]
        sections = {
            "headline": _data(report.headline),
            "milestones": _data(report.milestones),
            "monthly_entries": entries,
            "findings": findings,
        }
    period = report.period
    return {
        "report": report.kind,
        "ledger_title": report.ledger_title,
        "office": report.office,
        "period": {
            "kind": period.kind,
            "number": period.number,
            "start": period.start,
            "end": period.end,
        },
        "as_of": report.as_of,
        "written": report.written,
        **({"months": list(report.months)} if isinstance(report, Quarter) else {}),
        "sections": sections,
    }
