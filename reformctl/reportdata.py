"""The office's documents as data: the records :mod:`reformctl.reports` builds and
:mod:`reformctl.render` turns into terminal tables, Markdown, HTML, workbooks, documents and
JSON.

Dates, fractions, IDs and names; no language and no display form. Each record's fields are the
keys of the report's JSON (documented in docs/reports.md), so a new output (a site, a notice in
a new format) reads the figures, not a table made for people.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from reformctl.ranking import RankRow


@dataclass(frozen=True)
class Period:
    kind: str  # half | quarter | year
    number: int
    start: dt.date
    end: dt.date


def period_of(kind: str, year: int, number: int = 1) -> Period:
    if kind == "year":
        return Period(kind, 1, dt.date(year, 1, 1), dt.date(year, 12, 31))
    months = 6 if kind == "half" else 3
    first = (number - 1) * months + 1
    last = first + months - 1
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(kind, number, dt.date(year, first, 1), end)


# -- the half-year circular's and the year-end reckoning's figures
@dataclass(frozen=True)
class Headline:
    """总体情况. ``due_to_date = done_on_time + done_late + overdue + due_today_open`` and
    ``milestones = due_to_date + not_yet_due`` (``done_early`` is among those not yet due)."""

    points: int
    points_closed: int
    points_behind: int  # behind 序时进度 or overdue
    milestones: int
    due_to_date: int
    done_on_time: int
    done_late: int
    overdue: int
    due_today_open: int
    not_yet_due: int
    done_early: int
    extensions_granted: int  # within the period
    completion: Fraction
    expected: Fraction
    # the other mechanisms, within the period up to its day
    meetings_held: int
    pilots_reviewed: int
    pilots_due_for_review: int
    cases_selected: int
    cases_promoted: int
    notices_issued: int
    notice_items: int
    notice_items_still_open: int
    publicity: int


@dataclass(frozen=True)
class Overdue:
    """An open milestone past its due date in force."""

    point: str
    milestone: str
    name: str
    title: str  # the point's
    lead: str
    lead_name: str
    group: str
    group_name: str
    due: dt.date  # in force
    baseline_due: dt.date
    extensions: int
    days_overdue: int
    major: bool
    file: str
    line: int


@dataclass(frozen=True)
class Extended:
    """A milestone whose due date was moved (申请延期)."""

    point: str
    milestone: str
    name: str
    lead: str
    lead_name: str
    baseline_due: dt.date
    due: dt.date
    times: int
    days_moved: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Closed:
    """A point closed and struck off (结项销号)."""

    id: str
    title: str
    lead: str
    lead_name: str
    closed: dt.date
    closing_evidence: str | None


@dataclass(frozen=True)
class PointState:
    """A point at the year's end, closed or not."""

    id: str
    title: str
    lead: str
    lead_name: str
    status: str
    closed: dt.date | None
    closing_evidence: str | None


@dataclass(frozen=True)
class OpenMilestone:
    milestone: str
    name: str
    due: dt.date


@dataclass(frozen=True)
class CarryOver:
    """An unfinished point and its open milestones, carried into next year."""

    id: str
    title: str
    lead: str
    lead_name: str
    status: str
    open_milestones: tuple[OpenMilestone, ...]


@dataclass(frozen=True)
class Account:
    """A lead unit's account: ``due_to_date = done_on_time + done_late + open_due``."""

    unit: str
    name: str
    milestones: int
    due_to_date: int
    done_on_time: int
    done_late: int
    overdue: int
    open_due: int
    extended: int


# -- the quarterly review of major items
@dataclass(frozen=True)
class QuarterHeadline:
    major_points: int
    points_closed: int
    points_behind: int
    milestones_in_quarter: int  # = due_to_date + not_yet_due
    due_to_date: int
    done_on_time: int
    done_late: int
    overdue: int
    due_today_open: int
    not_yet_due: int
    done_early: int
    case_themes: tuple[str, ...]  # of the quarter's model cases
    months_due: int  # months of the quarter up to its day
    entries_expected: int  # major points x months due
    missing_entries: int


@dataclass(frozen=True)
class QuarterMilestone:
    point: str
    milestone: str
    name: str
    due: dt.date  # in force
    done: dt.date | None
    state: str


@dataclass(frozen=True)
class MonthlyEntries:
    """A major point's monthly entries, for each month of the quarter up to its day."""

    id: str
    title: str
    status: str
    entries: tuple[tuple[str, bool], ...]  # (YYYY-MM, present)


@dataclass(frozen=True)
class MissingEntry:
    point: str
    month: str


@dataclass(frozen=True)
class OverdueFinding:
    point: str
    milestone: str
    name: str
    due: dt.date
    days_overdue: int
    lead: str
    lead_name: str


# -- the reports
@dataclass(frozen=True)
class Report:
    """What every report has: which, over what period, as of which day (the period's end, or
    today if it is not over), written when (成文日期), by whom (落款), of which ledger."""

    kind: str
    period: Period
    as_of: dt.date
    written: dt.date
    ledger_title: str
    office: str | None  # None: the ledger names none (a .docx is refused)


@dataclass(frozen=True)
class HalfYear(Report):
    """半年通报."""

    headline: Headline
    ranking_unit: tuple[RankRow, ...]
    ranking_group: tuple[RankRow, ...]
    overdue: tuple[Overdue, ...]
    extensions: tuple[Extended, ...]
    closed: tuple[Closed, ...]


@dataclass(frozen=True)
class YearEnd(Report):
    """年终总账."""

    headline: Headline
    points: tuple[PointState, ...]
    carry_over: tuple[CarryOver, ...]
    accounts: tuple[Account, ...]
    ranking_unit: tuple[RankRow, ...]


@dataclass(frozen=True)
class Quarter(Report):
    """按季盘点 of major items."""

    headline: QuarterHeadline
    months: tuple[str, ...]  # every month of the quarter
    milestones: tuple[QuarterMilestone, ...]
    monthly_entries: tuple[MonthlyEntries, ...]
    missing: tuple[MissingEntry, ...]
    overdue: tuple[OverdueFinding, ...]


AnyReport = HalfYear | YearEnd | Quarter
