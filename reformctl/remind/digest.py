"""Who owes what by when: each unit's digest of the milestones of the points it leads that are
overdue (most overdue first) or due within the window. Pure: a function of the ledger and
``today``.

The office's own unit (``[ledger] office_unit``) gets no digest of its own items; the office
digest (``remind --office-digest``) is the whole picture, every unit's items, for the office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reformctl.model import Ledger
from reformctl.schedule import due_items


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One milestone a unit owes: ``days`` > 0 overdue by that many days, else days left."""

    point: str
    point_title: str
    milestone: str
    name: str
    due: dt.date
    days: int
    unit: str
    unit_name: str

    @property
    def ref(self) -> str:
        return f"{self.point}/{self.milestone}"

    @property
    def overdue(self) -> bool:
        return self.days > 0


@dataclass(frozen=True, slots=True)
class Digest:
    """What one unit is sent: its overdue items and those due soon; ``unit`` is the office's
    own unit key for the office digest (``whole``), whose items are every unit's."""

    unit: str
    unit_name: str
    today: dt.date
    soon_days: int
    overdue: tuple[DigestItem, ...]
    soon: tuple[DigestItem, ...]
    office: str | None  # None: not set (the messages say 本办)
    ledger_title: str
    whole: bool = False

    @property
    def items(self) -> tuple[DigestItem, ...]:
        return self.overdue + self.soon


def _items(ledger: Ledger, today: dt.date, soon_days: int) -> list[DigestItem]:
    return [
        DigestItem(
            d.point.id,
            d.point.title,
            d.milestone.key,
            d.milestone.name,
            d.milestone.due_now,
            d.days_overdue,
            d.point.lead,
            ledger.unit_name(d.point.lead),
        )
        for d in due_items(ledger, today, soon_days)
    ]


def _digest(
    ledger: Ledger, unit: str, items: list[DigestItem], today: dt.date, soon: int, whole: bool
) -> Digest:
    settings = ledger.settings
    return Digest(
        unit,
        ledger.unit_name(unit),
        today,
        soon,
        tuple(i for i in items if i.overdue),
        tuple(i for i in items if not i.overdue),
        settings.office,
        settings.title,
        whole,
    )


def digests(
    ledger: Ledger, today: dt.date, soon_days: int, units: tuple[str, ...] = ()
) -> list[Digest]:
    """One digest a lead unit with something overdue or due within ``soon_days`` (in the
    order the units are declared), none for the office's own unit; ``units`` limits them."""
    by_unit: dict[str, list[DigestItem]] = {}
    for item in _items(ledger, today, soon_days):
        by_unit.setdefault(item.unit, []).append(item)
    office = ledger.settings.office_unit
    order = [u for u in ledger.units if u in by_unit] + sorted(set(by_unit) - set(ledger.units))
    return [
        _digest(ledger, unit, by_unit[unit], today, soon_days, False)
        for unit in order
        if unit != office and (not units or unit in units)
    ]


def office_digest(ledger: Ledger, today: dt.date, soon_days: int) -> Digest | None:
    """The whole picture for the office's own unit (None when nothing is due anywhere)."""
    office = ledger.settings.office_unit
    items = _items(ledger, today, soon_days)
    if office is None or not items:
        return None
    return _digest(ledger, office, items, today, soon_days, True)
