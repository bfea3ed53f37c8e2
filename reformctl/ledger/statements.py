"""Where each ``key = value`` statement of a TOML table body starts and ends.

Edits replace exactly the value text of one statement, add one line, or remove one statement,
so a change touches only its own lines, byte for byte. (tomlkit's round trip of a fragment is
not exact: it drops the blank before ``}`` after a date in an inline table, for one, so a
``done`` on a hand-written milestone would rewrite an unrelated line.)

The scanner understands everything a value can be: basic and literal strings (one-line and
multi-line), arrays over many lines with comments inside, inline tables, and scalars including
date-times written with a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}[^\s#,\]}]*|[^\s#,\]}]+")
_BASIC_ML_END = re.compile(r'(?<!\\)(?:\\\\)*"""')


class ScanError(ValueError):
    """The text is not a table body this scanner can take apart."""


@dataclass(frozen=True, slots=True)
class Statement:
    key: tuple[str, ...]
    start: int  # start of the statement's line
    value_start: int
    value_end: int
    end: int  # just past the statement's newline (or the end of the text)


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _string_end(text: str, i: int) -> int:
    if text.startswith('"""', i):
        m = _BASIC_ML_END.search(text, i + 3)
        if not m:
            raise ScanError("unterminated string")
        j = m.end()
    elif text.startswith("'''", i):
        k = text.find("'''", i + 3)
        if k < 0:
            raise ScanError("unterminated string")
        j = k + 3
    else:
        quote = text[i]
        j = i + 1
        while j < len(text) and text[j] != quote:
            if text[j] == "\n":
                raise ScanError("newline in string")
            j += 2 if quote == '"' and text[j] == "\\" else 1
        if j >= len(text):
            raise ScanError("unterminated string")
        return j + 1
    while j < len(text) and text[j] == text[i] and j - i < 8:  # up to two quotes inside
        j += 1
    return j


def value_end(text: str, i: int) -> int:
    """Index just past the value starting at ``i``."""
    if i >= len(text):
        raise ScanError("missing value")
    c = text[i]
    if c in "\"'":
        return _string_end(text, i)
    if c in "[{":
        close = "]" if c == "[" else "}"
        j = i + 1
        while j < len(text):
            ch = text[j]
            if ch == close:
                return j + 1
            if ch in "\"'":
                j = _string_end(text, j)
            elif ch in "[{":
                j = value_end(text, j)
            elif ch == "#":
                nl = text.find("\n", j)
                j = len(text) if nl < 0 else nl
            else:
                j += 1
        raise ScanError("unterminated " + c)
    m = _SCALAR.match(text, i)
    if not m:
        raise ScanError("bad value")
    return m.end()


def _key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    parts = []
    while True:
        i = _skip_blanks(text, i)
        if i < len(text) and text[i] in "\"'":
            j = _string_end(text, i)
            raw = text[i + 1 : j - 1]
            parts.append(
                raw.encode().decode("unicode_escape") if text[i] == '"' and "\\" in raw else raw
            )
            i = j
        else:
            m = _BARE.match(text, i)
            if not m:
                raise ScanError("bad key")
            parts.append(m.group())
            i = m.end()
        i = _skip_blanks(text, i)
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def statements(text: str, start: int, end: int) -> list[Statement]:
    """The statements of the table body ``text[start:end]`` (from its first line)."""
    out = []
    i = start
    while i < end:
        line_start = i
        j = _skip_blanks(text, i)
        if j >= end:
            break
        if text[j] in "\n\r#":
            nl = text.find("\n", j, end)
            i = end if nl < 0 else nl + 1
            continue
        key, j = _key(text, j)
        if j >= end or text[j] != "=":
            raise ScanError("expected =")
        v_start = _skip_blanks(text, j + 1)
        v_end = value_end(text, v_start)
        k = _skip_blanks(text, v_end)
        if k < end and text[k] == "#":
            nl = text.find("\n", k, end)
            k = end if nl < 0 else nl
        if k < end and text[k] == "\r":
            k += 1
        if k < end and text[k] != "\n":
            raise ScanError("text after value")
        stop = min(k + 1, end) if k < end else end
        out.append(Statement(key, line_start, v_start, v_end, stop))
        i = stop
    return out
