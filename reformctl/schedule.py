"""Deadlines and status: pure functions of (ledger, today). No I/O, no clock.

A milestone is due at the end of its due day in the ledger's timezone: on the day it is *due
today*, the next day it is overdue by 1 day. The due date in force is the last extension's
(the baseline stays on the milestone for reports).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reformctl.model import Ledger, Milestone, Point
from reformctl.records import record

if TYPE_CHECKING:
    from fractions import Fraction

POINT_STATUSES = ("not_started", "ahead", "on_track", "behind", "overdue", "done", "closed")
# Milestone states, in the order a clerk cares about them.
MS_OVERDUE, MS_DUE_TODAY, MS_DUE_SOON, MS_OPEN, MS_DONE_LATE, MS_DONE = (
    "overdue",
    "due_today",
    "due_soon",
    "open",
    "done_late",
    "done",
)


class DayCounter:
    """Counts days between dates: calendar days, or Chinese working days with 调休.

    chinese-calendar knows the official holiday schedule only up to its last published year;
    past that, working days fall back to Monday–Friday and the year is remembered in
    ``fallback_years`` so that the CLI can warn instead of giving a silently wrong answer.
    """

    def __init__(self, working_days: bool = False) -> None:
        self.working_days = working_days
        self.fallback_years: set[int] = set()
        self._cache: dict[dt.date, bool] = {}

    def _is_workday(self, day: dt.date) -> bool:
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        try:
            import chinese_calendar

            result = bool(chinese_calendar.is_workday(day))
        except (NotImplementedError, ImportError):
            self.fallback_years.add(day.year)
            result = day.weekday() < 5
        self._cache[day] = result
        return result

    def between(self, start: dt.date, end: dt.date) -> int:
        """Days d with start < d <= end (negative when end is before start)."""
        if not self.working_days:
            return (end - start).days
        sign = 1 if end >= start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        n = 0
        day = lo + dt.timedelta(days=1)
        while day <= hi:
            n += self._is_workday(day)
            day += dt.timedelta(days=1)
        return sign * n


CALENDAR_DAYS = DayCounter()


def milestone_state(ms: Milestone, today: dt.date, soon_days: int) -> str:
    if ms.done is not None:
        return MS_DONE_LATE if ms.done > ms.due_now else MS_DONE
    due = ms.due_now
    if due < today:
        return MS_OVERDUE
    if due == today:
        return MS_DUE_TODAY
    if (due - today).days <= soon_days:
        return MS_DUE_SOON
    return MS_OPEN


@record
class Tally:
    """Counts over a set of milestones at a day; the basis of status, progress and ranks."""

    milestones: int = 0
    due_to_date: int = 0  # due (in force) on or before today
    done: int = 0
    done_late: int = 0
    overdue: int = 0  # past due and open
    due_soon: int = 0  # open, due today or within the window

    @property
    def completion(self) -> Fraction:
        # start-up: `progress`, `rank` and the reports (not `overdue`) load fractions (~1.6 ms)
        from fractions import Fraction

        return Fraction(self.done, self.milestones) if self.milestones else Fraction(0)

    @property
    def expected(self) -> Fraction:
        """序时进度: the share of milestones due by today."""
        # start-up: `progress`, `rank` and the reports load fractions
        from fractions import Fraction

        return Fraction(self.due_to_date, self.milestones) if self.milestones else Fraction(0)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.milestones + other.milestones,
            self.due_to_date + other.due_to_date,
            self.done + other.done,
            self.done_late + other.done_late,
            self.overdue + other.overdue,
            self.due_soon + other.due_soon,
        )


def tally(milestones: Iterable[Milestone], today: dt.date, soon_days: int) -> Tally:
    n = due_to_date = done = late = overdue = soon = 0
    for ms in milestones:
        n += 1
        due = ms.due_now
        if due <= today:
            due_to_date += 1
        if ms.done is not None:
            done += 1
            if ms.done > due:
                late += 1
        elif due < today:
            overdue += 1
        elif (due - today).days <= soon_days:
            soon += 1
    return Tally(n, due_to_date, done, late, overdue, soon)


def status_of(point: Point, counts: Tally) -> str:
    """A point's status (docs/status-and-ranking.md) from its milestones' tally."""
    if point.closed is not None:
        return "closed"
    if counts.milestones and counts.done == counts.milestones:
        return "done"
    if counts.overdue:
        return "overdue"
    if counts.due_to_date == 0 and counts.done == 0:
        return "not_started"
    if counts.done > counts.due_to_date:
        return "ahead"
    if counts.done == counts.due_to_date:
        return "on_track"
    return "behind"


@record
class PointView:
    """A point with what is derived from it at a day."""

    point: Point
    counts: Tally
    status: str

    @property
    def progress(self) -> Fraction:
        return self.counts.completion


def point_view(point: Point, today: dt.date, soon_days: int) -> PointView:
    counts = tally(point.milestones, today, soon_days)
    return PointView(point, counts, status_of(point, counts))


def point_views(ledger: Ledger, today: dt.date, soon_days: int | None = None) -> list[PointView]:
    soon = ledger.settings.soon_days if soon_days is None else soon_days
    return [point_view(p, today, soon) for p in ledger.points.values()]


@record
class DueItem:
    """An open milestone that is overdue or due soon: what `overdue` and `check` report."""

    point: Point
    milestone: Milestone
    days_overdue: int  # > 0 overdue; 0 due today; < 0 days left

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def due_items(
    ledger: Ledger,
    today: dt.date,
    soon_days: int | None = None,
    counter: DayCounter = CALENDAR_DAYS,
) -> list[DueItem]:
    """Open milestones past due and, when ``soon_days`` is given, due within that many days.

    Most overdue first; then by due date, point and milestone, so the order is total.
    """
    found: list[tuple[int, str, str, int, DueItem]] = []
    horizon = today + dt.timedelta(days=soon_days) if soon_days is not None else None
    for point in ledger.points.values():
        if point.closed is not None:
            continue
        for ms in point.milestones:
            if ms.done is not None:
                continue
            due = ms.due_now
            if due < today or (horizon is not None and due <= horizon):
                late = (today - due).days
                days = counter.between(due, today)
                # (sorted by a tuple made here: most overdue first, then point and milestone)
                found.append((-late, point.id, ms.key, len(found), DueItem(point, ms, days)))
    found.sort()
    return [entry[-1] for entry in found]


@record
class DueSplit:
    """Milestones at a day, split so that the parts add up (the identity every report's
    figures obey):

    - ``milestones = due + not_yet_due``
    - ``due = on_time + late + overdue + due_today``  (应完成 = 按时完成 + 逾期完成 + 逾期未完成
      + 当日到期未完成)
    - ``not_yet_due = early + open_not_due``  (a milestone done before it fell due is 提前完成,
      never counted among those due)
    """

    milestones: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    due_today: int = 0
    early: int = 0

    @property
    def not_yet_due(self) -> int:
        return self.milestones - self.due

    @property
    def open_not_due(self) -> int:
        return self.not_yet_due - self.early

    @property
    def open_due(self) -> int:
        return self.overdue + self.due_today


def due_split(milestones: Iterable[Milestone], day: dt.date) -> DueSplit:
    n = due = on_time = late = overdue = today = early = 0
    for ms in milestones:
        n += 1
        deadline = ms.due_now
        if deadline > day:
            early += ms.done is not None
            continue
        due += 1
        if ms.done is None:
            if deadline < day:
                overdue += 1
            else:
                today += 1
        elif ms.done > deadline:
            late += 1
        else:
            on_time += 1
    return DueSplit(n, due, on_time, late, overdue, today, early)
