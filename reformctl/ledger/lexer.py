"""The one TOML lexer: where every statement and table header of a TOML 1.0 text starts and ends.

The fast parser gives values but no positions. Everything that needs positions (messages that
name ``file:line:col``, writes that splice one table, ``fmt``, the merge driver) asks this
module, so there is one answer to "where does this table end?". It walks the document statement
by statement, the way a TOML parser does: a run of plain one-line statements is taken by one
regular expression; anything else (multi-line strings and arrays, inline tables, date-times
with a space) by a scanner that follows the grammar, so a ``[x]`` or ``# x`` line inside a
multi-line string or array is never taken for a header or a comment.

It is exact on valid TOML (tested against the parser on generated documents); on text that does
not parse it stops quietly where it loses its way, since such a text is never written to.
"""

from __future__ import annotations

import bisect
import re
import sys
from typing import NamedTuple

from reformctl.patterns import lazy
from reformctl.records import record

Path_ = tuple[str, ...]


class ScanError(ValueError):
    """The text is not TOML this lexer can follow."""


# -- pieces of the grammar ---------------------------------------------------------------------
_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_LITERAL = r"'[^'\n]*'"
_SIMPLE_KEY = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_KEY = rf"{_SIMPLE_KEY}(?:[ \t]*\.[ \t]*{_SIMPLE_KEY})*"
# A scalar written on one line without a space: number, boolean, date, time, date-time with T.
_ATOM = r"[A-Za-z0-9_:.+\-]+"
_ONE = rf"(?:{_BASIC}|{_LITERAL}|{_ATOM})"
_FLAT_ARRAY = rf"\[[ \t]*(?:{_ONE}[ \t]*,[ \t]*)*(?:{_ONE}[ \t]*)?\]"
_EOL = r"(?:\r?\n|\Z)"
_COMMENT = r"(?:#[^\n\r]*)?"
# A run of lines that hold no bracket or brace outside one-line strings: blank lines, comment
# lines and one-line statements with a scalar or string value, taken in one match. (Such a line
# cannot open a multi-line value or a table; anything else goes through the grammar below.)
_NOT_KEY = r"[^\[\]{}\n\"'=]*"
_NOT_VALUE = r"[^\[\]{}\n\"']*"
_STR = rf"(?:{_BASIC}|{_LITERAL})"
_FLAT = rf"\[{_NOT_VALUE}(?:{_STR}{_NOT_VALUE})*\]"
_COMMENT_LINE = r"[ \t]*#[^\n]*\n"
_PLAIN_LINE = (
    rf"{_NOT_KEY}(?:{_STR}{_NOT_KEY})*(?:={_NOT_VALUE}(?:(?:{_STR}|{_FLAT}){_NOT_VALUE})*)?\n"
)
_RUN = (
    rf"(?:{_COMMENT_LINE}"
    rf"|(?![^\n]*(?:\"\"\"|'''))"  # multi-line string quotes: the grammar decides
    rf"{_PLAIN_LINE})*"
)
_HEADER = rf"[ \t]*(\[\[?)[ \t]*({_KEY})[ \t]*(\]\]?)[ \t]*{_COMMENT}{_EOL}"
_HEADER_RE = re.compile(_HEADER)
# One step of the lexer: a run of plain lines, then a table header if one follows. (The lexer's
# long patterns are compiled when first used, ~4 ms: a first read that finds its headers by
# their lines, and many commands, use none of them.)
_STEP_RE = lazy(rf"{_RUN}(?:{_HEADER})?")
# -- the fast pass: a text with no multi-line value, checked and read by two regex passes ------
# A line is *safe* when the lexer's loop (:func:`_scan_from`), at its start, takes that line
# alone and finds no header and no error: a line of the run (without the look-ahead for
# multi-line string quotes, which the fast pass rules out for the whole text), or a one-line
# statement with a dotted bare key whose value is a bracketed value of one-line strings and
# plain characters at most two levels deep (``statement_at`` takes it on that line alone:
# ``value_end`` walks those brackets and strings to the closing one). In a text of safe lines
# and header lines, the lexer finds exactly the header lines.
_COMMON_LINE = rf"[ \t]*{_BARE}[ \t]*=[ \t]*(?:{_BASIC}|{_ATOM})[ \t]*\n"  # (a plain line)
_IN_BRACKETS = rf"(?:[^\[\]{{}}\"'#\n]|{_STR})"
_NESTED = rf"(?:\[{_IN_BRACKETS}*\]|\{{{_IN_BRACKETS}*\}})"
_BRACKETED = rf"(?:\[(?:{_IN_BRACKETS}|{_NESTED})*\]|\{{(?:{_IN_BRACKETS}|{_NESTED})*\}})"
_BRACKETED_LINE = (
    rf"[ \t]*{_BARE}(?:[ \t]*\.[ \t]*{_BARE})*[ \t]*=[ \t]*{_BRACKETED}[ \t]*(?:#[^\n]*|\r)?\n"
)
_SAFE_LINE = rf"(?:\n|{_COMMON_LINE}|{_COMMENT_LINE}|{_PLAIN_LINE}|{_BRACKETED_LINE})"
_SAFE_TEXT_RE = lazy(rf"(?:{_SAFE_LINE}|{_HEADER})*+")
# a step of the fast pass: the safe lines before a header (group 1), then the header (no
# header line is a safe line too: each of those starts with a key, a `#` or no bracket)
_SAFE_STEP_RE = lazy(rf"({_SAFE_LINE}*+){_HEADER}")
# a table body of lines the loop takes one statement each (or blank, or a comment): where a
# statement's first key is the bare word at its line's start
_SIMPLE_BODY_RE = lazy(rf"(?:\n|{_COMMON_LINE}|{_COMMENT_LINE}|{_BRACKETED_LINE})*+")
_FIRST_KEY_RE = re.compile(rf"^[ \t]*({_BARE})", re.M)
_BARE_RE = re.compile(_BARE)
_DOTTED_BARE_RE = re.compile(rf"{_BARE}(?:\.{_BARE})*")
# for the source index's search by lines: a bare key's pattern, a dotted bare key's test
BARE_KEY = _BARE
dotted_bare = _DOTTED_BARE_RE.fullmatch
_SCALAR_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T t]\d{2}:\d{2}[^\s#,\]}]*|[^\s#,\]}]+")
_BASIC_ML_END_RE = re.compile(r'(?<!\\)(?:\\\\)*"""')
_ESCAPE_RE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def decode_basic(raw: str) -> str:
    """The text of a one-line basic string's content (TOML 1.0 escapes)."""
    if "\\" not in raw:
        return raw

    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        if code:
            return chr(int(code, 16))
        ch = m.group(3)
        if ch not in _SIMPLE_ESCAPES:
            raise ScanError(f"bad escape \\{ch}")
        return _SIMPLE_ESCAPES[ch]

    return _ESCAPE_RE.sub(one, raw)


def skip_blanks(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    return i


def string_end(text: str, i: int) -> int:
    """Index just past the string (any of the four forms) that starts at ``i``."""
    if text.startswith('"""', i):
        m = _BASIC_ML_END_RE.search(text, i + 3)
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
        n = len(text)
        while j < n and text[j] != quote:
            if text[j] == "\n":
                raise ScanError("newline in string")
            j += 2 if quote == '"' and text[j] == "\\" else 1
        if j >= n:
            raise ScanError("unterminated string")
        return j + 1
    # Up to two quotes right before the closing delimiter belong to the content.
    stop = j
    while stop < len(text) and text[stop] == text[i] and stop - j < 2:
        stop += 1
    return stop


def value_end(text: str, i: int) -> int:
    """Index just past the value that starts at ``i`` (arrays may span lines, with comments).
    Nesting is followed with a stack, not recursion, so no depth breaks it."""
    if i >= len(text):
        raise ScanError("missing value")
    c = text[i]
    if c in "\"'":
        return string_end(text, i)
    if c not in "[{":
        m = _SCALAR_RE.match(text, i)
        if not m:
            raise ScanError("bad value")
        return m.end()
    closers = ["]" if c == "[" else "}"]
    j, n = i + 1, len(text)
    while j < n:
        ch = text[j]
        if ch == closers[-1]:
            closers.pop()
            j += 1
            if not closers:
                return j
        elif ch in "\"'":
            j = string_end(text, j)
        elif ch in "[{":
            closers.append("]" if ch == "[" else "}")
            j += 1
        elif ch == "#":
            nl = text.find("\n", j)
            j = n if nl < 0 else nl
        elif ch in "]}":
            raise ScanError("unbalanced " + ch)
        else:
            j += 1
    raise ScanError("unterminated " + c)


def _skip_space(text: str, j: int, end: int) -> int:
    """Past blanks, newlines and comments inside an array."""
    while j < end:
        ch = text[j]
        if ch in " \t\r\n":
            j += 1
        elif ch == "#":
            nl = text.find("\n", j, end)
            j = end if nl < 0 else nl
        else:
            break
    return j


def array_items(text: str, i: int) -> tuple[list[tuple[int, int, int | None]], int]:
    """The elements of the array at ``i``: (start, end, offset of the comma after it or None),
    and the offset of the closing bracket."""
    if not text.startswith("[", i):
        raise ScanError("not an array")
    end = value_end(text, i)
    close = end - 1
    items: list[tuple[int, int, int | None]] = []
    j = _skip_space(text, i + 1, close)
    while j < close:
        v_end = value_end(text, j)
        k = _skip_space(text, v_end, close)
        if k < close and text[k] == ",":
            items.append((j, v_end, k))
            j = _skip_space(text, k + 1, close)
        else:
            items.append((j, v_end, None))
            j = k
            if j < close:
                raise ScanError("expected , in array")
    return items, close


def parse_key(text: str, i: int) -> tuple[Path_, int]:
    """A dotted key at ``i``: its parts (quotes decoded) and the index just past it."""
    parts = []
    while True:
        i = skip_blanks(text, i)
        if i < len(text) and text[i] in "\"'":
            j = string_end(text, i)
            raw = text[i + 1 : j - 1]
            parts.append(decode_basic(raw) if text[i] == '"' else raw)
            i = j
        else:
            m = _BARE_RE.match(text, i)
            if not m:
                raise ScanError("bad key")
            parts.append(m.group())
            i = m.end()
        i = skip_blanks(text, i)
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def split_key(text: str) -> Path_ | None:
    """Split a whole dotted key (``points."R 1".title``); None if it is not one."""
    if _DOTTED_BARE_RE.fullmatch(text):
        return tuple(text.split("."))
    try:
        path, end = parse_key(text, 0)
    except ScanError:
        return None
    return path if skip_blanks(text, end) == len(text) else None


@record
class Statement:
    key: Path_
    start: int  # start of the statement's line
    value_start: int
    value_end: int
    end: int  # just past the statement's newline (or the end of the text)


def statement_at(text: str, line_start: int, limit: int | None = None) -> Statement:
    """The ``key = value`` statement whose line starts at ``line_start``."""
    end = len(text) if limit is None else limit
    key, j = parse_key(text, line_start)
    if j >= end or text[j] != "=":
        raise ScanError("expected =")
    v_start = skip_blanks(text, j + 1)
    v_end = value_end(text, v_start)
    if v_end > end:
        raise ScanError("value runs past the table")
    k = skip_blanks(text, v_end)
    if k < end and text[k] == "#":
        nl = text.find("\n", k, end)
        k = end if nl < 0 else nl
    if k < end and text[k] == "\r":
        k += 1
    if k < end and text[k] != "\n":
        raise ScanError("text after value")
    stop = min(k + 1, end) if k < end else end
    return Statement(key, line_start, v_start, v_end, stop)


def first_keys(text: str, start: int, end: int) -> dict[str, int] | None:
    """The line start of the first statement for each first key of the table body
    ``text[start:end]``, as :func:`statements` gives them, when every line of it is a
    one-line statement with a bare key, blank or a comment (the body of a table reformctl
    wrote); None for any other body (then :func:`statements` decides)."""
    if _SIMPLE_BODY_RE.fullmatch(text, start, end) is None:
        return None
    keys: dict[str, int] = {}
    for m in _FIRST_KEY_RE.finditer(text, start, end):
        keys.setdefault(m.group(1), m.start())
    return keys


def statements(text: str, start: int, end: int) -> list[Statement]:
    """The statements of the table body ``text[start:end]`` (from a line start)."""
    out = []
    i = start
    while i < end:
        j = skip_blanks(text, i)
        if j >= end:
            break
        if text[j] in "\n\r#":
            nl = text.find("\n", j, end)
            i = end if nl < 0 else nl + 1
            continue
        stmt = statement_at(text, i, end)
        out.append(stmt)
        i = stmt.end
    return out


class Header(NamedTuple):
    path: Path_
    start: int  # offset of the header line
    body: int  # offset just past the header line
    line: int  # 1-based line of the header
    col: int
    array: bool  # [[array.of.tables]]


@record(frozen=False)
class Scan:
    """The headers of a document, in order; ``stopped`` is where the lexer lost its way
    (None: it followed the whole text)."""

    headers: list[Header]
    stopped: int | None = None


def scan(text: str, multiline: list[tuple[int, int, bool]] | None = None) -> Scan:
    """Every table header of ``text``, in order; values that span lines are added to
    ``multiline`` when it is given, as (start, end, is_string).

    A text with no value that spans lines (a ledger as reformctl writes it) is read by
    :func:`fast_scan`; any other, or one that pass is not sure of, by the lexer's loop."""
    if multiline is None:
        found = fast_scan(text)
        if found is not None:
            return found
    return _scan_from(text, 0, 1, 0, [], multiline)


def fast_scan(text: str) -> Scan | None:
    """``scan(text)`` in one pass of compiled regular expressions, or None when the text has
    anything they cannot be sure of: a multi-line string quote anywhere, a last line without
    its newline, or a line that is neither a header nor *safe* (a multi-line array, a value
    nested deeper, a line the lexer would stop at). Then every line is taken by the lexer
    alone, so the headers are the header lines, as the lexer would find them. The pass goes
    step by step, each the safe lines up to a header and the header (a step that does not
    match leaves the text after the last header, which must be safe lines alone)."""
    if '"""' in text or "'''" in text or (text and text[-1] != "\n"):
        return None
    headers: list[Header] = []
    append = headers.append
    count = text.count
    bare = _DOTTED_BARE_RE.fullmatch
    new = tuple.__new__
    intern = sys.intern
    step = _SAFE_STEP_RE.match
    line, last, pos = 1, 0, 0
    while (m := step(text, pos)) is not None:
        opening, key, closing = m.group(2, 3, 4)
        path = tuple(map(intern, key.split("."))) if bare(key) else split_key(key)
        array = len(opening) == 2
        if path is None or array != (len(closing) == 2):
            return None  # the lexer stops here: it says where
        start, pos = m.end(1), m.end()
        line += count("\n", last, start)
        last = start
        append(new(Header, (path, start, pos, line, m.start(2) - start + 1, array)))
    if _SAFE_TEXT_RE.fullmatch(text, pos) is None:  # (the lines after the last header)
        return None
    return Scan(headers)


def _scan_from(
    text: str,
    pos: int,
    line: int,
    last: int,
    headers: list[Header],
    multiline: list[tuple[int, int, bool]] | None = None,
    resync: _Resync | None = None,
) -> Scan:
    """The lexer's loop from ``pos`` (a line start where a statement may begin: 0, or just
    past a header), ``line`` being the line of offset ``last``; found headers go after
    ``headers``. With ``resync``, the loop stops at the first header it finds that an old
    scan of the same text from there on also found: the rest is the old scan's, moved."""
    n = len(text)
    step = _STEP_RE.match
    count = text.count
    while pos < n:
        m = step(text, pos)
        end = m.end() if m is not None else pos
        if m is not None and m.group(1) is not None:
            start = m.start(1)
            start = text.rfind("\n", pos, start) + 1 or pos
            array = len(m.group(1)) == 2
            path = split_key(m.group(2))
            if path is None or array != (len(m.group(3)) == 2):
                return Scan(headers, start)
            line += count("\n", last, start)
            last = start
            headers.append(Header(path, start, end, line, m.start(1) - start + 1, array))
            if resync is not None and start >= resync.after:
                rest = resync.rest(start, end, line)
                if rest is not None:
                    headers += rest
                    return Scan(headers, resync.stopped)
        elif end == pos:
            # a statement the run could not take: multi-line values, inline tables, spaced times
            try:
                stmt = statement_at(text, pos)
            except ScanError:
                return Scan(headers, pos)
            if multiline is not None and "\n" in text[stmt.value_start : stmt.value_end]:
                quote = text[stmt.value_start]
                multiline.append((stmt.value_start, stmt.value_end, quote in "\"'"))
            end = stmt.end
        pos = end
    return Scan(headers)


@record(frozen=False)
class _Resync:
    """The old scan's headers after an edit: text at and after old offset ``after - delta``
    is the same in the new text, ``delta`` characters later."""

    old: list[Header]
    first: int  # the first old header that may be found again
    after: int  # new offset from which the new text is the old one moved
    delta: int
    stopped: int | None

    def rest(self, start: int, body: int, line: int) -> list[Header] | None:
        """The old headers from the one at new offset ``start`` on, moved (None: no old
        header is there)."""
        old, delta = self.old, self.delta
        i = self.first
        while i < len(old) and old[i].start + delta < start:
            i += 1
        self.first = i
        if i == len(old) or old[i].start + delta != start or old[i].body + delta != body:
            return None
        lines = line - old[i].line
        return [
            Header(h.path, h.start + delta, h.body + delta, h.line + lines, h.col, h.array)
            for h in old[i + 1 :]
        ]


def rescan(old: Scan, old_text: str, text: str, edits: list[tuple[int, int, int]]) -> Scan:
    """``scan(text)`` when ``text`` is ``old_text`` (whose scan is ``old``) with ``edits``
    made: each (start, end, length) replaces ``old_text[start:end]`` with ``length``
    characters. Only the edited lines are lexed again: the lexer is started just past the
    last header before the first edit, and stopped at the first header after the last edit
    that the old scan found at the same place in the same text (from there on, the lexer
    sees what it saw before, so it would find what it found, moved by the edits)."""
    if not edits or old.stopped is not None:
        return scan(text)
    first = min(a for a, _, _ in edits)
    after = max(b for _, b, _ in edits)
    delta = sum(length - (b - a) for a, b, length in edits)
    if len(old_text) + delta != len(text):
        # not the old text with these edits (a splice landed elsewhere): lexed whole, so the
        # proof that follows finds and names the difference
        return scan(text)
    headers = old.headers
    # restart just past a header that ends with its newline, wholly before the first edit
    k = bisect.bisect_right(headers, first, key=lambda h: h.body) - 1
    while k >= 0 and old_text[headers[k].body - 1] != "\n":
        k -= 1
    if k < 0:
        return _scan_from(text, 0, 1, 0, [], None, _Resync(headers, 0, after + delta, delta, None))
    h = headers[k]
    resync = _Resync(headers, k + 1, after + delta, delta, None)
    return _scan_from(text, h.body, h.line, h.start, headers[: k + 1], None, resync)


def header_line(line: str) -> tuple[Path_, bool] | None:
    """The key path of a header line (and whether it is ``[[...]]``), or None."""
    m = _HEADER_RE.fullmatch(line)
    if m is None:
        return None
    path = split_key(m.group(2))
    array = len(m.group(1)) == 2
    if path is None or array != (len(m.group(3)) == 2):
        return None
    return path, array


def content_end(text: str, body: int, limit: int) -> int:
    """Just past the last statement of the table whose body is ``text[body:limit]`` (its
    header line's end when it has none): the comment and blank lines after it belong to
    whatever follows."""
    found = statements(text, body, limit)
    return found[-1].end if found else body
