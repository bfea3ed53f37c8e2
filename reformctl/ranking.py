"""Ranked progress tables (比进度): pure functions of (ledger, today).

The rule, a total order, stated once here and under every table:

1. entries with no overdue milestone rank above every entry with one;
2. fewer overdue milestones;
3. a larger lead of completion over expected progress (完成率 − 序时进度);
4. fewer milestones done late;
5. higher completion;
6. finally the key, alphabetically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from reformctl import records
from reformctl.model import Ledger, Point
from reformctl.records import record
from reformctl.schedule import Tally, tally

BY_CHOICES = ("unit", "group", "point", "coop")


@record
class RankRow:
    rank: int
    key: str
    name: str
    counts: Tally
    office: bool = False  # the office's own unit (office_unit): marked, ranked as any other


def _sort_key(key: str, counts: Tally) -> tuple[object, ...]:
    return (
        counts.overdue > 0,
        counts.overdue,
        counts.expected - counts.completion,
        counts.done_late,
        -counts.completion,
        key,
    )


def rank_tallies(entries: Iterable[tuple[str, str, Tally]]) -> list[RankRow]:
    """Rank (key, name, tally) entries by the rule above; ranks are 1..n and unique."""
    ordered = sorted(entries, key=lambda e: _sort_key(e[0], e[2]))
    return [RankRow(i, key, name, counts) for i, (key, name, counts) in enumerate(ordered, 1)]


def _grouped(
    ledger: Ledger, keys_of: Callable[[Point], Iterable[str]], today: dt.date, soon: int
) -> dict[str, Tally]:
    totals: dict[str, Tally] = {}
    for point in ledger.points.values():
        if not point.milestones:
            continue
        counts = tally(point.milestones, today, soon)
        for key in keys_of(point):
            totals[key] = totals[key] + counts if key in totals else counts
    return totals


def ranking(ledger: Ledger, today: dt.date, by: str = "unit") -> list[RankRow]:
    """The ranked progress table by lead unit, co-operating unit, group or point.

    Units rank by the milestones of the points they lead (``coop``: the points they co-operate
    on); only units with at least one milestone appear.
    """
    soon = ledger.settings.soon_days
    if by == "point":
        return rank_tallies(
            (p.id, p.title, tally(p.milestones, today, soon)) for p in ledger.points.values()
        )
    if by == "group":
        totals = _grouped(ledger, lambda p: (p.group,), today, soon)
        return rank_tallies((k, ledger.group_name(k), t) for k, t in totals.items())
    if by == "coop":
        totals = _grouped(ledger, lambda p: p.units, today, soon)
    elif by == "unit":
        totals = _grouped(ledger, lambda p: (p.lead,), today, soon)
    else:
        raise ValueError(by)
    rows = rank_tallies((k, ledger.unit_name(k), t) for k, t in totals.items())
    office = ledger.settings.office_unit
    return [records.replace(r, office=True) if r.key == office else r for r in rows]
