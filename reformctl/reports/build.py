"""Building the three reports from (ledger, period, today): pure functions returning the records
of :mod:`reformctl.reportdata`. No language: the words are the rendering's."""

from __future__ import annotations

import datetime as dt

from reformctl.errors import ReformctlError
from reformctl.mechanisms import pilot_view
from reformctl.model import Ledger, Point
from reformctl.notices import figures
from reformctl.ranking import ranking
from reformctl.reportdata import (
    Account,
    AnyReport,
    CarryOver,
    Closed,
    Extended,
    HalfYear,
    Headline,
    MissingEntry,
    MonthlyEntries,
    OpenMilestone,
    Overdue,
    OverdueFinding,
    Period,
    PointState,
    Quarter,
    QuarterHeadline,
    QuarterMilestone,
    YearEnd,
    period_of,
)
from reformctl.reports import as_of
from reformctl.schedule import due_items, due_split, milestone_state, point_view, tally


def _office(ledger: Ledger) -> str | None:
    return ledger.settings.office


def _day(period: Period, today: dt.date) -> dt.date:
    return min(today, period.end)


def _behind(ledger: Ledger, points: list[Point], day: dt.date) -> int:
    """Points behind 序时进度 or overdue."""
    soon = ledger.settings.soon_days
    return sum(1 for p in points if point_view(p, day, soon).status in ("behind", "overdue"))


