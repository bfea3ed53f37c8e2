"""Progress over time: completion against expected progress at each recorded state of the ledger.

:func:`snapshots` reads each revision from git and counts its figures, judged on that
revision's own date, for the whole office, one lead unit or one group (every scope's at once,
kept in the cache); :func:`history` (pure) makes them rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reformctl import records
from reformctl.errors import InvalidLedger
from reformctl.ledger import cache
from reformctl.ledger.revision import commits, revision_at
from reformctl.model import Ledger
from reformctl.schedule import Tally, tally

SCOPES = ("office", "unit", "group")


@dataclass(frozen=True)
class HistoryRow:
    day: dt.date
    commit: str
    counts: Tally | None  # None: the ledger at this commit is invalid
    invalid: str | None = None  # then: its first problem


Snapshot = tuple[dt.date, str, Tally | str]


def history(snapshots: Iterable[Snapshot], per: str = "commit") -> list[HistoryRow]:
    """One row a snapshot (a revision's figures for the scope asked); a snapshot whose ledger
    is invalid (given as its first problem) is listed as such, never skipped."""
    rows = [
        HistoryRow(day, commit, None, figures)
        if isinstance(figures, str)
        else HistoryRow(day, commit, figures)
        for day, commit, figures in snapshots
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
        figures: Figures | str | None = None
        if cache.enabled():
            entry = cache.key("history-figures", revision.content, day.isoformat(), lang)
            figures = _figures(cache.get_bytes(entry))
        if figures is None:
            with cache.reading_only():  # (its figures are kept, below: not its model)
                loaded = revision.load()
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
        """The tally of the points a scope takes in: every point, those unit ``key`` leads,
        or those of group ``key`` (none: nothing counted)."""
        if by == "unit":
            return self.units.get(key or "", Tally())
        if by == "group":
            return self.groups.get(key or "", Tally())
        return self.office


def every_scope(ledger: Ledger, day: dt.date) -> Figures:
    """Every scope's tally (see :meth:`Figures.of`) in one pass over the points."""
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
            "office": records.as_tuple(figures.office),
            "units": {k: records.as_tuple(t) for k, t in figures.units.items()},
            "groups": {k: records.as_tuple(t) for k, t in figures.groups.items()},
        }
    )
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _figures(payload: bytes | None) -> Figures | str | None:
    """What :func:`_stored` wrote, or None when it is not that."""
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
    found = _tally(office)
    by_unit = {k: _tally(v) for k, v in units.items()}
    by_group = {k: _tally(v) for k, v in groups.items()}
    if found is None or None in by_unit.values() or None in by_group.values():
        return None
    return Figures(
        found,
        {k: t for k, t in by_unit.items() if t is not None},
        {k: t for k, t in by_group.items() if t is not None},
    )


def _tally(value: Any) -> Tally | None:
    fields = len(records.fields(Tally))
    if (
        isinstance(value, list)
        and len(value) == fields
        and all(type(v) is int and v >= 0 for v in value)
    ):
        return Tally(*value)
    return None
