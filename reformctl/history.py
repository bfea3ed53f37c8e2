"""Progress over time: completion against expected progress at each recorded state of the ledger.

Pure: it takes (date, commit, ledger) snapshots and computes one row per snapshot, judged on
that snapshot's own date, for the whole office, one lead unit or one group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from reformctl.model import Ledger, Point
from reformctl.schedule import Tally, tally

SCOPES = ("office", "unit", "group")


@dataclass(frozen=True)
class HistoryRow:
    day: dt.date
    commit: str
    counts: Tally | None  # None: the ledger at this commit is invalid
    invalid: str | None = None  # then: its first problem


def scope_tally(ledger: Ledger, day: dt.date, by: str, key: str | None) -> Tally:
    points: Iterable[Point] = ledger.points.values()
    if by == "unit":
        points = [p for p in points if p.lead == key]
    elif by == "group":
        points = [p for p in points if p.group == key]
    soon = ledger.settings.soon_days
    return sum((tally(p.milestones, day, soon) for p in points), Tally())


def history(
    snapshots: Iterable[tuple[dt.date, str, Ledger | str]],
    by: str = "office",
    key: str | None = None,
    per: str = "commit",
) -> list[HistoryRow]:
    """One row a snapshot; a snapshot whose ledger is invalid (given as its first problem)
    is listed as such, never skipped."""
    rows = [
        HistoryRow(day, commit, scope_tally(ledger, day, by, key))
        if not isinstance(ledger, str)
        else HistoryRow(day, commit, None, ledger)
        for day, commit, ledger in snapshots
    ]
    rows.sort(key=lambda r: r.day)  # a rebase may keep old author dates out of commit order
    if per == "month":  # the last state of each month
        last: dict[str, HistoryRow] = {}
        for row in rows:
            last[row.day.strftime("%Y-%m")] = row
        rows = list(last.values())
    return rows
