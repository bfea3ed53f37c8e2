"""The office's documents: the half-year circular (半年通报), the year-end reckoning (年终总账) and
the quarterly review of major items (按季盘点).

A report describes the ledger **as it stood at the end of its period** (or today, if the period
is not over): facts recorded later (a milestone done in July, for the first half-year's circular)
are left out, so a circular printed in November says what it would have said on 30 June.

A report is data: titled sections, each a display table (and chart data for the HTML page),
rendered by :mod:`reformctl.render.report` to the terminal, Markdown, HTML, Excel, CSV or JSON.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reformctl.model import Extension, Ledger, Milestone, Point
from reformctl.render import Table


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


@dataclass
class Section:
    key: str  # stable, for JSON and sheet names
    title: str
    table: Table
    records: list[dict[str, Any]] = field(default_factory=list)
    # (name, completion, expected, warning light): bars of completion against expected
    chart: list[tuple[str, float, float, str | None]] | None = None
    # paragraphs a document writes before the table (截至……，N项工作要点中……)
    narrative: list[str] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    title: str
    subtitle: str
    as_of: dt.date
    period: Period
    sections: list[Section]
    office: str = ""  # the 落款 of the document (the ledger's ``office``)
    # the 成文日期: the day the document is made (a circular on the first half written in
    # November is dated in November, though its figures stand at 30 June)
    written: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "report": self.kind,
            "title": self.title,
            "period": {
                "kind": self.period.kind,
                "number": self.period.number,
                "start": self.period.start,
                "end": self.period.end,
            },
            "as_of": self.as_of,
            "sections": {s.key: s.records for s in self.sections},
        }


def as_of(ledger: Ledger, day: dt.date) -> Ledger:
    """The ledger as it stood at the end of ``day``: later facts are left out."""

    def extensions(ms: Milestone) -> tuple[Extension, ...]:
        return tuple(e for e in ms.extensions if e.granted is None or e.granted <= day)

    def milestone(ms: Milestone) -> Milestone:
        if (ms.done is None or ms.done <= day) and all(
            e.granted is None or e.granted <= day for e in ms.extensions
        ):
            return ms  # nothing recorded after the day: the same object
        done = ms.done if ms.done is not None and ms.done <= day else None
        return dataclasses.replace(
            ms, done=done, evidence=ms.evidence if done else None, extensions=extensions(ms)
        )

    def point(p: Point) -> Point:
        milestones = tuple(milestone(m) for m in p.milestones)
        month = f"{day:%Y-%m}"
        if (
            (p.closed is None or p.closed <= day)
            and all(a is b for a, b in zip(milestones, p.milestones, strict=True))
            and all(e.month <= month for e in p.progress)
        ):
            return p
        closed = p.closed if p.closed is not None and p.closed <= day else None
        return dataclasses.replace(
            p,
            milestones=milestones,
            progress=tuple(e for e in p.progress if e.month <= month),
            closed=closed,
            closing_evidence=p.closing_evidence if closed else None,
        )

    return dataclasses.replace(ledger, points={k: point(p) for k, p in ledger.points.items()})