def headline(ledger: Ledger, day: dt.date, period: Period) -> Headline:
    """总体情况, with what the circular counts of the other mechanisms within the period."""

    milestones = [m for p in ledger.points.values() for m in p.milestones]
    counts = tally(milestones, day, ledger.settings.soon_days)
    split = due_split(milestones, day)
    extended = [
        e
        for m in milestones
        for e in m.extensions
        # by the day it was approved (批准日期), else the day it was recorded
        if e.approved is None or period.start <= e.approved <= period.end
    ]

    def within(on: dt.date) -> bool:
        return period.start <= on <= day

    notices = figures(ledger, period.start, day)
    quarters = {
        f"{period.start.year}-Q{q}"
        for q in range((period.start.month - 1) // 3 + 1, (period.end.month - 1) // 3 + 2)
    }
    return Headline(
        points=len(ledger.points),
        points_closed=sum(1 for p in ledger.points.values() if p.closed is not None),
        points_behind=_behind(ledger, list(ledger.points.values()), day),
        milestones=split.milestones,
        due_to_date=split.due,
        done_on_time=split.on_time,
        done_late=split.late,
        overdue=split.overdue,
        due_today_open=split.due_today,
        not_yet_due=split.not_yet_due,
        done_early=split.early,
        extensions_granted=len(extended),
        completion=counts.completion,
        expected=counts.expected,
        meetings_held=sum(1 for m in ledger.meetings.values() if within(m.on)),
        pilots_reviewed=sum(
            1 for p in ledger.pilots.values() if any(within(r.on) for r in p.reviews)
        ),
        pilots_due_for_review=sum(
            1 for p in ledger.pilots.values() if pilot_view(ledger, p, day).state == "due_review"
        ),
        cases_selected=sum(1 for c in ledger.cases.values() if c.quarter in quarters),
        cases_promoted=sum(
            1 for c in ledger.cases.values() if any(within(p.on) for p in c.promotions)
        ),
        notices_issued=notices.issued,
        notice_items=notices.items,
        notice_items_still_open=notices.still_open,
        publicity=sum(1 for p in ledger.publicity.values() if within(p.on)),
    )


def overdue(ledger: Ledger, day: dt.date) -> tuple[Overdue, ...]:
    """Open milestones past due at the day, most overdue first."""
    return tuple(
        Overdue(
            point=i.point.id,
            milestone=i.milestone.key,
            name=i.milestone.name,
            title=i.point.title,
            lead=i.point.lead,
            lead_name=ledger.unit_name(i.point.lead),
            group=i.point.group,
            group_name=ledger.group_name(i.point.group),
            due=i.milestone.due_now,
            baseline_due=i.milestone.due,
            extensions=len(i.milestone.extensions),
            days_overdue=i.days_overdue,
            major=i.point.major,
            file=i.milestone.loc.file,
            line=i.milestone.loc.line,
        )
        for i in due_items(ledger, day)
    )


def extensions(ledger: Ledger) -> tuple[Extended, ...]:
    return tuple(
        Extended(
            point=point.id,
            milestone=ms.key,
            name=ms.name,
            lead=point.lead,
            lead_name=ledger.unit_name(point.lead),
            baseline_due=ms.due,
            due=ms.due_now,
            times=len(ms.extensions),
            days_moved=(ms.due_now - ms.due).days,
            reasons=tuple(e.reason for e in ms.extensions),
        )
        for point in ledger.points.values()
        for ms in point.milestones
        if ms.extensions
    )


def closed(ledger: Ledger) -> tuple[Closed, ...]:
    return tuple(
        Closed(p.id, p.title, p.lead, ledger.unit_name(p.lead), p.closed, p.closing_evidence)
        for p in ledger.points.values()
        if p.closed is not None
    )


def half_year(ledger: Ledger, year: int, number: int, today: dt.date) -> HalfYear:
    """半年通报: headline figures, rankings by unit and group, overdue, extensions, closed."""
    period = period_of("half", year, number)
    day = _day(period, today)
    led = as_of(ledger, day)
    return HalfYear(
        kind="half",
        period=period,
        as_of=day,
        written=today,
        ledger_title=ledger.settings.title,
        office=_office(ledger),
        headline=headline(led, day, period),
        ranking_unit=tuple(ranking(led, day, "unit")),
        ranking_group=tuple(ranking(led, day, "group")),
        overdue=overdue(led, day),
        extensions=extensions(led),
        closed=closed(led),
    )


def year_end(ledger: Ledger, year: int, today: dt.date) -> YearEnd:
    """年终总账: every point closed or not, what carries over, each unit's account, the ranking."""
    period = period_of("year", year)
    day = _day(period, today)
    led = as_of(ledger, day)
    soon = led.settings.soon_days
    points = []
    carry = []
    for p in led.points.values():
        status = point_view(p, day, soon).status
        lead_name = led.unit_name(p.lead)
        points.append(
            PointState(p.id, p.title, p.lead, lead_name, status, p.closed, p.closing_evidence)
        )
        open_ms = [m for m in p.milestones if m.done is None]
        if p.closed is None and (open_ms or not p.milestones):
            carry.append(
                CarryOver(
                    p.id,
                    p.title,
                    p.lead,
                    lead_name,
                    status,
                    tuple(OpenMilestone(m.key, m.name, m.due_now) for m in open_ms),
                )
            )
    return YearEnd(
        kind="year",
        period=period,
        as_of=day,
        written=today,
        ledger_title=ledger.settings.title,
        office=_office(ledger),
        headline=headline(led, day, period),
        points=tuple(points),
        carry_over=tuple(carry),
        accounts=accounts(led, day),
        ranking_unit=tuple(ranking(led, day, "unit")),
    )


def accounts(ledger: Ledger, day: dt.date) -> tuple[Account, ...]:
    """Each lead unit's account, by the unit's name."""
    by_unit: dict[str, list[Point]] = {}
    for p in ledger.points.values():
        by_unit.setdefault(p.lead, []).append(p)
    out = []
    for unit in sorted(by_unit, key=lambda u: ledger.unit_name(u)):
        ms = [m for p in by_unit[unit] for m in p.milestones]
        c = due_split(ms, day)
        out.append(
            Account(
                unit=unit,
                name=ledger.unit_name(unit),
                milestones=c.milestones,
                due_to_date=c.due,
                done_on_time=c.on_time,
                done_late=c.late,
                overdue=c.overdue,
                open_due=c.open_due,
                extended=sum(1 for m in ms if m.extensions),
            )
        )
    return tuple(out)


def _case_themes(ledger: Ledger, quarter: str) -> tuple[str, ...]:
    """The themes of the model cases of a quarter (按季度分主题推介)."""
    return tuple(sorted({c.theme for c in ledger.cases.values() if c.quarter == quarter}))


def quarter(ledger: Ledger, year: int, number: int, today: dt.date) -> Quarter:
    """按季盘点 of major items: milestones in the quarter, monthly entries present or missing."""
    period = period_of("quarter", year, number)
    day = _day(period, today)
    led = as_of(ledger, day)
    soon = led.settings.soon_days
    majors = [p for p in led.points.values() if p.major]
    months = tuple(f"{year}-{m:02d}" for m in range(period.start.month, period.end.month + 1))
    due_months = [m for m in months if m <= f"{day:%Y-%m}"]

    in_quarter = [
        (p, m) for p in majors for m in p.milestones if period.start <= m.due_now <= period.end
    ]
    milestones = tuple(
        QuarterMilestone(p.id, m.key, m.name, m.due_now, m.done, milestone_state(m, day, soon))
        for p, m in in_quarter
    )
    entries = []
    missing = []
    for p in majors:
        have = {e.month for e in p.progress}
        missing += [MissingEntry(p.id, m) for m in due_months if m not in have]
        entries.append(
            MonthlyEntries(
                p.id,
                p.title,
                point_view(p, day, soon).status,
                tuple((m, m in have) for m in due_months),
            )
        )
    late = tuple(
        OverdueFinding(
            p.id, m.key, m.name, m.due_now, (day - m.due_now).days, p.lead, led.unit_name(p.lead)
        )
        for p in majors
        for m in p.milestones
        if m.done is None and m.due_now < day
    )
    split = due_split([m for _, m in in_quarter], day)
    figures = QuarterHeadline(
        major_points=len(majors),
        points_closed=sum(1 for p in majors if p.closed is not None),
        points_behind=_behind(led, majors, day),
        milestones_in_quarter=split.milestones,
        due_to_date=split.due,
        done_on_time=split.on_time,
        done_late=split.late,
        overdue=split.overdue,
        due_today_open=split.due_today,
        not_yet_due=split.not_yet_due,
        done_early=split.early,
        case_themes=_case_themes(led, f"{year}-Q{number}"),
        months_due=len(due_months),
        entries_expected=len(majors) * len(due_months),
        missing_entries=len(missing),
    )
    return Quarter(
        kind="quarter",
        period=period,
        as_of=day,
        written=today,
        ledger_title=ledger.settings.title,
        office=_office(ledger),
        headline=figures,
        months=months,
        milestones=milestones,
        monthly_entries=tuple(entries),
        missing=tuple(missing),
        overdue=late,
    )


PERIODS = {"half": 2, "quarter": 4, "year": 1}  # periods a year


def report(kind: str, ledger: Ledger, year: int, number: int | None, today: dt.date) -> AnyReport:
    """The report of ``kind`` (half, quarter, year) for period ``number`` of ``year`` (default:
    the one ``today`` falls in, or the year's last); a period the year lacks is refused."""
    count = PERIODS[kind]
    if number is None:
        day = min(today, dt.date(year, 12, 31))
        number = 1 if kind == "year" else (day.month - 1) // (12 // count) + 1
    if not 1 <= number <= count:
        raise ReformctlError("r-bad-period", kind=kind, max=count, n=number)
    if kind == "half":
        return half_year(ledger, year, number, today)
    if kind == "quarter":
        return quarter(ledger, year, number, today)
    return year_end(ledger, year, today)
