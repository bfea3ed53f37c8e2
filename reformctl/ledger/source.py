"""Where every table of a TOML text starts, found without a TOML parser.

The fast reader (rtoml) gives values but no positions. This index finds table headers with one
regular-expression pass, so that every message can name ``ledger.toml:LINE:COL`` and a write can
cut out exactly one table (its *fragment*) to edit. Cost: a few tens of milliseconds on a
10,000-point ledger.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from typing import NamedTuple

from reformctl.model import Loc

Path_ = tuple[str, ...]

# A header line starts with `[` after optional blanks. The common form, a bare dotted key with
# nothing but a comment after it, is captured whole (group 1); any other line that starts with
# `[` goes to `_parse_header` (groups 2, 3). One pass costs ~20 ms on a 9 MB ledger.
_HEADER_RE = re.compile(
    r"\n[ \t]*(?:\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\][ \t]*(?:#[^\n]*)?(?=\r?\n|\Z)"
    r"|(\[\[?)([^\n]*))"
)
_BARE_DOTTED_RE = re.compile(r"[ \t]*[A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*[ \t]*")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
# Tokens that matter for finding multi-line strings: those, one-line strings, comments.
_STRING_TOKEN_RE = re.compile(r"\"\"\"|'''|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*")
_BASIC_ML_END_RE = re.compile(r'(?<!\\)(?:\\\\)*"""')


def split_key(text: str) -> Path_ | None:
    """Split a dotted TOML key (``points."R 1".title``) into its parts; None if malformed."""
    if '"' not in text and "'" not in text:
        parts = tuple(p.strip() for p in text.split("."))
        return parts if all(_BARE_KEY_RE.fullmatch(p) for p in parts) else None
    parts_list: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] in "\"'":
            quote = text[i]
            j = i + 1
            buf = []
            while j < n and text[j] != quote:
                if quote == '"' and text[j] == "\\" and j + 1 < n:
                    buf.append(text[j : j + 2].encode().decode("unicode_escape"))
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            if j >= n:
                return None
            parts_list.append("".join(buf))
            i = j + 1
        else:
            m = _BARE_KEY_RE.match(text, i)
            if not m:
                return None
            parts_list.append(m.group())
            i = m.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n:
            if text[i] != ".":
                return None
            i += 1
    return tuple(parts_list)


def _parse_header(rest: str, array: bool) -> Path_ | None:
    """The key path of a header line's text after its opening bracket, or None if not a header."""
    close = "]]" if array else "]"
    if '"' not in rest and "'" not in rest:
        content = rest.split("#", 1)[0].rstrip(" \t\r")
        if not content.endswith(close) or (not array and content.endswith("]]")):
            return None
        key = content[: -len(close)]
        if not _BARE_DOTTED_RE.fullmatch(key):
            return None
        return tuple(p.strip(" \t") for p in key.split("."))
    # Quoted keys: find the closing bracket outside quotes, then split carefully.
    quote = ""
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "]":
            tail = rest[i + len(close) :] if rest[i : i + len(close)] == close else None
            if tail is None or tail.split("#", 1)[0].strip(" \t\r"):
                return None
            return split_key(rest[:i])
    return None


def _multiline_string_spans(text: str) -> list[tuple[int, int]]:
    """Spans of multi-line strings, inside which a `[x]` line is text, not a header."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _STRING_TOKEN_RE.search(text, pos)
        if not m:
            return spans
        token = m.group()
        if token == '"""':
            end = _BASIC_ML_END_RE.search(text, m.end())
        elif token == "'''":
            i = text.find("'''", m.end())
            end = None if i < 0 else re.compile("'''").match(text, i)
        else:
            pos = m.end()
            continue
        stop = end.end() if end else len(text)
        while stop < len(text) and text[stop] == token[0]:  # up to two extra quotes belong inside
            stop += 1
        spans.append((m.start(), stop))
        pos = stop


class Header(NamedTuple):
    path: Path_
    start: int  # offset of the header line
    body: int  # offset just past the header line
    line: int  # 1-based line of the header
    col: int
    array: bool  # [[array.of.tables]]


