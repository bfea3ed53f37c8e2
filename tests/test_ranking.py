"""The ranking rule and its invariants (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl import records
from reformctl.model import Ledger
from reformctl.ranking import rank_tallies, ranking
from reformctl.schedule import Tally, tally
from tests.conftest import examples
from tests.strategies import days, ledgers

BYS = st.sampled_from(["unit", "group", "point", "coop"])


def test_rule_order() -> None:
    rows = rank_tallies(
        [
            ("a", "A", Tally(milestones=4, due_to_date=2, done=1, overdue=1)),
            ("b", "B", Tally(milestones=4, due_to_date=2, done=2)),
            ("c", "C", Tally(milestones=4, due_to_date=2, done=3)),
            ("d", "D", Tally(milestones=4, due_to_date=2, done=2, done_late=1)),
            ("e", "E", Tally(milestones=4, due_to_date=3, done=1, overdue=2)),
            ("f", "F", Tally(milestones=4, due_to_date=2, done=2)),
        ]
    )
    assert [(r.rank, r.key) for r in rows] == [
        (1, "c"),
        (2, "b"),
        (3, "f"),
        (4, "d"),
        (5, "a"),
        (6, "e"),
    ]


@settings(max_examples=examples(200), deadline=None)
@given(data=st.data(), by=BYS)
def test_ranking_is_a_total_order_independent_of_file_order(data: st.DataObject, by: str) -> None:
    today = data.draw(days)
    ledger = data.draw(ledgers(today))
    rows = ranking(ledger, today, by)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert len({r.key for r in rows}) == len(rows)
    items = list(ledger.points.items())
    random.Random(data.draw(st.integers())).shuffle(items)
    shuffled = records.replace(ledger, points=dict(items))
    assert [(r.rank, r.key) for r in ranking(shuffled, today, by)] == [
        (r.rank, r.key) for r in rows
    ]


@settings(max_examples=examples(200), deadline=None)
@given(data=st.data(), by=BYS)
def test_overdue_never_ranks_above_no_overdue(data: st.DataObject, by: str) -> None:
    today = data.draw(days)
    rows = ranking(data.draw(ledgers(today)), today, by)
    seen_overdue = False
    for row in rows:
        if row.counts.overdue:
            seen_overdue = True
        else:
            assert not seen_overdue, "a row without overdue ranks below one with overdue"


def _mark_done(ledger: Ledger, pid: str, index: int, on: dt.date) -> Ledger:
    point = ledger.points[pid]
    ms = list(point.milestones)
    ms[index] = records.replace(ms[index], done=on)
    points = dict(ledger.points)
    points[pid] = records.replace(point, milestones=tuple(ms))
    return records.replace(ledger, points=points)


@settings(max_examples=examples(200), deadline=None)
@given(data=st.data())
def test_marking_done_never_lowers_completion(data: st.DataObject) -> None:
    today = data.draw(days)
    ledger = data.draw(ledgers(today))
    open_ms = [
        (p.id, i)
        for p in ledger.points.values()
        for i, m in enumerate(p.milestones)
        if m.done is None
    ]
    if not open_ms:
        return
    pid, index = data.draw(st.sampled_from(open_ms))
    on = today - dt.timedelta(days=data.draw(st.integers(0, 30)))
    after = _mark_done(ledger, pid, index, on)
    for by, key in (
        ("unit", ledger.points[pid].lead),
        ("group", ledger.points[pid].group),
        ("point", pid),
    ):
        before_row = next(r for r in ranking(ledger, today, by) if r.key == key)
        after_row = next(r for r in ranking(after, today, by) if r.key == key)
        assert after_row.counts.completion >= before_row.counts.completion
        assert after_row.counts.overdue <= before_row.counts.overdue


@settings(max_examples=examples(100), deadline=None)
@given(data=st.data())
def test_fractions_in_range_and_unit_totals_add_up(data: st.DataObject) -> None:
    today = data.draw(days)
    ledger = data.draw(ledgers(today))
    rows = ranking(ledger, today, "unit")
    total = sum((r.counts for r in rows), Tally())
    assert total == sum((tally(p.milestones, today, 7) for p in ledger.points.values()), Tally())
    for r in rows:
        assert 0 <= r.counts.completion <= 1
        assert 0 <= r.counts.expected <= 1
