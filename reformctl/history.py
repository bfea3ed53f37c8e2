"""Progress over time: completion against expected progress at each recorded state of the ledger.

:func:`history` is pure: it takes (date, commit, ledger) snapshots and computes one row per
snapshot, judged on that snapshot's own date, for the whole office, one lead unit or one
group. :func:`snapshots` reads them from git, each revision's figures kept in the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


Snapshot = tuple[dt.date, str, Ledger | Tally | str]


def history(
    snapshots: Iterable[Snapshot],
    by: str = "office",
    key: str | None = None,
    per: str = "commit",
) -> list[HistoryRow]:
    """One row a snapshot (its ledger, or that ledger's figures for ``by`` and ``key`` on its
    day, already counted); a snapshot whose ledger is invalid (given as its first problem)
    is listed as such, never skipped."""
    rows = [
        HistoryRow(day, commit, None, ledger)
        if isinstance(ledger, str)
        else HistoryRow(day, commit, ledger)
        if isinstance(ledger, Tally)
        else HistoryRow(day, commit, scope_tally(ledger, day, by, key))
        for day, commit, ledger in snapshots
    ]
    rows.sort(key=lambda r: r.day)  # a rebase may keep old author dates out of commit order
    if per == "month":  # the last state of each month
        last: dict[str, HistoryRow] = {}
        for row in rows:
            last[row.day.strftime("%Y-%m")] = row
        rows = list(last.values())
    return rows


def snapshots(path: Path, tz: dt.tzinfo, by: str, key: str | None, lang: str) -> Iterator[Snapshot]:
    """Each commit that changed the ledger (or any file of its workspace): its day (in the
    ledger's timezone), short hash, and its figures for ``by`` and ``key`` (or its first
    problem). A revision's figures are a function of its files' texts and the day: those of
    every scope (the office, each lead unit, each group) are counted in one pass and cached
    under exactly those, so a hundred 10,000-point models are read once for any scope asked
    next; the models themselves are not kept (their figures are), and each is let go before
    the next is read."""
    from reformctl.errors import InvalidLedger
    from reformctl.ledger import cache
    from reformctl.ledger.revision import commits, revision_at

    for sha, when in commits(path):
        day = when.astimezone(tz).date()  # the day it was, in the ledger's own timezone
        try:
            revision = revision_at(path, sha)
        except InvalidLedger as exc:  # not UTF-8, or a configuration that is not one
            yield day, sha[:8], exc.problem.line(lang)
            continue
        if revision is None:
            continue
        entry = None
        if cache.enabled():
            entry = cache.key("history-figures", revision.content, day.isoformat(), lang)
            found = _figures(cache.get_bytes(entry), by, key)
            if found is not None:
                yield day, sha[:8], found
                continue
        with cache.reading_only():  # (its figures are kept, below: not its model)
            loaded = revision.load()
        figures: Figures | str
        if loaded.ledger is not None and not loaded.problems:
            figures = every_scope(loaded.ledger, day)
        else:
            figures = loaded.problems[0].line(lang) if loaded.problems else ""
        del loaded
        if entry is not None:
            cache.put_bytes(entry, _stored(figures))
        yield day, sha[:8], figures if isinstance(figures, str) else figures.of(by, key)


@dataclass(frozen=True)
class Figures:
    """A ledger's tallies on one day: the office's, each lead unit's and each group's."""

    office: Tally
    units: dict[str, Tally]
    groups: dict[str, Tally]

    def of(self, by: str, key: str | None) -> Tally:
        """:func:`scope_tally` of the same ledger and day."""
        if by == "unit":
            return self.units.get(key or "", Tally())
        if by == "group":
            return self.groups.get(key or "", Tally())
        return self.office


def every_scope(ledger: Ledger, day: dt.date) -> Figures:
    """Every scope's :func:`scope_tally` in one pass over the points."""
    soon = ledger.settings.soon_days
    office = Tally()
    units: dict[str, Tally] = {}
    groups: dict[str, Tally] = {}
    for point in ledger.points.values():
        counted = tally(point.milestones, day, soon)
        office = office + counted
        units[point.lead] = units.get(point.lead, Tally()) + counted
        groups[point.group] = groups.get(point.group, Tally()) + counted
    return Figures(office, units, groups)


def _stored(figures: Figures | str) -> bytes:
    value: Any = (
        figures
        if isinstance(figures, str)
        else {
            "office": dataclasses.astuple(figures.office),
            "units": {k: dataclasses.astuple(t) for k, t in figures.units.items()},
            "groups": {k: dataclasses.astuple(t) for k, t in figures.groups.items()},
        }
    )
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _figures(payload: bytes | None, by: str, key: str | None) -> Tally | str | None:
    """The figures for ``by`` and ``key`` in what :func:`_stored` wrote, or None when it is
    not that."""
    if payload is None:
        return None
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError):  # (an intact entry of another's: nested too deep)
        return None
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return None
    office, units, groups = (value.get(k) for k in ("office", "units", "groups"))
    if not (isinstance(units, dict) and isinstance(groups, dict)):
        return None
    if by == "unit":
        found = units.get(key or "", [])
    elif by == "group":
        found = groups.get(key or "", [])
    else:
        found = office
    return Tally() if found == [] and by != "office" else _tally(found)


def _tally(value: Any) -> Tally | None:
    fields = len(dataclasses.fields(Tally))
    if (
        isinstance(value, list)
        and len(value) == fields
        and all(type(v) is int and v >= 0 for v in value)
    ):
        return Tally(*value)
    return None
