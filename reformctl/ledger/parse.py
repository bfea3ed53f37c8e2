"""Text and its data: bytes decoded as UTF-8, parsed as TOML 1.0, a syntax error as a problem
at its line and column; and :class:`Loaded`, what reading a ledger gives. The low half of
reading that the single-file reader (:mod:`~reformctl.ledger.read`), the workspace reader
(:mod:`~reformctl.ledger.workspace`) and git's texts (:mod:`~reformctl.ledger.gitio`) build on.

The parser is pytomlpp (toml++): it takes exactly TOML 1.0 (what Python's tomllib rejects, it
rejects, with the line and column) at about an eighth of tomllib's time on a 10,000-point
ledger; it refuses nesting deeper than 256. It gives tables with their keys sorted, so the
model takes the file's order from the :class:`~reformctl.ledger.source.SourceIndex`, which
also gives every position.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem, ReformctlError
from reformctl.ledger.config import Workspace
from reformctl.ledger.lexer import ScanError, header_line, parse_key, scan, skip_blanks, statements
from reformctl.ledger.source import SourceIndex
from reformctl.model import Ledger, Loc
from reformctl.patterns import lazy
from reformctl.records import record

MAX_BYTES = 50 * 1024 * 1024

_POS_RE = lazy(r"^(.*?)\s*\(error occurred at line (\d+), column (\d+)\)\s*$", re.S)

_PREFIX_RE = lazy(r"^Error while parsing ")


@record(frozen=False)
class Loaded:
    """What reading a ledger gives: the model, every problem, and the source index."""

    path: Path
    text: str
    index: SourceIndex
    ledger: Ledger | None
    problems: list[Problem]
    workspace: Workspace | None = None  # several files read as one (ledger/workspace.py)
    # the parsed data, when this read parsed the text (not when the model came from the cache)
    data: dict[str, Any] | None = None

    def valid(self) -> Ledger:
        """The ledger, or :class:`InvalidLedger` with every problem."""
        if self.problems or self.ledger is None:
            raise InvalidLedger(self.problems)
        return self.ledger


def display_name(path: Path) -> str:
    """The path as a user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def file_ident(st: os.stat_result) -> tuple[int, ...]:
    """A file's identity: any write to it moves its change time (which no one can set back),
    so a file with the same identity holds the same bytes."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# the bytes of a file read already in this process, with the file's identity then: the console
# script reads the ledger's bytes to key the answer it may replay (reformctl.answers); when it
# has none, the CLI's read takes those very bytes (their digest known, their hash cached) if
# the file it opens has that identity still, rather than read, decode and hash them again
_read_before: list[tuple[tuple[int, ...], bytes]] = []


def read_before(ident: tuple[int, ...], raw: bytes) -> None:
    """Offer the bytes of the file of identity ``ident`` to the next :func:`read_bytes`."""
    _read_before[:] = [(ident, raw)]


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem that stops it being read. Only regular files are read:
    a device or a FIFO named as the ledger is refused, never read until it ends."""
    raw, problems = read_bytes(path, name)
    return (None, problems) if raw is None else decode_text(raw, name)


