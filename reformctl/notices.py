"""Supervision notices (督办通知): which milestones each lead unit is to be pressed on, in
which colour, under which number. Pure functions of the ledger and ``today``.

The colours follow the three-colour notices of the office's supervision loop, one colour a
milestone (the strongest wins):

- red (红色督办): the milestone is open and past its due date in force (逾期);
- yellow (黄色督办): its point is behind 序时进度 (fewer milestones done than due by today) and
  it is the point's next open milestone not yet overdue — the step to catch up on;
- blue (蓝色提醒): open and due today or within the ledger's due-soon window.

A notice goes to a point's lead unit (主送), one notice per unit and colour. Numbers run on
from the highest recorded in the same year, so a number is never used twice; a milestone that
an earlier recorded notice already named is pressed again (再次督办).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reformctl.errors import ReformctlError
from reformctl.model import NOTICE_KINDS, Ledger, Milestone, Point, Settings
from reformctl.schedule import tally

KINDS = NOTICE_KINDS


def require_office(settings: Settings) -> tuple[str, str]:
    """The office's name and code, for a document (.docx) that carries them in its 版头 and
    发文字号: refused (naming `reformctl office set`) rather than made up when either is unset."""
    if not settings.office or not settings.office_code:
        raise ReformctlError("office-not-set")
    return settings.office, settings.office_code


@dataclass(frozen=True, slots=True)
class NoticeItem:
    point: Point
    milestone: Milestone
    days: int  # > 0 days overdue; <= 0 days left
    earlier: int  # recorded notices that named this milestone before

    @property
    def ref(self) -> str:
        return self.milestone.ref


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """One notice to one unit: what ``notice`` renders and ``--record`` writes."""

    number: int
    year: int
    on: dt.date
    unit: str
    unit_name: str
    kind: str
    items: tuple[NoticeItem, ...]
    office: str | None  # None: not set (a .docx is refused; md and txt leave it out)
    code: str | None
    ledger_title: str
    cc: str | None = None  # 抄送 (版记)
    issuer: str | None = None  # 印发机关 (版记; None: the office)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:03d}"

    @property
    def document_number(self) -> str:
        """发文字号: 闽改办督〔2026〕12号."""
        return f"{self.code or ''}督〔{self.year}〕{self.number}号"

    @property
    def again(self) -> bool:
        return any(item.earlier for item in self.items)


def colour_of(point: Point, ms: Milestone, today: dt.date, soon_days: int) -> str | None:
    """The colour a milestone is pressed in today, or None."""
    if point.closed is not None or ms.done is not None:
        return None
    due = ms.due_now
    if due < today:
        return "red"
    counts = tally(point.milestones, today, soon_days)
    if counts.done < counts.due_to_date:
        upcoming = [m for m in point.milestones if m.done is None and m.due_now >= today]
        if upcoming and min(upcoming, key=lambda m: (m.due_now, m.key)) is ms:
            return "yellow"
    if (due - today).days <= soon_days:
        return "blue"
    return None


def earlier_notices(ledger: Ledger) -> dict[str, int]:
    """How many recorded notices named each milestone."""
    counts: dict[str, int] = {}
    for notice in ledger.notices.values():
        for ref in set(notice.items):
            counts[ref] = counts.get(ref, 0) + 1
    return counts


def next_number(ledger: Ledger, year: int) -> int:
    return 1 + max((n.number for n in ledger.notices.values() if n.on.year == year), default=0)


def drafts(
    ledger: Ledger,
    today: dt.date,
    kinds: tuple[str, ...] = KINDS,
    units: tuple[str, ...] = (),
    include_office: bool = False,
) -> list[NoticeDraft]:
    """The notices due today: per colour (red, yellow, blue), per lead unit in declared order.
    The office does not supervise itself: the points its own unit (``office_unit``) leads get
    no notice unless ``include_office`` or ``units`` names that unit."""
    soon = ledger.settings.soon_days
    earlier = earlier_notices(ledger)
    found: dict[tuple[str, str], list[NoticeItem]] = {}
    office = None if include_office else ledger.settings.office_unit
    for point in ledger.points.values():
        if units and point.lead not in units:
            continue
        if point.lead == office and point.lead not in units:
            continue
        for ms in point.milestones:
            kind = colour_of(point, ms, today, soon)
            if kind is None or kind not in kinds:
                continue
            item = NoticeItem(point, ms, (today - ms.due_now).days, earlier.get(ms.ref, 0))
            found.setdefault((kind, point.lead), []).append(item)
    order = {key: i for i, key in enumerate(ledger.units)}
    number = next_number(ledger, today.year)
    out = []
    settings = ledger.settings
    for kind, unit in sorted(found, key=lambda k: (KINDS.index(k[0]), order.get(k[1], 1 << 30))):
        items = sorted(found[kind, unit], key=lambda i: (-i.days, i.point.id, i.milestone.key))
        out.append(
            NoticeDraft(
                number,
                today.year,
                today,
                unit,
                ledger.unit_name(unit),
                kind,
                tuple(items),
                settings.office,
                settings.office_code,
                settings.title,
                settings.cc,
                settings.issuer,
            )
        )
        number += 1
    return out


def office_left_out(ledger: Ledger, today: dt.date, kinds: tuple[str, ...] = KINDS) -> int:
    """How many notices the office's own unit would get, were it not left out."""
    office = ledger.settings.office_unit
    if office is None:
        return 0
    return len(drafts(ledger, today, kinds, (office,), include_office=True))


@dataclass(frozen=True, slots=True)
class NoticeFigures:
    """What a report counts of the supervision loop up to a day."""

    issued: int  # notices recorded in the period
    items: int  # milestones they named (each once)
    still_open: int  # of those, not done by the day


def figures(ledger: Ledger, start: dt.date, day: dt.date) -> NoticeFigures:
    notices = [n for n in ledger.notices.values() if start <= n.on <= day]
    refs = {ref for n in notices for ref in n.items}
    open_refs = 0
    for ref in refs:
        point_id, _, key = ref.partition("/")
        point = ledger.points.get(point_id)
        ms = point.milestone(key) if point else None
        if ms is not None and (ms.done is None or ms.done > day) and point and not point.closed:
            open_refs += 1
    return NoticeFigures(len(notices), len(refs), open_refs)
