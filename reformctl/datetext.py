"""Dates as offices write them: the one parser behind every date option and every imported date.

Two readings, so that a deadline phrase never becomes a day by accident:

- :func:`parse_day` takes a day (``2026-06-30``, ``2026/6/30``, ``2026.6.30``, ``2026年6月30日``,
  ``6月30日`` in the given year, a date cell) and refuses deadline-only forms (``6月底``,
  ``上半年``, ``2026年6月``): done dates, ``--on``, ``--approved-on``, ``--today``.
- :func:`parse_deadline` takes a day or a deadline phrase and gives the period's last day
  (``6月底前`` → June 30, ``年底前`` → December 31, ``第三季度``/``三季度末`` → September 30,
  ``上半年`` → June 30, ``9月30日前`` → September 30): ``--due``, ``--to`` and imported deadlines.

Every refusal is a :class:`DateTextError` naming what was typed, with a hint (a bare number such
as Excel's ``2026.1`` for a typed ``2026.10``, or ongoing wording such as ``持续推进``, each has its
own). Pure: no clock, no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any


class DateTextError(ValueError):
    """A date that cannot be read: ``text`` as typed, ``hint`` a catalogue key or ``None``."""

    def __init__(self, text: str, hint: str | None = None) -> None:
        super().__init__(text)
        self.text, self.hint = text, hint


# NOTE (interface stub): the full set of forms is being built (issue 21, item 3); the
# signatures below are the contract import and the CLI code against.
_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})月?(?:底|末)?")


def parse_day(value: Any, *, year: int | None = None) -> dt.date:
    """A day, as a date cell or as typed; ``year`` completes ``6月30日``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _DAY.fullmatch(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise DateTextError(text)


def parse_deadline(value: Any, *, year: int | None = None) -> dt.date:
    """A deadline: a day, or a period's last day for a phrase such as ``6月底前``."""
    try:
        return parse_day(value, year=year)
    except DateTextError:
        pass
    text = str(value).strip()
    m = _MONTH.fullmatch(text)
    if m:
        try:
            y, month = int(m.group(1)), int(m.group(2))
            return dt.date(y, month, calendar.monthrange(y, month)[1])
        except (ValueError, calendar.IllegalMonthError):
            pass
    raise DateTextError(text)


def parse_month(value: Any, *, year: int | None = None) -> str:
    """A month as ``YYYY-MM``: ``2026-11``, ``2026年11月``, ``11月`` in ``year``."""
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return text
    raise DateTextError(text)
