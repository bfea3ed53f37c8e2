"""What an import will change: the points it adds, what it updates, the rows it refused.

Mutable, built row by row as a workbook is read (:mod:`reformctl.intake`), then written by
:mod:`reformctl.ledger.changes`. Kept apart from the model, which every command imports: only
an import needs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PlannedPoint:
    """A work point an import will add (read from an Excel or CSV 台账)."""

    id: str
    title: str
    group: str
    lead: str
    units: list[str]
    path: str
    outcome: str
    major: bool
    milestones: list[dict[str, Any]] = field(default_factory=list)
    progress: dict[str, str] = field(default_factory=dict)
    closed: dt.date | None = None
    closing_evidence: str | None = None


@dataclass
class ImportPlan:
    """What an import will add, and the rows it could not read."""

    units: dict[str, str] = field(default_factory=dict)  # new key -> name
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # new key -> (name, lead)
    points: list[PlannedPoint] = field(default_factory=list)
    # (where: the row's sheet and number, ``intake.table.Place``; why: a message with its own
    # ``line(lang)``)
    bad_rows: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def milestones(self) -> int:
        return sum(len(p.milestones) for p in self.points)


@dataclass
class UpdatePlan:
    """What ``import --update`` changes in the points and milestones already in the ledger, what
    it adds, and the rows it cannot take (unreadable, or outside the unit's remit)."""

    done: list[tuple[str, str, dt.date, str | None]] = field(default_factory=list)
    evidence: list[tuple[str, str, str]] = field(default_factory=list)
    milestones: list[tuple[str, str, str, dt.date]] = field(default_factory=list)
    progress: list[tuple[str, str, str]] = field(default_factory=list)  # point, month, text
    new: ImportPlan = field(default_factory=ImportPlan)
    bad_rows: list[tuple[Any, Any]] = field(default_factory=list)  # as ImportPlan's
    outside: list[tuple[Any, Any]] = field(default_factory=list)
    # a point's own facts edited (title, lead, units, path, outcome, major), as `edit` takes them
    point_edits: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    milestone_edits: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.done
            or self.evidence
            or self.milestones
            or self.progress
            or self.new.points
            or self.point_edits
            or self.milestone_edits
        )
