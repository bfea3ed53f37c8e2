"""Deadlines at the edges: due today, due yesterday, leap day, year end, extensions."""

from __future__ import annotations

import datetime as dt

import pytest

from reformctl.model import Extension, Loc, Milestone, Point
from reformctl.schedule import (
    DayCounter,
    milestone_state,
    point_view,
    status_of,
    tally,
)

LOC = Loc("ledger.toml", 1)
D = dt.date


def ms(
    due: dt.date, done: dt.date | None = None, ext: tuple[dt.date, ...] = (), key: str = "m"
) -> Milestone:
    return Milestone("P", key, "节点", due, LOC, done, None, tuple(Extension(t, "r") for t in ext))


def point(*milestones: Milestone, closed: dt.date | None = None) -> Point:
    return Point(
        "P",
        "要点",
        "g",
        "u",
        LOC,
        milestones=milestones,
        closed=closed,
        closing_evidence="x" if closed else None,
    )


@pytest.mark.parametrize(
    ("due", "today", "state"),
    [
        (D(2026, 6, 30), D(2026, 6, 30), "due_today"),  # due at the end of the day
        (D(2026, 6, 30), D(2026, 7, 1), "overdue"),
        (D(2026, 6, 30), D(2026, 6, 23), "due_soon"),  # 7 days before: inside the window
        (D(2026, 6, 30), D(2026, 6, 22), "open"),
        (D(2028, 2, 29), D(2028, 3, 1), "overdue"),  # leap day
        (D(2026, 12, 31), D(2027, 1, 1), "overdue"),  # year end
    ],
)
def test_milestone_state(due: dt.date, today: dt.date, state: str) -> None:
    assert milestone_state(ms(due), today, 7) == state


def test_days_overdue_across_leap_day_and_year_end() -> None:
    counter = DayCounter()
    assert counter.between(D(2028, 2, 28), D(2028, 3, 1)) == 2
    assert counter.between(D(2026, 12, 31), D(2027, 1, 1)) == 1
    assert counter.between(D(2026, 6, 30), D(2026, 6, 27)) == -3


def test_extension_moves_the_due_date_and_keeps_the_baseline() -> None:
    m = ms(D(2026, 8, 31), ext=(D(2026, 10, 31),))
    assert m.due == D(2026, 8, 31)
    assert m.due_now == D(2026, 10, 31)
    assert milestone_state(m, D(2026, 9, 15), 7) == "open"
    done_within_extension = ms(D(2026, 8, 31), D(2026, 10, 28), (D(2026, 10, 31),))
    assert milestone_state(done_within_extension, D(2026, 11, 1), 7) == "done"
    assert tally([done_within_extension], D(2026, 11, 1), 7).done_late == 0


def test_done_late_against_due_in_force() -> None:
    assert milestone_state(ms(D(2026, 6, 30), D(2026, 7, 8)), D(2026, 8, 1), 7) == "done_late"


def test_tally_and_expected_progress() -> None:
    today = D(2026, 7, 1)
    counts = tally(
        [ms(D(2026, 3, 31), D(2026, 3, 28)), ms(D(2026, 6, 30)), ms(D(2026, 12, 1))], today, 7
    )
    assert (counts.milestones, counts.due_to_date, counts.done, counts.overdue) == (3, 2, 1, 1)
    assert counts.expected == pytest.approx(2 / 3)
    assert counts.completion == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("milestones", "today", "status"),
    [
        ((), D(2026, 7, 1), "not_started"),
        ((ms(D(2026, 9, 30)),), D(2026, 7, 1), "not_started"),
        ((ms(D(2026, 9, 30), D(2026, 6, 1)), ms(D(2026, 12, 1), key="b")), D(2026, 7, 1), "ahead"),
        (
            (ms(D(2026, 6, 30), D(2026, 6, 1)), ms(D(2026, 12, 1), key="b")),
            D(2026, 7, 1),
            "on_track",
        ),
        ((ms(D(2026, 7, 1)),), D(2026, 7, 1), "behind"),  # due today, not yet done
        ((ms(D(2026, 6, 30)),), D(2026, 7, 1), "overdue"),
        ((ms(D(2026, 6, 30), D(2026, 7, 1)),), D(2026, 7, 1), "done"),
    ],
)
def test_point_status(milestones: tuple[Milestone, ...], today: dt.date, status: str) -> None:
    assert point_view(point(*milestones), today, 7).status == status


def test_closed_outranks_everything() -> None:
    p = point(ms(D(2026, 6, 30), D(2026, 6, 1)), closed=D(2026, 6, 2))
    assert status_of(p, tally(p.milestones, D(2026, 7, 1), 7)) == "closed"


def test_working_days_know_official_holidays_and_makeup_days() -> None:
    counter = DayCounter(working_days=True)
    # 2026 National Day: 1-7 October off; Thursday 8, Friday 9 and Saturday 10 (调休) worked.
    assert counter.between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert counter.between(D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert counter.fallback_years == set()


def test_working_days_fall_back_to_weekdays_with_a_flag() -> None:
    counter = DayCounter(working_days=True)
    # chinese-calendar has no 2027 schedule: Monday-Friday, and the year is flagged.
    assert counter.between(D(2026, 12, 31), D(2027, 1, 5)) == 3
    assert counter.fallback_years == {2027}
