"""Milestones as offices write them in a cell: one deadline, a deadline phrase before the step
(``6月底前出台实施方案``) or after it in brackets (``出台实施方案（6月底前）``), or several steps
numbered (``1.…\\n2.…``, ``（1）…``, ``①…``) or separated by ``；``, each with its own phrase or
with a parallel list in the deadline cell. Dates are read by :mod:`reformctl.datetext` alone.
Pure."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from reformctl.datetext import DateTextError, parse_deadline
from reformctl.intake.units import Refused

_WHEN = (
    r"(?:(?:\d{4}|二〇[一二三四五六七八九〇]{2})年)?(?:"
    r"\d{1,2}月(?:\d{1,2}日)?(?:底|末|中旬|上旬|下旬|中)?"
    r"|年底|年末|年中|年内|上半年|下半年|全年"
    r"|第?[一二三四1-4]季度(?:末|底)?"
    r"|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"
    r")(?:前|之前|以前)?"
)
_LEADING = re.compile(rf"(?P<when>{_WHEN})[，,：:\s]*(?P<rest>.*)", re.S)
_TRAILING = re.compile(rf"(?P<rest>.+?)\s*[（(](?P<when>{_WHEN})[）)][。.]?", re.S)
_MARKER = re.compile(
    r"(?:^|(?<=[\n；;。]))[ \t\u3000]*"
    r"(?:(?P<n>\d{1,2})[.．、)）](?!\d{1,2}[.．](?:\d|$))|[（(](?P<p>\d{1,2})[）)]|(?P<c>[①-⑳]))"
)
_SEMI = re.compile(r"[；;\n]+")
# where a cell can hold several steps: a second number follows one of these, parts are cut at them
_SPLIT_AT = re.compile(r"[\n；;。]")


def items(text: str) -> list[str]:
    """The steps of a cell: numbered 1, 2, 3... in order (at least two), else parts between
    ``；`` or line breaks where every part has its own deadline phrase, else the whole cell."""
    text = text.strip()
    if not _SPLIT_AT.search(text):  # one line, no ；: one step (the most common cell, read fast)
        return [text] if text else []
    marks = list(_MARKER.finditer(text))
    numbers = []
    for m in marks:
        if m.group("n") or m.group("p"):
            numbers.append(int(m.group("n") or m.group("p")))
        else:
            numbers.append(ord(m.group("c")) - ord("①") + 1)
    if len(marks) >= 2 and marks[0].start() == 0 and numbers == list(range(1, len(marks) + 1)):
        ends = [m.start() for m in marks[1:]] + [len(text)]
        return [_clean(text[m.end() : end]) for m, end in zip(marks, ends, strict=True)]
    parts = [_clean(p) for p in _SEMI.split(text) if _clean(p)]
    if len(parts) >= 2 and all(phrase(p)[0] for p in parts):
        return parts
    return [text] if text else []


def _clean(text: str) -> str:
    return text.strip().strip("；;。，,").strip()


_FIRST = re.compile(r"(?:1[.．、]|[（(]1[）)]|①)\s*(?P<rest>.+)", re.S)


def phrase(text: str) -> tuple[str, str]:
    """(deadline phrase, the rest) of a step; ("", text) where it has none. A lone step
    numbered 1 (``1.6月底前出台方案``) is read without its number where a phrase follows it."""
    first = _FIRST.fullmatch(text)
    if first:
        when, rest = phrase(first.group("rest"))
        if when:
            return when, rest
    m = _TRAILING.fullmatch(text)
    if m:
        return m.group("when"), _clean(m.group("rest"))
    m = _LEADING.fullmatch(text)
    if m:
        return m.group("when"), _clean(m.group("rest"))
    return "", text


def deadline(value: Any, year: int, column: str) -> dt.date:
    try:
        return parse_deadline(value, year=year)
    except DateTextError as exc:
        raise Refused("intake-bad-date", column=column, text=exc.text, hint=exc.hint) from None


def split(name: str, due: Any, title: str, year: int) -> list[tuple[str, dt.date]]:
    """(name, due) of each milestone a row's 节点 and 完成时限 cells hold, in order; refuses
    where the counts do not pair (naming the cell)."""
    if isinstance(due, (int, float)) and not isinstance(due, bool):
        raise Refused("intake-bad-date", column="due", text=str(due), hint=_hint(due, year))
    if isinstance(due, dt.date):
        steps = items(name)
        if len(steps) > 1:
            raise Refused("intake-steps-unpaired", column="ms_name", n=len(steps), m=1)
        return [(name or title, deadline(due, year, "due"))]
    due_text = "" if due is None else str(due).strip()
    names, dues = items(name), items(due_text)
    if len(names) > 1 and len(dues) == len(names):
        out = []
        for n, d in zip(names, dues, strict=True):
            when, rest = phrase(d)
            out.append((n, deadline(when or d, year, "due")))
            if rest and when:
                raise Refused("intake-steps-unpaired", column="due", n=len(names), m=len(dues))
        return out
    if len(names) > 1:
        out = []
        for n in names:
            when, rest = phrase(n)
            if not when:
                raise Refused("intake-steps-unpaired", column="ms_name", n=len(names), m=len(dues))
            out.append((rest or n, deadline(when, year, "ms_name")))
        if dues and (len(dues) > 1 or deadline(_when(dues[0]), year, "due") != out[-1][1]):
            raise Refused("intake-steps-unpaired", column="due", n=len(names), m=len(dues))
        return out
    if len(dues) > 1:
        out = []
        for d in dues:
            when, rest = phrase(d)
            if not when or not rest:
                raise Refused("intake-dues-unpaired", column="due", n=len(dues), m=len(names))
            out.append((rest, deadline(when, year, "due")))
        if names:
            raise Refused("intake-steps-unpaired", column="ms_name", n=len(names), m=len(dues))
        return out
    if dues:
        when, rest = phrase(dues[0])
        if when and rest and not names:
            return [(rest, deadline(when, year, "due"))]
        return [(names[0] if names else title, deadline(dues[0], year, "due"))]
    if names:
        when, rest = phrase(names[0])
        if when and rest:
            return [(rest, deadline(when, year, "ms_name"))]
        raise Refused("intake-no-due", column="due")
    return []


def _hint(value: Any, year: int) -> str | None:
    """The parser's own hint for a number in a deadline cell (Excel's 2026.1 for 2026.10)."""
    try:
        parse_deadline(value, year=year)
    except DateTextError as exc:
        return exc.hint
    return None


def _when(text: str) -> str:
    when, _ = phrase(text)
    return when or text
