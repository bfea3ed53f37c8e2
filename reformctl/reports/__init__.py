"""The office's documents: the half-year circular (半年通报), the year-end reckoning (年终总账) and
the quarterly review of major items (按季盘点).

A report describes the ledger **as it stood at the end of its period** (or today, if the period
is not over): facts recorded later (a milestone done in July, for the first half-year's circular)
are left out, so a circular printed in November says what it would have said on 30 June. An
extension counts from the day it was approved (``approved_on``, else the day it was recorded).

A report is data: :mod:`reformctl.reports.build` returns the records of
:mod:`reformctl.reportdata` (dates, fractions, IDs and names; no language), which
:mod:`reformctl.render.circular` turns into the terminal, Markdown, HTML, Excel, Word, CSV or
JSON. Nothing here imports the rendering.
"""

from __future__ import annotations

import datetime as dt

from reformctl import records
from reformctl.model import Extension, Ledger, Milestone, Point
from reformctl.reportdata import Period, period_of

__all__ = ["Period", "as_of", "circular_number", "period_key", "period_of"]


def period_key(period: Period) -> str:
    """The period as the circulars' register writes it: 2026-H1, 2026-Q3, 2026."""
    year = period.start.year
    if period.kind == "half":
        return f"{year}-H{period.number}"
    if period.kind == "quarter":
        return f"{year}-Q{period.number}"
    return str(year)


def circular_number(ledger: Ledger, year: int) -> int:
    """The next number of the office's circular register in ``year`` (CODE〔YEAR〕N号): one
    past the highest recorded, so a number is never used twice, even after a gap."""
    return 1 + max((c.number for c in ledger.circulars.values() if c.on.year == year), default=0)


def as_of(ledger: Ledger, day: dt.date) -> Ledger:
    """The ledger as it stood at the end of ``day``: later facts are left out."""

    def extensions(ms: Milestone) -> tuple[Extension, ...]:
        return tuple(e for e in ms.extensions if e.approved is None or e.approved <= day)

    def milestone(ms: Milestone) -> Milestone:
        if (ms.done is None or ms.done <= day) and all(
            e.approved is None or e.approved <= day for e in ms.extensions
        ):
            return ms  # nothing recorded after the day: the same object
        done = ms.done if ms.done is not None and ms.done <= day else None
        return records.replace(
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
        return records.replace(
            p,
            milestones=milestones,
            progress=tuple(e for e in p.progress if e.month <= month),
            closed=closed,
            closing_evidence=p.closing_evidence if closed else None,
        )

    return records.replace(ledger, points={k: point(p) for k, p in ledger.points.items()})
