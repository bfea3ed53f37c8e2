"""The one place that reads the clock.

Today is the calendar day in the ledger's timezone (Asia/Shanghai by default), unless it is
pinned with ``--today`` or ``REFORMCTL_TODAY``. Everything else takes ``today`` as an argument.
"""

from __future__ import annotations

import datetime as dt
import os

from reformctl.datetext import HINT_IMPOSSIBLE, DateTextError, parse_day, parse_deadline
from reformctl.datetext import parse_month as read_month
from reformctl.errors import ReformctlError
from reformctl.model import DEFAULT_TIMEZONE
from reformctl.patterns import lazy

ENV_TODAY = "REFORMCTL_TODAY"
# every date a person types: wide enough for any ledger, narrow enough that every date worked
# out from it (a year on, a window before) exists
TODAY_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def parse_date(
    text: str, what: str = "date", *, deadline: bool = False, year: int | None = None
) -> dt.date:
    """A date typed for option ``what``, in the forms of :mod:`reformctl.datetext`: a day
    (``2026-06-30``, ``2026/6/30``, ``2026年6月30日``, ``6月30日`` in ``year``), or with
    ``deadline`` also a deadline phrase (``6月底前``, ``年底前``, ``第三季度``). Refused with the
    option, what was typed and a hint; an impossible date (2026-02-30) as not existing."""

    try:
        day = (parse_deadline if deadline else parse_day)(text, year=year)
    except DateTextError as exc:
        if exc.hint == HINT_IMPOSSIBLE:
            raise ReformctlError("impossible-date", value=exc.text, what=what) from None
        raise ReformctlError("bad-date", hint=exc.hint, value=exc.text, what=what) from None
    if not TODAY_RANGE[0] <= day <= TODAY_RANGE[1]:
        raise ReformctlError(
            "today-out-of-range", what=what, value=day, low=TODAY_RANGE[0], high=TODAY_RANGE[1]
        )
    return day


def parse_month(text: str, what: str = "--month", *, year: int | None = None) -> str:
    """A month typed for option ``what`` as ``YYYY-MM``: ``2026-11``, ``2026年11月``, ``11月``
    in ``year``."""

    try:
        return read_month(text, year=year)
    except DateTextError as exc:
        raise ReformctlError("bad-month-option", hint=exc.hint, value=exc.text, what=what) from None


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
    """Today in ``timezone``, or the pinned day. (The standard library's zone database, which
    pendulum reads too: importing pendulum costs every command ~20 ms, this ~1 ms.)"""
    if pinned is not None:
        return pinned
    from zoneinfo import ZoneInfo

    return _instant().astimezone(ZoneInfo(timezone)).date()


def known_zone(name: str) -> bool:
    """Whether ``name`` is a time zone Python knows (zoneinfo takes it). A name of plain
    path parts whose file in the system's zone folder is a zone (TZif) is one, without
    importing zoneinfo, whose import reads sysconfig (~1.5 ms of every write that builds the
    ledger's settings); any other name, or another zone path (``PYTHONTZPATH``), is asked of
    zoneinfo (tests/test_clock.py holds the two answers to each other's)."""
    if _ZONE_NAME.fullmatch(name) and "PYTHONTZPATH" not in os.environ:
        try:
            with open(f"{_SYSTEM_ZONES}/{name}", "rb") as file:
                if file.read(4) == b"TZif":
                    return True
        except OSError:
            pass
    import zoneinfo  # (a name the system's folder does not answer for)

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # ("Asia": a folder)
        return False
    return True


_SYSTEM_ZONES = "/usr/share/zoneinfo"  # (the first folder of zoneinfo's TZPATH on Linux)
_ZONE_NAME = lazy(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")


def now(timezone: str = DEFAULT_TIMEZONE) -> dt.datetime:
    """The current time in ``timezone`` (a report's timestamp; never pinned): pendulum's, for
    the commands that stamp what they write; an unknown zone falls back to the default."""
    import pendulum  # heavy: only for a timestamp

    try:
        zone = pendulum.timezone(timezone)
    except ValueError:  # (pendulum's InvalidTimezone is one)
        zone = pendulum.timezone(DEFAULT_TIMEZONE)
    return pendulum.instance(_instant()).in_timezone(zone)


def _instant() -> dt.datetime:
    """The one reading of the clock (aware, UTC)."""
    return dt.datetime.now(dt.UTC)


def epoch_ms() -> int:
    """The wall clock, milliseconds since the epoch: the robots' signatures (``remind``) carry
    it, so it is never pinned."""
    import time

    return time.time_ns() // 1_000_000
