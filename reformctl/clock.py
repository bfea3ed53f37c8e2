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


def parse_date(text: str, what: str = "date") -> dt.date:
    """Parse a strict ``YYYY-MM-DD`` date, refusing impossible ones like 2026-02-30."""
    text = text.strip()
    if not _DATE_RE.fullmatch(text):
        raise ReformctlError("bad-date-format", value=text, what=what)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReformctlError("impossible-date", value=text, what=what) from None


def pinned_today(option: str | None = None) -> dt.date | None:
    """The day pinned by ``--today`` (first) or ``REFORMCTL_TODAY``, if any."""
    if option:
        return parse_date(option, "--today")
    env = os.environ.get(ENV_TODAY, "").strip()
    if env:
        return parse_date(env, ENV_TODAY)
    return None


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
