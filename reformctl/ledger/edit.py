"""Format-preserving edits, one table at a time, and the proof that a write meant what it did.

A write reads the text, finds the tables it touches with the :class:`SourceIndex`, parses
only those fragments to read the facts, and edits one table at a time with the lexer
(:mod:`reformctl.ledger.lexer`), which replaces exactly the value text of a changed key (or
one element of an array). Everything else stays byte for byte. New tables are written from
:mod:`tomltext`, so values from the command line are always TOML values, never raw text.

Before it replaces the ledger, the whole new text is parsed as TOML 1.0 and must equal the
old data with exactly the changes the splices say they make (:func:`prove`). tomlkit, the
format-preserving library, is not used for this: its round trip of a whole 10,000-point
ledger takes about 21 s and 555 MiB, and of a fragment it is not byte-exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem, ReformctlError
from reformctl.ledger import tomltext
from reformctl.ledger.lexer import ScanError, array_items, content_end, statements
from reformctl.ledger.parse import (
    MAX_BYTES,
    TomlError,
    _syntax_problem,
    decode_text,
    display_name,
    loads,
    read_text,
)
from reformctl.ledger.source import Path_, SourceIndex
from reformctl.model import Loc
from reformctl.records import field, record


@record
class Splice:
    """Replace text[start:end] with ``text``. What it means for the data is said beside it, so
    that the write can be proven: ``table`` gets exactly the own keys ``expect``; ``removes``
    loses its whole subtree; ``adds`` are new tables with their keys."""

    start: int
    end: int
    text: str
    table: Path_ | None = None
    expect: Mapping[str, Any] | None = None
    removes: Path_ | None = None
    adds: tuple[tuple[Path_, Mapping[str, Any]], ...] = ()


@record(frozen=False)
class Source:
    """The ledger's text as read for one write, with its index. Text is kept with LF newlines;
    the file's own newline (CRLF stays CRLF) and BOM are restored on writing."""

    path: Path
    name: str
    text: str
    newline: str
    bom: bool
    index: SourceIndex
    raw: str = ""  # the text as in the file (its own newlines), without the BOM
    crlf_at: list[int] = field(default_factory=list)  # LF offsets in ``text`` that were CRLF
    _cache: dict[Path_, Any] = field(default_factory=dict)
    # in a workspace: the other files' data, which lookups see under this file's own tables,
    # and which file holds each of their tables ((section, key) -> file name)
    context: dict[str, Any] | None = None
    context_files: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, data: bytes, path: Path) -> Source:
        name = display_name(path)
        text, problems = decode_text(data, name)
        if text is None:
            raise InvalidLedger(problems)
        return cls.from_text(text, name, path)

    @classmethod
    def read(cls, path: Path) -> Source:
        name = display_name(path)
        text, problems = read_text(path, name)
        if text is None:
            raise InvalidLedger(problems)
        return cls.from_text(text, name, path)

    @classmethod
    def from_text(cls, text: str, name: str, path: Path | None = None) -> Source:
        bom = text.startswith("\ufeff")
        if bom:
            text = text[1:]
        raw = text
        crlf = text.count("\r\n") if "\r" in text else 0  # (a look for one character: 15x faster)
        newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        crlf_at: list[int] = []
        if newline == "\r\n":
            parts = text.split("\r\n")
            pos = 0
            for part in parts[:-1]:
                pos += len(part)
                crlf_at.append(pos)
                pos += 1
            text = "\n".join(parts)
        index = SourceIndex(text, name)
        return cls(path or Path(name), name, text, newline, bom, index, raw, crlf_at)

    def encode_spliced(self, splices: Iterable[Splice], applied: str | None = None) -> str:
        """The spliced text as it goes to disk: every line the change did not write keeps its
        own newline byte for byte (a mostly-CRLF file keeps its few LF lines); the lines it
        wrote take the file's usual newline; the BOM stays. ``applied``: :meth:`apply`'s text
        for these splices, when the caller has made it already."""
        import bisect

        bom = "\ufeff" if self.bom else ""
        if self.newline == "\n":
            return bom + (self.apply(splices) if applied is None else applied)

        def original(a: int, b: int) -> str:
            at = self.crlf_at
            return self.raw[a + bisect.bisect_left(at, a) : b + bisect.bisect_left(at, b)]

        out, pos = [bom], 0
        for s in sorted(splices, key=lambda s: (s.start, s.end)):
            out += [original(pos, s.start), self._newlines_kept(original(s.start, s.end), s.text)]
            pos = s.end
        out.append(original(pos, len(self.text)))
        return "".join(out)

    def _newlines_kept(self, old: str, new: str) -> str:
        """``new`` (LF text replacing ``old``, which has the file's own newlines) with every
        line it kept from ``old`` ending as it did there; its new lines take the usual one."""
        import difflib

        old_lines = old.splitlines(keepends=True)
        new_lines = new.split("\n")
        tail = new_lines.pop() if new_lines else ""  # the text after the last newline
        plain = [line.rstrip("\r\n") for line in old_lines]
        out: list[str] = []
        matcher = difflib.SequenceMatcher(None, plain, new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                out += [
                    old_lines[a] if old_lines[a].endswith("\n") else old_lines[a] + self.newline
                    for a in range(a1, a2)
                ]
            else:
                out += [line + self.newline for line in new_lines[b1:b2]]
        return "".join(out) + tail

    def encode(self, text: str) -> str:
        """Text as it goes to disk: the file's newline and BOM."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ("\ufeff" if self.bom else "") + text

    # -- reading facts from fragments ----------------------------------------------------------
    def data(self, prefix: Path_) -> Any:
        """The parsed value at ``prefix`` (a table as a dict), or None if it does not exist.

        Only the tables under ``prefix`` (and its ancestors, which may define it inline) are
        parsed, so reading one point of a 10,000-point ledger costs next to nothing.
        """
        if prefix in self._cache:
            return self._cache[prefix]
        first = self.index.headers[0].start if self.index.headers else len(self.text)
        spans = [(0, first)] + [self.index.span_at(i) for i in self.index.related(prefix)]
        value: Any = self._parse_spans(spans)
        for key in prefix:
            value = value.get(key) if isinstance(value, dict) else None
        if self.context is not None:
            other: Any = self.context
            for key in prefix:
                other = other.get(key) if isinstance(other, dict) else None
            if isinstance(value, dict) and isinstance(other, dict):
                value = {**other, **value}
            elif value is None:
                value = other
        self._cache[prefix] = value
        return value

    def _parse_spans(self, spans: list[tuple[int, int]]) -> dict[str, Any]:
        """Parse these spans of the text as one document; an error names the file's own line."""
        text = "".join(self.text[a:b] for a, b in spans)
        try:
            data: dict[str, Any] = loads(text)
        except TomlError as exc:
            problem = _syntax_problem(str(exc), self.name, text)
            line = problem.loc.line if problem.loc else 1
            offset = 0  # where that line starts in the joined text, then in the file
            for _ in range(line - 1):
                offset = text.index("\n", offset) + 1
            for a, b in spans:
                if offset < b - a:
                    original = self.index.line_at(a + offset)
                    col = problem.loc.col if problem.loc else 1
                    problem = Problem(
                        problem.code, Loc(self.name, original, col), problem.args, problem.hint
                    )
                    break
                offset -= b - a
            raise InvalidLedger([problem]) from None
        return data

    def holder(self, section: str, key: str) -> str:
        """The file that holds table [section.key]: this one, or (in a workspace) another."""
        if self.has_header((section, key)):
            return self.name
        return self.context_files.get((section, key), self.name)

    def has_header(self, path: Path_) -> bool:
        return path in self.index.by_path

    # -- positions -----------------------------------------------------------------------------
    def content_end(self, path: Path_) -> int:
        """Just past the table's last statement: trailing blank and comment lines belong to
        whatever follows, so new keys and tables go above them. (The lexer finds the
        statements, so a line of a multi-line string is never taken for a comment.)"""

        i = self.index.by_path[path]
        body = self.index.headers[i].body
        _, end = self.index.span_at(i)
        try:
            return content_end(self.text, body, end)
        except ScanError as exc:
            raise ReformctlError(
                "cannot-edit", file=self.name, table=".".join(path), detail=str(exc)
            ) from None

    def block_start(self, path: Path_) -> int:
        """Start of a table including the comment lines directly above its header (never
        reaching back into the table before it)."""
        i = self.index.by_path[path]
        pos = self.index.headers[i].start
        floor = self.content_end(self.index.headers[i - 1].path) if i > 0 else 0
        while pos > floor:
            prev = self.text.rfind("\n", 0, pos - 1) + 1
            if prev < floor or not self.text[prev:pos].lstrip().startswith("#"):
                break
            pos = prev
        return pos

    def subtree_end(self, prefix: Path_) -> int:
        """After the content of the last table under ``prefix`` (a point and its milestones)."""
        n = len(prefix)
        last = max((h for h in self.index.headers if h.path[:n] == prefix), key=lambda h: h.start)
        return self.content_end(last.path)

    # -- edits ---------------------------------------------------------------------------------
    def set_fields(self, path: Path_, changes: Mapping[str, Any]) -> Splice:
        """Set (or, for None, remove) keys of one table. Only the changed statements' text
        moves: a new value replaces the old value's text (its key, spacing and comment stay),
        a new key is one line after the table's last statement, a removed key loses its line.
        """

        if not self.has_header(path):
            raise ReformctlError("not-a-table-form", file=self.name, table=".".join(path))
        header = self.index.headers[self.index.by_path[path]]
        start, end = header.start, self.content_end(path)
        try:
            found = {s.key: s for s in statements(self.text, header.body, end)}
        except ScanError as exc:
            raise ReformctlError(
                "cannot-edit", file=self.name, table=".".join(path), detail=str(exc)
            ) from None
        edits: list[tuple[int, int, str]] = []
        added = []
        old = parse_fragment(self.text[start:end], self.name) if changes else {}
        old_table = _table_of(old, path)
        for key, value in changes.items():
            stmt = found.get((key,))
            if value is None:
                if stmt is not None:
                    edits.append((stmt.start, stmt.end, ""))
            elif stmt is not None:
                was = old_table.get(key)
                element_edits = None
                if isinstance(value, list) and isinstance(was, list):
                    element_edits = self._array_edits(stmt, was, value)
                if element_edits is not None:
                    edits += element_edits
                else:
                    edits.append((stmt.value_start, stmt.value_end, tomltext.value_block(value)))
            else:
                added.append(f"{tomltext.key(key)} = {tomltext.value_block(value)}\n")
        if added:
            tail = "" if end == header.body or self.text[end - 1] == "\n" else "\n"
            edits.append((end, end, tail + "".join(added)))
        pieces, pos = [], start
        for a, b, text in sorted(edits, key=lambda e: (e[0], e[1])):
            pieces += [self.text[pos:a], text]
            pos = b
        pieces.append(self.text[pos:end])
        expect: dict[str, Any] = old_table
        for key, value in changes.items():
            if value is None:
                expect.pop(key, None)
            else:
                expect[key] = value
        return Splice(start, end, "".join(pieces), path, expect)

    def _array_edits(
        self, stmt: Any, was: list[Any], value: list[Any]
    ) -> list[tuple[int, int, str]] | None:
        """Edits that change only the elements of an array that differ (a diff of the old and
        new elements): an element replaced in place has only its value text changed; a removed
        one loses its text with its comma (its whole line when it had one); an added one is
        written beside its neighbours, in their layout. Comments of kept elements stay."""
        import difflib

        try:
            items, close = array_items(self.text, stmt.value_start)
        except ScanError:
            return None
        if len(items) != len(was):
            return None
        old_keys = [repr(_normalise(v)) for v in was]
        new_keys = [repr(_normalise(v)) for v in value]
        multiline = "\n" in self.text[stmt.value_start : close]
        edits: list[tuple[int, int, str]] = []
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and a2 - a1 == b2 - b1:
                for k in range(a2 - a1):
                    start, end, _ = items[a1 + k]
                    edits.append((start, end, tomltext.value(value[b1 + k])))
                continue
            if op in ("delete", "replace"):
                edits += [self._remove_item(items, i, close) for i in range(a1, a2)]
            if op in ("insert", "replace"):
                new = [tomltext.value(v) for v in value[b1:b2]]
                edits += self._insert_items(
                    items, a2 if op == "replace" else a1, new, close, multiline
                )
        return _merged(edits)

    def _remove_item(
        self, items: list[tuple[int, int, int | None]], i: int, close: int
    ) -> tuple[int, int, str]:
        text = self.text
        start, end, comma = items[i]
        stop = comma + 1 if comma is not None else end
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", stop)
        line_end = close if line_end < 0 or line_end > close else line_end
        rest = text[stop:line_end].strip()
        own_line = not text[line_start:start].strip() and (not rest or rest.startswith("#"))
        if own_line and line_end < close:  # the element had a line of its own: the line goes
            return line_start, line_end + 1, ""
        if comma is not None:
            while stop < close and text[stop] in " \t":
                stop += 1
            return start, stop, ""
        if i > 0:  # the last element, on a line with others: the comma before it goes too
            prev_comma = items[i - 1][2]
            if prev_comma is not None and "\n" not in text[prev_comma:start]:
                return prev_comma, end, ""
        return start, end, ""

    def _insert_items(
        self,
        items: list[tuple[int, int, int | None]],
        before: int,
        new: list[str],
        close: int,
        multiline: bool,
    ) -> list[tuple[int, int, str]]:
        text = self.text
        if not items:
            return [(close, close, ", ".join(new))]
        if before < len(items):
            start = items[before][0]
            line_start = text.rfind("\n", 0, start) + 1
            if multiline and not text[line_start:start].strip():
                indent = text[line_start:start]
                return [(line_start, line_start, "".join(f"{indent}{v},\n" for v in new))]
            return [(start, start, "".join(f"{v}, " for v in new))]
        last_start, last_end, comma = items[-1]
        if multiline and "\n" in text[last_end:close]:
            line_start = text.rfind("\n", 0, last_start) + 1
            indent = text[line_start:last_start]
            if indent.strip() != "":
                indent = "  "
            at = text.rfind("\n", last_end, close) + 1
            edits = [] if comma is not None else [(last_end, last_end, ",")]
            edits.append((at, at, "".join(f"{indent}{v},\n" for v in new)))
            return edits
        return [(last_end, last_end, "".join(f", {v}" for v in new))]

    def insert_table(self, pos: int, path: Path_, fields: Mapping[str, Any]) -> Splice:
        """A new ``[path]`` table at ``pos`` (a line start), with one blank line around it."""
        lines = [tomltext.header(*path)]
        lines += [f"{tomltext.key(k)} = {tomltext.value_block(v)}" for k, v in fields.items()]
        splice = self.insert_block(pos, "\n".join(lines) + "\n")
        return Splice(splice.start, splice.end, splice.text, path, dict(fields))

    def insert_block(
        self, pos: int, block: str, adds: tuple[tuple[Path_, Mapping[str, Any]], ...] = ()
    ) -> Splice:
        """Text of whole tables at ``pos`` (a line start), with one blank line around it."""
        if not block.endswith("\n"):
            block += "\n"
        before = self.text[:pos]
        if before and not before.endswith("\n"):
            block = "\n\n" + block
        elif before and not before.endswith("\n\n"):
            block = "\n" + block
        if pos < len(self.text) and self.text[pos] != "\n":
            block += "\n"
        return Splice(pos, pos, block, adds=adds)

    def remove_tables(self, prefix: Path_) -> list[Splice]:
        """Remove every table under ``prefix`` with the comments directly above each, and the
        blank line that separated it."""
        n = len(prefix)
        return [self.remove_table(h.path) for h in self.index.headers if h.path[:n] == prefix]

    def remove_table(self, path: Path_) -> Splice:
        """Remove one table, the comments directly above it and the blank line before it."""
        start = self.block_start(path)
        end = self.content_end(path)
        # take the blank line before the block too, so the layout stays canonical
        if start >= 2 and self.text[start - 2 : start] == "\n\n":
            start -= 1
        elif end < len(self.text) and self.text[end : end + 1] == "\n":
            end += 1
        return Splice(start, end, "", removes=path)

    def apply(self, splices: Iterable[Splice]) -> str:
        ordered = sorted(splices, key=lambda s: (s.start, s.end))
        out, pos = [], 0
        for s in ordered:
            if s.start < pos:
                raise AssertionError("overlapping splices")
            out += [self.text[pos : s.start], s.text]
            pos = s.end
        out.append(self.text[pos:])
        return "".join(out)


def _table_of(data: dict[str, Any], path: Path_) -> dict[str, Any]:
    value: Any = data
    for key in path:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return dict(value)


def parse_fragment(text: str, name: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = loads(text)
    except TomlError as exc:
        problem = _syntax_problem(str(exc), name, text)
        raise InvalidLedger([problem]) from None
    return data


def expected_data(
    old: dict[str, Any], index: SourceIndex, splices: Sequence[Splice]
) -> dict[str, Any]:
    """The old data with exactly the changes the splices say they make: a new dict, sharing
    every table the change does not touch with ``old``, which is left as it was (it may be
    what the cache is about to store for the old text)."""
    new = _Owned(old)
    headed = index.by_path  # every header's path
    removed = {s.removes for s in splices if s.removes is not None}
    for path in removed:
        parent = new.own(path[:-1])
        if parent is not None:
            parent.pop(path[-1], None)
        # a table that only existed through the removed one goes with it
        while len(path) > 1:
            path = path[:-1]
            node = _node(new.data, path)
            if node != {} or (path in headed and path not in removed):
                break
            grand = new.own(path[:-1])
            if grand is not None:
                grand.pop(path[-1], None)
    for s in splices:
        if s.table is not None and s.expect is not None:
            node = _node(new.data, s.table)
            n = len(s.table)
            # sub-tables written under headers of their own are not part of this table's text
            # (only a table or an array of tables can be: the headers are looked through only
            # when the table holds one)
            items = node.items() if isinstance(node, dict) else ()
            # (the headers under the table are among those the index relates to it: grouped,
            # not every header of the text)
            under = (index.headers[i].path for i in index.related(s.table))
            own_headers = (
                {p[n] for p in under if len(p) > n and p[:n] == s.table}
                if any(isinstance(v, (dict, list)) for _, v in items)
                else set()
            )
            kept = {k: v for k, v in items if k in own_headers}
            new.set(s.table, {**_normalise(s.expect), **kept})
        for path, fields in s.adds:
            new.set(path, _normalise(fields))
    return new.data


class _Owned:
    """Data changed by copying: each table on a changed path is copied once, the rest shared
    with the original."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = dict(data)
        self._copies = {id(self.data)}

    def own(self, path: Path_, make: bool = False) -> dict[str, Any] | None:
        """The table at ``path``, a copy of this change's own (its parents too); missing
        tables made when ``make``; None where a table is missing or a value is no table."""
        node = self.data
        for key in path:
            child = node.get(key)
            if child is None and make:
                child = node[key] = {}
                self._copies.add(id(child))
            elif not isinstance(child, dict):
                return None
            elif id(child) not in self._copies:
                child = node[key] = dict(child)
                self._copies.add(id(child))
            node = child
        return node

    def set(self, path: Path_, value: dict[str, Any]) -> None:
        parent = self.own(path[:-1], make=True)
        if parent is None:  # a value that is no table in the way: as setdefault would fail
            raise TypeError(f"not a table: {'.'.join(path[:-1])}")
        parent[path[-1]] = value


def _node(data: dict[str, Any], path: Path_) -> Any:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def prove(
    old_text: str,
    new_text: str,
    splices: Sequence[Splice],
    name: str,
    index: SourceIndex,
    old_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole new text, parsed as TOML 1.0, must equal the old data with exactly the
    intended change; else the write is refused, naming the first difference. Returns the new
    data (for the rules). ``old_data``, when given, is the parse of exactly ``old_text`` (from
    :mod:`reformctl.ledger.cache`, keyed by its bytes, or the read's own; it is left as it is)."""
    try:
        new = loads(new_text)
    except TomlError as exc:
        raise ReformctlError("write-verify-failed", file=name, detail=str(exc)) from None
    old = old_data if old_data is not None else loads(old_text)
    expected = expected_data(old, index, splices)
    if new != expected:
        raise ReformctlError(
            "write-verify-failed", file=name, detail=first_difference(expected, new)
        )
    return new


def first_difference(a: Any, b: Any, path: Path_ = ()) -> str:
    """Where two parsed documents first differ, as a dotted key."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            if key not in a or key not in b or a[key] != b[key]:
                if key in a and key in b:
                    return first_difference(a[key], b[key], (*path, key))
                return ".".join((*path, key)) or "(root)"
    return ".".join(path) or "(root)"


def _merged(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Edits in order, overlapping removals joined into one (two removed neighbours)."""
    out: list[tuple[int, int, str]] = []
    for a, b, text in sorted(edits, key=lambda e: (e[0], e[1])):
        if out and a < out[-1][1] and not text and not out[-1][2]:
            out[-1] = (out[-1][0], max(b, out[-1][1]), "")
        else:
            out.append((a, b, text))
    return out


def _normalise(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def within_limit(text: str, name: str, size: int | None = None) -> None:
    """Refuse a text over the size a ledger may have (``size``: its UTF-8 length, if known)."""
    if (len(text.encode("utf-8")) if size is None else size) > MAX_BYTES:
        raise ReformctlError("file-too-large", file=name, size=len(text), limit=MAX_BYTES)