class SourceIndex:
    """Table headers of one TOML text, by key path, with their lines and spans."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.headers: list[Header] = []
        self.by_path: dict[Path_, int] = {}
        spans = _multiline_string_spans(text) if ('"""' in text or "'''" in text) else []
        span_starts = [a for a, _ in spans]
        line, last = 1, 0
        count = text.count
        # The pattern needs a newline before `[`: the first line is matched on its own.
        matches: Iterable[re.Match[str]] = _HEADER_RE.finditer(text)
        if text[:1] in ("[", " ", "\t"):
            head = _HEADER_RE.match("\n" + text.split("\n", 1)[0])
            matches = itertools.chain([head] if head else [], matches)
        for m in matches:
            bare = m.group(1)
            array = bare is None and len(m.group(2)) == 2
            parsed = (
                tuple(bare.split(".")) if bare is not None else _parse_header(m.group(3), array)
            )
            if parsed is None:
                continue
            path: Path_ = parsed
            start = m.start() + 1 if m.string is text else 0
            if spans:
                k = bisect.bisect_right(span_starts, start) - 1
                if k >= 0 and start < spans[k][1]:
                    continue  # a `[x]` line inside a multi-line string is text
            line += count("\n", last, start)
            last = start
            body = min(m.end() + (1 if m.string is text else 0), len(text))
            col = (m.start(2) if bare is None else m.start(1) - 1) - m.start()
            self.by_path.setdefault(path, len(self.headers))
            self.headers.append(Header(path, start, body, line, col, array))

    # -- spans ---------------------------------------------------------------------------------
    def span(self, path: Path_) -> tuple[int, int] | None:
        """The table's own lines: from its header to the next header (or end of text)."""
        if not path:
            return 0, self.headers[0].start if self.headers else len(self.text)
        i = self.by_path.get(path)
        return None if i is None else self.span_at(i)

    def span_at(self, i: int) -> tuple[int, int]:
        """The span of the i-th header's table."""
        end = self.headers[i + 1].start if i + 1 < len(self.headers) else len(self.text)
        return self.headers[i].start, end

    def line_at(self, offset: int) -> int:
        """1-based line of a character offset."""
        # Start from the nearest header before the offset: headers are sorted by offset.
        lo, hi = 0, len(self.headers)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.headers[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo == 0:
            return self.text.count("\n", 0, offset) + 1
        h = self.headers[lo - 1]
        return h.line + self.text.count("\n", h.start, offset)

    # -- locations -----------------------------------------------------------------------------
    def key_offset(self, path: Path_, key: str) -> int | None:
        """Offset of ``key = ...`` (or ``key.sub = ...``) directly inside table ``path``."""
        span = self.span(path)
        if span is None:
            return None
        start = self.headers[self.by_path[path]].body if path else span[0]
        pattern = re.compile(
            r"^[ \t]*(?:" + re.escape(key) + r'|"' + re.escape(key) + r'")[ \t]*[=.]', re.M
        )
        m = pattern.search(self.text, start, span[1])
        return m.start() + (len(m.group()) - len(m.group().lstrip())) if m else None

    def table_loc(self, path: Path_) -> Loc:
        """The header of table ``path`` (the fast case of :meth:`loc`)."""
        i = self.by_path.get(path)
        if i is None:
            return self.loc(path)
        h = self.headers[i]
        return Loc(self.file, h.line, h.col)

    def loc(self, path: Path_, key: str | None = None) -> Loc:
        """Best place for a message about table ``path`` (or its ``key``)."""
        full = path + ((key,) if key is not None else ())
        cut = len(full)
        while cut > 0 and full[:cut] not in self.by_path:
            cut -= 1
        table, rest = full[:cut], full[cut:]
        if rest:
            offset = self.key_offset(table, rest[0])
            if offset is not None:
                line = self.line_at(offset)
                line_start = self.text.rfind("\n", 0, offset) + 1
                return Loc(self.file, line, offset - line_start + 1)
        if not table:
            return Loc(self.file, 1, 1)
        h = self.headers[self.by_path[table]]
        return Loc(self.file, h.line, h.col)