def read_bytes(path: Path, name: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problem that stops it being read (:func:`read_text`)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReformctlError("ledger-missing", file=name) from None
    except OSError as exc:
        raise ReformctlError("ledger-unreadable", file=name, reason=exc.strerror) from None
    if stat.S_ISDIR(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise ReformctlError("ledger-not-file", file=name)
    if st.st_size > MAX_BYTES:
        return None, [
            Problem("file-too-large", Loc(name, 1, 1), {"size": st.st_size, "limit": MAX_BYTES})
        ]
    try:
        with path.open("rb") as fh:
            before = _read_before.pop() if _read_before else None
            if before is not None and before[0] == file_ident(os.fstat(fh.fileno())):
                raw = before[1]
            else:
                raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ReformctlError("ledger-unreadable", file=name, reason=exc.strerror) from None
    if len(raw) > MAX_BYTES:
        return None, [
            Problem("file-too-large", Loc(name, 1, 1), {"size": len(raw), "limit": MAX_BYTES})
        ]
    return raw, []


def decode_text(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text, or the problem at the first byte that is not."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem("not-utf8", Loc(name, line, col))]


def parse_toml(text: str, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse as TOML 1.0; a syntax error becomes one problem at its line and column."""
    try:
        return loads(text), []
    except TomlError as exc:
        return None, [_syntax_problem(str(exc), name, text)]


class TomlError(ValueError):
    """Text that is not TOML 1.0."""


def loads(text: str) -> dict[str, Any]:
    """The data of a TOML 1.0 text; :class:`TomlError` (with the parser's position) if it is
    not one. The one place that calls the parser."""
    import pytomlpp

    if "\x00" in text:  # the C++ parser would stop at a NUL: report it as the error it is
        raise _cannot_take(text, text.index("\x00"), "NUL character")
    try:
        data: dict[str, Any] = pytomlpp.loads(text)
    except pytomlpp.DecodeError as exc:
        raise TomlError(str(exc)) from None
    except (RecursionError, MemoryError, OverflowError, ValueError) as exc:
        raise TomlError(f"{exc} (error occurred at line 1, column 1)") from None
    except TypeError:  # a lone surrogate (bytes that were not UTF-8, escaped): no text
        bad = _SURROGATE_RE.search(text)
        if bad is None:  # (the text could not be handed over at all: no memory left for it)
            raise MemoryError("the text could not be passed to the TOML parser") from None
        raise _cannot_take(text, bad.start(), "not UTF-8") from None
    return data


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _cannot_take(text: str, at: int, what: str) -> TomlError:
    """The error for a character the parser cannot take, at ``text[at]``'s line and column
    (in the parser's words, which :func:`_syntax_problem` reads)."""
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return TomlError(f"{what} (error occurred at line {line}, column {col})")


def _syntax_problem(message: str, name: str, text: str | None = None) -> Problem:
    """The problem of a text the parser refused: at the parser's line and column, of the kind
    that what stands there in ``text`` shows (:func:`syntax_kind`), never guessed from the
    words of the parser's message."""
    m = _POS_RE.match(message)
    detail, line, col = (m.group(1), int(m.group(2)), int(m.group(3))) if m else (message, 1, 1)
    detail = _PREFIX_RE.sub("", detail.strip())
    code: str = "toml-syntax"
    args: dict[str, Any] = {}
    if text is not None:
        with contextlib.suppress(Exception):  # (the kind helps; the place and detail stand)
            code, args = syntax_kind(text, line, col)
    return Problem(code, Loc(name, line, col), {"detail": detail, **args}, _HINTS.get(code))


_HINTS = {
    "toml-duplicate": "hint-toml-duplicate",
    "toml-date": "hint-toml-date",
    "too-deep": "hint-too-deep",
    "toml-escape": "hint-toml-escape",
    "toml-unterminated": "hint-toml-unterminated",
}

DEEP = 128  # open brackets before a place that make it "deep nesting" (the parser's limit: 256)

_DATE_TOKEN_RE = lazy(r"\d{4}-\d|\d{1,2}:\d")

_TOKEN_CHARS = lazy(r"[0-9A-Za-z:.+_-]+")

_ESCAPE_OK_RE = lazy(r'\\(?:[btnfr"\\]|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')

_STRINGS_RE = lazy(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def syntax_kind(text: str, line: int, col: int) -> tuple[str, dict[str, Any]]:
    """What stands at ``line:col`` of a text the parser refused there: a key or table defined
    before it ("toml-duplicate", with the key), a date or time ("toml-date"), the 129th open
    bracket or more ("too-deep"), a backslash sequence that is no escape ("toml-escape"), the
    end of a line or of the text inside a string ("toml-unterminated"); else "toml-syntax"."""
    rest = text.split("\n", line - 1)[-1] if line > 1 else text
    starts = len(text) - len(rest)
    end = text.find("\n", starts)
    end = len(text) if end < 0 else end
    at = min(starts + max(col, 1) - 1, len(text))
    row = text[starts:end]
    here = at - starts  # the place within the row (may be its end)
    twice = _defined_before(text, starts, row, here)
    if twice is not None:
        return "toml-duplicate", {"key": twice}
    if _escape_at(row, here):
        return "toml-escape", {}
    if _open_string(text, row, here, at):
        return "toml-unterminated", {}
    if _date_at(row, here):
        return "toml-date", {}
    if _depth_before(text, at) >= DEEP:
        return "too-deep", {}
    return "toml-syntax", {}


def _defined_before(text: str, start: int, row: str, here: int) -> str | None:
    """The dotted key of the table header or ``key = value`` on the row at ``start`` (the
    parser stopped in the header, or at the value's first character) when the text before
    that row, read with the lexer, already defines it, or a key it runs into (``a = 1`` then
    ``a.b = 2``; ``[x]`` with ``b = 1``, then ``[x.b]``): a duplicate."""
    found = header_line(row + "\n")
    if found is not None and here > row.find("]"):
        return None
    if found is None:
        try:
            key, j = parse_key(text, start)
        except ScanError:
            return None
        if j >= len(text) or text[j] != "=" or here > skip_blanks(text, j + 1) - start:
            return None
    before = scan(text[:start])
    if before.stopped is not None:
        return None  # the lexer cannot follow the text before: no kind from it
    headers = before.headers
    if found is not None:
        path, array = found
        # [[x]] adds an element: it is never a duplicate of an earlier [[x]], only of an
        # earlier [x] or key x (``x = [...]`` then ``[[x]]``)
        if any(h.path == path and not (array and h.array) for h in headers):
            return ".".join(path)  # a table (or an array of tables) of that name before
        tables = {
            h.path for h in headers if h.path == path[: len(h.path)] and not (array and h.array)
        }
        bodies = [(h.path, h.body, _end_of(headers, i, start)) for i, h in enumerate(headers)]
        bodies.insert(0, ((), 0, headers[0].start if headers else start))
        bodies = [b for b in bodies if b[0] in tables or b[0] == ()]
    else:
        table = headers[-1].path if headers else ()
        path = (*table, *key)
        body = headers[-1].body if headers else 0
        if any(h.path[: len(path)] == path for h in headers):
            return ".".join(path)  # a table under that name before: it is not a value
        bodies = [(table, body, start)]
    for table, a, b in bodies:
        try:
            keys = [st.key for st in _statements(text, a, b)]
        except ScanError:
            return None
        for k in keys:
            full = (*table, *k)
            n = min(len(full), len(path))
            if full[:n] == path[:n]:
                return ".".join(path[:n])  # the shorter: what was defined, or is redefined
    return None


def _end_of(headers: list[Any], i: int, limit: int) -> int:
    return headers[i + 1].start if i + 1 < len(headers) else limit


def _statements(text: str, a: int, b: int) -> list[Any]:
    return statements(text, a, b)


def _escape_at(row: str, here: int) -> bool:
    """A backslash sequence of a basic string on ``row`` that is no valid escape (or one of a
    surrogate or of no code point) ends at or just before ``here``."""
    quote = None
    i = 0
    while i < min(here + 1, len(row)):
        ch = row[i]
        if quote is None:
            if ch == "#":
                return False
            if ch in "\"'":
                quote = ch
        elif ch == "\\" and quote == '"':
            m = _ESCAPE_OK_RE.match(row, i)
            code = m and (m.group(1) or m.group(2))
            bad = m is None or (code is not None and _not_scalar(int(code, 16)))
            if bad and i <= here <= i + 10:
                return True
            i += len(m.group()) if m else 2
            continue
        elif ch == quote:
            quote = None
        i += 1
    return False


def _not_scalar(n: int) -> bool:
    return 0xD800 <= n <= 0xDFFF or n > 0x10FFFF


def _quote_at(row: str, upto: int) -> str | None:
    """The quote of the one-line string open at ``row[upto]`` (None outside strings; a
    comment ends the reading)."""
    quote = None
    i = 0
    while i < upto and i < len(row):
        ch = row[i]
        if quote is None:
            if ch == "#":
                return None
            if ch in "\"'":
                quote = ch
        elif ch == "\\" and quote == '"':
            i += 1
        elif ch == quote:
            quote = None
        i += 1
    return quote


def _open_string(text: str, row: str, here: int, at: int) -> bool:
    """``here`` is the end of its row (or of the text) and a string opened before it on that
    row (or a multi-line one, before it in the text) is not closed."""
    if at >= len(text) and (text.count('"""') % 2 or text.count("'''") % 2):
        return True
    if here < len(row.rstrip("\r")):
        return False
    return _quote_at(row, here) is not None


def _date_at(row: str, here: int) -> bool:
    """The value at ``here`` (or just before it) is written as a date or a time (a date-time
    with a space: its time is one). Never a key's neighbour: ``done  2026-03-28`` lacks its
    ``=``, it holds no bad date."""
    tokens = list(_TOKEN_CHARS.finditer(row))
    for i, m in enumerate(tokens):
        if m.start() <= here <= m.end() and _DATE_TOKEN_RE.match(m.group()):
            before = row[: m.start()].rstrip()
            after_date = i > 0 and tokens[i - 1].end() == len(before)
            after_date = after_date and _DATE_TOKEN_RE.match(tokens[i - 1].group()) is not None
            return not before or before[-1] in "=[,{" or after_date
    return False


def _depth_before(text: str, at: int) -> int:
    """How many brackets and braces are open just before ``at`` (its statement, read back at
    most 64 KB; strings left out)."""
    window = text[max(0, at - 65536) : at]
    window = _STRINGS_RE.sub("", window)
    depth = 0
    for ch in window:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
    return depth


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The parsed data and the model hold no reference cycles: pausing the cyclic garbage
    collector while millions of small objects are made saves a quarter of the time, and
    freezing them afterwards keeps later collections from scanning them again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if paused:
            gc.enable()


_MARKER_RE = re.compile(r"^(<{7}|>{7})(?: |$)", re.M)


def conflict_markers(text: str, name: str) -> list[Problem]:
    """A merge left unresolved: git's markers, even where they parse (inside a multi-line
    string); both kinds must be there, so a lone line of seven brackets in a text is no
    marker."""
    # (a text without "<" is searched for it alone: a one-character search is a tenth of the
    # time of the seven, ~8 ms each on 10,000 points)
    if "<" not in text or "<<<<<<<" not in text or ">>>>>>>" not in text:
        return []
    found = list(_MARKER_RE.finditer(text))
    if not {m.group(1)[0] for m in found} >= {"<", ">"}:
        return []
    first = found[0]
    line = text.count("\n", 0, first.start()) + 1
    return [Problem("conflict-markers", Loc(name, line, 1), {}, "hint-conflict-markers")]
