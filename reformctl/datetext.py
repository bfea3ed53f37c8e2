"""Dates as offices write them: the one parser behind every date option and every imported date.

Two readings, so that a deadline phrase never becomes a day by accident:

- :func:`parse_day` takes a day (``2026-06-30``, ``2026/6/30``, ``2026.6.30``, ``2026年6月30日``,
  ``6月30日`` in the given year, a date cell) and refuses deadline-only forms (``6月底``,
  ``上半年``, ``2026年6月``, ``9月30日前``): done dates, ``--on``, ``--approved-on``, ``--today``.
- :func:`parse_deadline` takes a day or a deadline phrase and gives the period's last day
  (``6月底前`` → June 30, ``年底前`` → December 31, ``第三季度``/``三季度末`` → September 30,
  ``上半年`` → June 30, ``9月30日前`` → September 30): ``--due``, ``--to`` and imported deadlines.
- :func:`parse_month` takes a month (``2026-11``, ``2026年11月``, ``11月``): ``--month``.

Full-width digits and punctuation and any spaces are read as their plain forms. Every refusal is
a :class:`DateTextError` naming what was typed, with a hint (a message code of
:mod:`reformctl.i18n`): a bare number such as Excel's ``2026.1`` for a typed ``2026.10``, ongoing
wording such as ``持续推进``, a form without its year where no year is known, a deadline where a
day is meant, a date that does not exist. Pure: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from reformctl.patterns import lazy

# hints, each a message code of reformctl.i18n
HINT_FORMS = "date-hint-forms"  # what was typed is no day form at all
HINT_DEADLINE_FORMS = "date-hint-deadline-forms"  # ... no deadline form at all
HINT_NUMBER = "date-hint-number"  # a bare number: Excel's 2026.1 for a typed 2026.10
HINT_ONGOING = "date-hint-ongoing"  # 持续推进: a milestone needs a due date
HINT_YEAR = "date-hint-year"  # 6月30日 where no year is known
HINT_DAY = "date-hint-day"  # a deadline phrase where a day is meant
HINT_IMPOSSIBLE = "date-hint-impossible"  # 2026-02-30
HINT_MONTH = "date-hint-month"  # no month form


class DateTextError(ValueError):
    """A date that cannot be read: ``text`` as typed, ``hint`` a catalogue key or ``None``."""

    def __init__(self, text: str, hint: str | None = None) -> None:
        super().__init__(text)
        self.text, self.hint = text, hint


# full-width digits and punctuation as their ASCII forms (an IME in full-width mode types them)
_WIDE = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {"／": "/", "．": ".", "－": "-", "—": "-", "：": ":", "（": "(", "）": ")"}
)
_SPACE = lazy(r"\s+")
# a time after a day, as a CSV saved by a spreadsheet writes a date cell: 2026/6/30 0:00, or
# another system's export: 2026-06-30T00:00:00
_TIME = lazy(r"(?<=\d)(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_MAX_TEXT = 64  # longer text is no date: refused without a regular expression looking at it

_BEFORE = r"(?:前|以前|之前)?"
_YEAR_CN = r"(?:(?P<y>\d{4})年)?"
# a day: 2026-06-30, 2026/6/30, 2026.6.30 (one separator throughout), 2026年6月30日, 6月30日
_DAY_SEP = lazy(r"(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?P<b>" + _BEFORE + ")")
_DAY_CN = lazy(_YEAR_CN + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?(?P<b>" + _BEFORE + ")")
# a month's end: 2026年6月, 6月底(前), 6月末, 2026-06, 2026/6 (never 2026.6: that is a number)
_MONTH_SEP = lazy(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})(?:月)?(?:底|末)?" + _BEFORE)
_MONTH_CN = lazy(_YEAR_CN + r"(?P<m>\d{1,2})月(?:份)?(?:底|末)?" + _BEFORE)
# the year's end: 年底(前), 年末, 2026年底, 2026年年底
_YEAR_END = lazy(r"(?:(?P<y>\d{4})年年?|年)(?:底|末)" + _BEFORE)
# half a year: 上半年, 2026年下半年, 上半年末
_HALF = lazy(_YEAR_CN + r"(?P<h>[上下])半年(?:底|末)?" + _BEFORE)
# a quarter: 第三季度, 三季度末, 2026年第三季度, 第3季度, 三季度
_QUARTER = lazy(_YEAR_CN + r"第?(?P<q>[一二三四1-4])季度?(?:底|末)?" + _BEFORE)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# months: 2026-11, 2026/11, 2026年11月, 11月
_MONTH_ONLY = (
    lazy(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})"),
    lazy(_YEAR_CN + r"(?P<m>\d{1,2})月份?"),
)
# a number typed as text: 2026.10 (which Excel keeps as 2026.1), 46203 (a date serial)
_NUMBER = lazy(r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
# wording of work that goes on: no deadline to read
_ONGOING = lazy(
    r"持续|长期|常态|经常|常年|全年|定期|逐年|逐步|动态|每年|每半年|每季|每月|每周|按年|按季|按月|按周|适时|视情"
)


def _normal(text: str) -> str:
    return _SPACE.sub("", _TIME.sub("", text.translate(_WIDE).strip()))


def _year(found: str | None, year: int | None, text: str) -> int:
    if found:
        return int(found)
    if year is None:
        raise DateTextError(text, HINT_YEAR)
    return year


def _make(y: int, m: int, d: int, text: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise DateTextError(text, HINT_IMPOSSIBLE) from None


def _month_end(y: int, m: int, text: str) -> dt.date:
    if not 1 <= m <= 12 or not dt.MINYEAR <= y <= dt.MAXYEAR:
        raise DateTextError(text, HINT_IMPOSSIBLE)
    if m == 12:
        return dt.date(y, 12, 31)
    return dt.date(y, m + 1, 1) - dt.timedelta(days=1)  # (calendar's import costs every command)


# a date cell before this year is a number typed into a date-formatted cell, not a day
_FIRST_YEAR = 2000


def _cell(value: Any) -> dt.date | None:
    """A date cell's day; a number refused (a date is a number only in a date-formatted cell,
    which the reader has already made a date)."""
    if isinstance(value, dt.date) and value.year < _FIRST_YEAR:
        # 2026.10 typed into a date cell: Excel keeps 2026.1, the serial of 1905-07-18
        start = dt.datetime(1899, 12, 30)
        when = value if isinstance(value, dt.datetime) else dt.datetime(*value.timetuple()[:3])
        serial = round((when - start).total_seconds() / 86400, 6)
        raise DateTextError(f"{serial:g}", HINT_NUMBER)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (bool, str)):
        return None  # read as the text it shows: no date
    import numbers  # (here: a command that reads no workbook need not load it)

    if isinstance(value, numbers.Number):
        raise DateTextError(str(value), HINT_NUMBER)
    return None


def _text(value: Any) -> tuple[str, str]:
    """(what was typed, trimmed; its normal form)"""
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    return text, (_normal(text) if len(text) <= _MAX_TEXT else "")


def _refuse(text: str, normal: str, forms: str) -> DateTextError:
    if normal and _NUMBER.fullmatch(normal):
        return DateTextError(text, HINT_NUMBER)
    if _ONGOING.search(text[:200]):
        return DateTextError(text, HINT_ONGOING)
    return DateTextError(text, forms)


def _day(text: str, normal: str, year: int | None, *, day_only: bool) -> dt.date | None:
    """A day form's day; None: no day form. With ``day_only`` one ending in 前 (a deadline,
    not a day) is refused."""
    m = _DAY_SEP.fullmatch(normal) or _DAY_CN.fullmatch(normal)
    if m is None:
        return None
    if day_only and m.group("b"):
        raise DateTextError(text, HINT_DAY)
    return _make(_year(m.group("y"), year, text), int(m.group("m")), int(m.group("d")), text)


def _period_end(text: str, normal: str, year: int | None) -> dt.date | None:
    """The last day of the period a deadline phrase names; None: no such phrase."""
    m = _MONTH_SEP.fullmatch(normal) or _MONTH_CN.fullmatch(normal)
    if m:
        return _month_end(_year(m.group("y"), year, text), int(m.group("m")), text)
    m = _YEAR_END.fullmatch(normal)
    if m:
        return _month_end(_year(m.group("y"), year, text), 12, text)
    m = _HALF.fullmatch(normal)
    if m:
        return _month_end(_year(m.group("y"), year, text), 6 if m.group("h") == "上" else 12, text)
    m = _QUARTER.fullmatch(normal)
    if m:
        return _month_end(_year(m.group("y"), year, text), 3 * _QUARTERS[m.group("q")], text)
    return None


def parse_day(value: Any, *, year: int | None = None) -> dt.date:
    """A day, as a date cell or as typed; ``year`` completes ``6月30日``. A deadline phrase
    (``6月底``, ``9月30日前``) is refused with :data:`HINT_DAY`."""
    cell = _cell(value)
    if cell is not None:
        return cell
    return _typed_day(value if isinstance(value, str) else str(value), year)


# an import reads the same few hundred dates on thousands of rows: each text is read once
# (a refusal is not kept: it is raised again each time)
@functools.lru_cache(maxsize=4096)
def _typed_day(value: str, year: int | None) -> dt.date:
    text, normal = _text(value)
    day = _day(text, normal, year, day_only=True)
    if day is not None:
        return day
    try:
        if _period_end(text, normal, year) is not None:
            raise DateTextError(text, HINT_DAY)
    except DateTextError as exc:  # a deadline phrase without its year, or a 13th month
        raise DateTextError(text, HINT_DAY) from exc
    raise _refuse(text, normal, HINT_FORMS)


def parse_deadline(value: Any, *, year: int | None = None) -> dt.date:
    """A deadline: a day, or a period's last day for a phrase such as ``6月底前``."""
    cell = _cell(value)
    if cell is not None:
        return cell
    return _typed_deadline(value if isinstance(value, str) else str(value), year)


