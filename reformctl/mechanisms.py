"""Derived state of the office's other lists, pure functions of (ledger, today).

- An agenda topic is *reserved* until a meeting takes it as its theme, then *scheduled* until
  that meeting's day, then *discussed*.
- A pilot is *dropped* once its last review rated it 退出 (its history stays), *promoted* once a
  model case drawn from it has been published or copied, *due for review* when its next review
  (the last review, or its start, plus `review_every` months) is today or past, else *active*.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from reformctl.model import Ledger, Pilot, Topic

TOPIC_STATES = ("reserved", "scheduled", "discussed")
PILOT_STATES = ("due_review", "active", "promoted", "dropped")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def topic_state(ledger: Ledger, topic: Topic, today: dt.date) -> tuple[str, str | None]:
    """(state, the meeting that took it as its theme)."""
    for meeting in ledger.meetings.values():
        if meeting.theme == topic.id:
            return ("discussed" if meeting.on <= today else "scheduled"), meeting.id
    return "reserved", None


@dataclass(frozen=True)
class PilotView:
    pilot: Pilot
    state: str
    next_review: dt.date | None
    last_rating: str | None


def pilot_view(ledger: Ledger, pilot: Pilot, today: dt.date) -> PilotView:
    reviews = [r for r in pilot.reviews if r.on <= today]
    last = reviews[-1] if reviews else None
    if last is not None and last.rating == "退出":
        return PilotView(pilot, "dropped", None, last.rating)
    next_review = add_months(last.on if last else pilot.since, pilot.review_every)
    promoted = any(
        c.source == pilot.id and any(p.on <= today for p in c.promotions)
        for c in ledger.cases.values()
    )
    if promoted:
        state = "promoted"
    elif next_review <= today:
        state = "due_review"
    else:
        state = "active"
    return PilotView(pilot, state, next_review, last.rating if last else None)


def pilot_views(ledger: Ledger, today: dt.date) -> list[PilotView]:
    """Those due for review first (the longest overdue first), then the rest; dropped last."""
    views = [pilot_view(ledger, p, today) for p in ledger.pilots.values()]
    order = {s: i for i, s in enumerate(PILOT_STATES)}
    return sorted(views, key=lambda v: (order[v.state], v.next_review or dt.date.max, v.pilot.id))
