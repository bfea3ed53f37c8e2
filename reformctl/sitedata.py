"""The figures of the static site (`site`), as data: pure functions of (ledger, today) for the
day's figures, and what git history adds (each unit's and group's rank at the end of each
month, each point's facts with the day they were recorded and by whom).

Every figure is one `progress`, `overdue` and the reports compute: the same tallies
(:mod:`reformctl.schedule`), the same ranking rule (:mod:`reformctl.ranking`). History is read
through :mod:`reformctl.ledger.revision`; a revision's figures on a day are kept in the cache
under the key `history` uses (its files' texts, the day, the language), and the changes a
commit made under the texts before and after it, so a second build reads no model again.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import subprocess
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reformctl import history as hist
from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.facts import Difference, as_record, compare
from reformctl.history import every_scope
from reformctl.ledger import cache
from reformctl.ledger.config import is_config
from reformctl.ledger.gitio import commits_touching, relative_to_repo, repo_root
from reformctl.ledger.revision import Revision, commits, pathspecs, revision_at
from reformctl.ledger.workspace import read_config
from reformctl.model import Ledger
from reformctl.ranking import RankRow, rank_tallies, ranking
from reformctl.schedule import DueItem, PointView, Tally, due_items, point_views

WEEK = 7  # "due this week": open milestones due today or within the next seven days


@dataclass(frozen=True)
class MonthFigure:
    """Completion against 序时进度 at the end of a month (or today, for this month):
    ``done`` milestones done by then, ``due`` milestones due (in force) by then."""

    month: str  # YYYY-MM
    day: dt.date
    milestones: int
    done: int
    due: int


@dataclass(frozen=True)
class Change:
    """A fact as a commit recorded it (留痕): the day (author time, in the ledger's timezone),
    who (the commit's author) and which commit."""

    day: dt.date
    author: str
    commit: str
    difference: Difference


@dataclass
class History:
    """What git adds: ``ranks[scope][month]`` = {key: rank} at the end of each month before
    today's (scope ``unit`` or ``group``), ``trend[scope][key]`` its tallies at those days;
    ``changes[point]`` its facts as they were recorded, oldest first; ``commits`` counted."""

    months: list[dt.date] = field(default_factory=list)
    ranks: dict[str, dict[dt.date, dict[str, int]]] = field(default_factory=dict)
    trend: dict[str, dict[str, dict[dt.date, Tally]]] = field(default_factory=dict)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    commits: int = 0
    unavailable: str | None = None  # why there is none (not in git), for the page to say

    def previous_rank(self, scope: str, key: str) -> int | None:
        """The rank at the end of the previous month (None: no ranking then, or no history)."""
        if not self.months:
            return None
        return self.ranks.get(scope, {}).get(self.months[-1], {}).get(key)


@dataclass
class Site:
    ledger: Ledger
    today: dt.date
    views: list[PointView]
    by_unit: list[RankRow]
    by_group: list[RankRow]
    overdue: list[DueItem]
    due_week: list[DueItem]
    months: list[MonthFigure]
    history: History
    total: Tally


def month_ends(year: int, today: dt.date) -> list[dt.date]:
    """The last day of each month of ``year`` before today's month."""
    out = []
    for month in range(1, 13):
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        if end >= today.replace(day=1):
            break
        out.append(end)
    return out


def monthly(ledger: Ledger, today: dt.date) -> list[MonthFigure]:
    """Completion and 序时进度 at the end of each month of the ledger's year up to today's (the
    last one judged today): done by its done date, due by the due date in force."""
    milestones = ledger.milestones()
    days = [*month_ends(ledger.settings.year, today)]
    if today.year == ledger.settings.year or not days:
        days.append(min(today, dt.date(ledger.settings.year, 12, 31)))
    out = []
    for day in days:
        done = sum(1 for ms in milestones if ms.done is not None and ms.done <= day)
        due = sum(1 for ms in milestones if ms.due_now <= day)
        out.append(MonthFigure(f"{day:%Y-%m}", day, len(milestones), done, due))
    return out


def build(ledger: Ledger, today: dt.date, history: History) -> Site:
    """Every figure of the site on ``today``: those of `progress` and `overdue` exactly."""
    views = point_views(ledger, today)
    total = Tally()
    for v in views:
        total = total + v.counts
    soon = due_items(ledger, today, WEEK)
    return Site(
        ledger,
        today,
        views,
        ranking(ledger, today, "unit"),
        ranking(ledger, today, "group"),
        [i for i in soon if i.overdue],
        [i for i in soon if not i.overdue],
        monthly(ledger, today),
        history,
        total,
    )


# -- history ---------------------------------------------------------------------------------


def _authored(path: Path) -> list[tuple[str, dt.datetime, str]]:
    """(commit, author time, author name) of each commit `history` reads, oldest first."""
    found = _commits(path)
    if not found:
        return []
    root = repo_root(path)
    proc = subprocess.run(
        ["git", "log", "--no-walk=unsorted", "--stdin", "--format=%H%x00%an"],
        cwd=root,
        input="\n".join(sha for sha, _ in found).encode(),
        capture_output=True,
        check=False,
    )
    names = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        sha, _, name = line.partition("\0")
        names[sha] = name
    return [(sha, when, names.get(sha, "")) for sha, when in found]


def _commits(path: Path) -> list[tuple[str, dt.datetime]]:
    """`history`'s commits; for a workspace, also those of the ``ledger.toml`` beside its
    configuration (the one ledger it was before `workspace split`: its facts were recorded
    then, and :func:`revision_at` reads either form)."""
    if not is_config(path):
        return commits(path)
    try:
        specs = pathspecs(read_config(path))
    except (InvalidLedger, ReformctlError):
        return commits(path)
    single = relative_to_repo(path.with_name("ledger.toml"))[1]
    return commits_touching(path, [*specs, f":(literal){single}"])


def read_history(path: Path, ledger: Ledger, today: dt.date, lang: str) -> History:
    """Ranks at each month's end and each point's recorded facts, from the commits that
    changed the ledger (its workspace's files); an empty history, saying why, outside git."""
    tz = zoneinfo.ZoneInfo(ledger.settings.timezone)
    try:
        commits = _authored(path)
    except ReformctlError as exc:
        return History(unavailable=exc.message(lang))
    history = History(commits=len(commits))
    if not commits:
        return history
    history.months = month_ends(ledger.settings.year, today)
    dated = [(sha, when.astimezone(tz).date(), name) for sha, when, name in commits]
    _month_ranks(path, ledger, dated, history, lang)
    for change in _changes(path, dated):
        parts = change.difference.path
        if len(parts) >= 2 and parts[0] == "points":
            history.changes.setdefault(parts[1], []).append(change)
    return history


def _month_ranks(
    path: Path, ledger: Ledger, dated: list[tuple[str, dt.date, str]], history: History, lang: str
) -> None:
    for end in history.months:
        before = [sha for sha, day, _ in dated if day <= end]
        if not before:
            continue
        figures = _figures_at(path, before[-1], end, lang)
        if figures is None:
            continue
        for scope, tallies, name in (
            ("unit", figures.units, ledger.unit_name),
            ("group", figures.groups, ledger.group_name),
        ):
            rows = rank_tallies((k, name(k), t) for k, t in tallies.items() if t.milestones)
            history.ranks.setdefault(scope, {})[end] = {r.key: r.rank for r in rows}
            trend = history.trend.setdefault(scope, {})
            for k, t in tallies.items():
                trend.setdefault(k, {})[end] = t


def _figures_at(path: Path, sha: str, day: dt.date, lang: str) -> Any:
    """The revision's figures on ``day`` (None where it is invalid): from the cache, under the
    key `history` keeps them by (the same texts, day and language: the same answer)."""
    try:
        revision = revision_at(path, sha)
    except InvalidLedger:
        return None
    if revision is None:
        return None
    entry = None
    if cache.enabled():
        entry = cache.key("history-figures", revision.content, day.isoformat(), lang)
        found = hist._figures(cache.get_bytes(entry))
        if found is not None:
            return None if isinstance(found, str) else found
    with cache.reading_only():
        loaded = revision.load()
    if loaded.ledger is not None and not loaded.problems:
        figures: Any = every_scope(loaded.ledger, day)
    else:
        figures = loaded.problems[0].line(lang) if loaded.problems else ""
    if entry is not None:
        cache.put_bytes(entry, hist._stored(figures))
    return None if isinstance(figures, str) else figures


def _changes(path: Path, dated: list[tuple[str, dt.date, str]]) -> Iterator[Change]:
    """Each commit's changes to the ledger's facts (from the last valid revision before it),
    from the cache where the same two texts were compared before."""
    previous: Revision | None = None
    previous_data: dict[str, Any] | None = None
    for sha, day, author in dated:
        try:
            revision = revision_at(path, sha)
        except InvalidLedger:
            continue
        if revision is None:
            continue
        before = previous.content if previous is not None else b""
        content = len(before).to_bytes(8, "little") + before + revision.content
        entry = cache.key("site-changes", content) if cache.enabled() else None
        records = _records(cache.get_bytes(entry)) if entry is not None else None
        current: dict[str, Any] | None = None
        if records is None:
            try:
                current = revision.data()
            except InvalidLedger:
                continue  # a revision that does not parse: its changes count with the next
            if previous is not None and previous_data is None:
                previous_data = previous.data()
            records = [
                {**as_record(d), "path": list(d.path)} for d in compare(previous_data, current)
            ]
            if entry is not None:
                cache.put_bytes(entry, json.dumps(records, ensure_ascii=False).encode("utf-8"))
        for r in records:
            yield Change(day, author, sha[:8], _difference(r))
        previous, previous_data = revision, current


def _records(payload: bytes | None) -> list[dict[str, Any]] | None:
    if payload is None:
        return None
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return None
    return value


def _difference(r: dict[str, Any]) -> Difference:
    return Difference(
        str(r.get("kind")),
        str(r.get("ref")),
        r.get("field"),
        r.get("before"),
        r.get("after"),
        r.get("detail"),
        r.get("section"),
        tuple(str(p) for p in r.get("path") or ()),
    )