@functools.lru_cache(maxsize=4096)
def _typed_deadline(value: str, year: int | None) -> dt.date:
    text, normal = _text(value)
    day = _day(text, normal, year, day_only=False)
    if day is not None:
        return day
    end = _period_end(text, normal, year)
    if end is not None:
        return end
    raise _refuse(text, normal, HINT_DEADLINE_FORMS)


def parse_month(value: Any, *, year: int | None = None) -> str:
    """A month as ``YYYY-MM``: ``2026-11``, ``2026年11月``, ``11月`` in ``year``."""
    if not isinstance(value, str):  # a workbook's cell: a date, or a number refused
        import numbers

        cell = _cell(value) if not isinstance(value, numbers.Number) else None
        if cell is not None:
            return f"{cell:%Y-%m}"
        if isinstance(value, numbers.Number):
            raise DateTextError(str(value), HINT_NUMBER)
    text, normal = _text(value)
    for pattern in _MONTH_ONLY:
        m = pattern.fullmatch(normal)
        if m:
            y, month = _year(m.group("y"), year, text), int(m.group("m"))
            if not 1 <= month <= 12:
                raise DateTextError(text, HINT_MONTH)
            return f"{y:04d}-{month:02d}"
    if normal and _NUMBER.fullmatch(normal):
        raise DateTextError(text, HINT_NUMBER)
    raise DateTextError(text, HINT_MONTH)
