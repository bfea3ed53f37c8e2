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
    problem). A revision's figures are a function of its files' texts, the day and the scope:
    they are cached under exactly those (a hundred 10,000-point models need not be read again
    to count them); a model read is let go before the next is."""
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
            scope = (day.isoformat(), by, key or "", lang)
            entry = cache.key("history-row", revision.content, *scope)
            found = _figures(cache.get_bytes(entry))
            if found is not None:
                yield day, sha[:8], found
                continue
        loaded = revision.load()
        figures: Tally | str
        if loaded.ledger is not None and not loaded.problems:
            figures = scope_tally(loaded.ledger, day, by, key)
        else:
            figures = loaded.problems[0].line(lang) if loaded.problems else ""
        del loaded
        if entry is not None:
            cache.put_bytes(entry, _stored(figures))
        yield day, sha[:8], figures


def _stored(figures: Tally | str) -> bytes:
    value: Any = figures if isinstance(figures, str) else dataclasses.astuple(figures)
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _figures(payload: bytes | None) -> Tally | str | None:
    """What :func:`_stored` wrote, or None when it is not that."""
    if payload is None:
        return None
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError):  # (an intact entry of another's: nested too deep)
        return None
    if isinstance(value, str):
        return value
    fields = len(dataclasses.fields(Tally))
    if (
        isinstance(value, list)
        and len(value) == fields
        and all(type(v) is int and v >= 0 for v in value)
    ):
        return Tally(*value)
    return None
