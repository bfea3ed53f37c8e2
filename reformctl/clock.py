"""The one place that reads the clock.

Today is the calendar day in the ledger's timezone (Asia/Shanghai by default), unless it is
pinned with ``--today`` or ``REFORMCTL_TODAY``. Everything else takes ``today`` as an argument.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from reformctl.errors import ReformctlError
from reformctl.model import DEFAULT_TIMEZONE

ENV_TODAY = "REFORMCTL_TODAY"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# every date a person types: wide enough for any ledger, narrow enough that every date worked
# out from it (a year on, a window before) exists
TODAY_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def parse_date(text: str, what: str = "date") -> dt.date:
    """Parse a strict ``YYYY-MM-DD`` date, refusing impossible ones like 2026-02-30."""
    text = text.strip()
    if not _DATE_RE.fullmatch(text):
        raise ReformctlError("bad-date-format", value=text, what=what)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ReformctlError("impossible-date", value=text, what=what) from None
    if not TODAY_RANGE[0] <= day <= TODAY_RANGE[1]:
        raise ReformctlError(
            "today-out-of-range", what=what, value=day, low=TODAY_RANGE[0], high=TODAY_RANGE[1]
        )
    return day


def pinned_today(option: str | None = None) -> dt.date | None:
    """The day pinned by ``--today`` (first) or ``REFORMCTL_TODAY``, if any; 1900 to 2100, so
    that every date worked out from it (a year on, a window before) exists."""
    what, text = ("--today", option) if option else (ENV_TODAY, os.environ.get(ENV_TODAY, ""))
    if not text or not text.strip():
        return None
    day = parse_date(text, what)
    if not TODAY_RANGE[0] <= day <= TODAY_RANGE[1]:
        raise ReformctlError(
            "today-out-of-range", what=what, value=day, low=TODAY_RANGE[0], high=TODAY_RANGE[1]
        )
    return day


def today(timezone: str = DEFAULT_TIMEZONE, pinned: dt.date | None = None) -> dt.date:
    """Today in ``timezone``, or the pinned day."""
    if pinned is not None:
        return pinned
    import pendulum  # heavy: only when the real clock is needed

    return pendulum.now(timezone).date()


def now(timezone: str = DEFAULT_TIMEZONE) -> dt.datetime:
    """The current time in ``timezone`` (a report's timestamp; never pinned)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone: dt.tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return dt.datetime.now(zone)
