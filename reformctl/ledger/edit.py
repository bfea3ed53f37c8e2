"""Format-preserving edits, one table at a time.

A write never parses the whole ledger into objects (tomlkit needs 21 s and 555 MiB at 10,000
points). It reads the text, finds the tables it touches with the :class:`SourceIndex`, parses
only those fragments with rtoml to read the facts, and edits one table at a time with the
statement scanner (:mod:`reformctl.ledger.statements`), which replaces exactly the value text
of a changed key. Everything else stays byte for byte. New tables are written from
:mod:`tomltext`, so values from the command line are always TOML values, never raw text.

The result is checked before it replaces the ledger: the whole new text must parse (in chunks,
so memory stays small) and every edited table must read back as the intended facts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem, ReformctlError
from reformctl.ledger import tomltext
from reformctl.ledger.read import MAX_BYTES, _syntax_problem, display_name
from reformctl.ledger.source import Path_, SourceIndex
from reformctl.model import Loc

_CHUNK_HEADERS = 4000  # headers per chunk when checking that the whole new text parses


@dataclass(frozen=True)
class Splice:
    """Replace text[start:end] with ``text``; ``table`` and ``expect`` say what it must read as."""

    start: int
    end: int
    text: str
    table: Path_ | None = None  # the table this splice writes (None: a removal)
    expect: Mapping[str, Any] | None = None


@dataclass
class Source:
    """The ledger's text as read for one write, with its index. Text is kept with LF newlines;
    the file's own newline (CRLF stays CRLF) and BOM are restored on writing."""

    path: Path
    name: str
    text: str
    newline: str
    bom: bool
    index: SourceIndex
    _cache: dict[Path_, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Source:
        from reformctl.ledger.read import read_text

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
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        if newline == "\r\n":
            text = text.replace("\r\n", "\n")
        return cls(path or Path(name), name, text, newline, bom, SourceIndex(text, name))

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
        n = len(prefix)
        first = self.index.headers[0].start if self.index.headers else len(self.text)
        spans = [(0, first)] + [
            self.index.span_at(i)
            for i, h in enumerate(self.index.headers)
            if h.path[:n] == prefix or prefix[: len(h.path)] == h.path
        ]
        value: Any = self._parse_spans(spans)
        for key in prefix:
            value = value.get(key) if isinstance(value, dict) else None
        self._cache[prefix] = value
        return value

    def _parse_spans(self, spans: list[tuple[int, int]]) -> dict[str, Any]:
        """Parse these spans of the text as one document; an error names the file's own line."""
        import rtoml

        text = "".join(self.text[a:b] for a, b in spans)
        try:
            data: dict[str, Any] = rtoml.loads(text)
        except rtoml.TomlParsingError as exc:
            problem = _syntax_problem(str(exc), self.name)
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

    def has_header(self, path: Path_) -> bool:
        return path in self.index.by_path

    # -- positions -----------------------------------------------------------------------------
    def content_end(self, path: Path_) -> int:
        """End of the table's last key line: trailing blank and comment lines belong to
        whatever follows, so new keys and tables go above them."""
        i = self.index.by_path[path]
        body = self.index.headers[i].body
        _, end = self.index.span_at(i)
        pos = end
        while pos > body:
            line_start = self.text.rfind("\n", body - 1, pos - 1) + 1
            line = self.text[line_start:pos].strip()
            if line and not line.startswith("#"):
                break
            pos = line_start
        return max(pos, body)

    def block_start(self, path: Path_) -> int:
        """Start of a table including the comment lines directly above its header."""
        pos = self.index.headers[self.index.by_path[path]].start
        while pos > 0:
            prev = self.text.rfind("\n", 0, pos - 1) + 1
            if not self.text[prev:pos].lstrip().startswith("#"):
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
        from reformctl.ledger.statements import ScanError, statements

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
        for key, value in changes.items():
            stmt = found.get((key,))
            if value is None:
                if stmt is not None:
                    edits.append((stmt.start, stmt.end, ""))
            elif stmt is not None:
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
        expect: dict[str, Any] = _table_of(parse_fragment(self.text[start:end], self.name), path)
        for key, value in changes.items():
            if value is None:
                expect.pop(key, None)
            else:
                expect[key] = value
        return Splice(start, end, "".join(pieces), path, expect)

    def insert_table(self, pos: int, path: Path_, fields: Mapping[str, Any]) -> Splice:
        """A new ``[path]`` table at ``pos`` (a line start), with one blank line around it."""
        lines = [tomltext.header(*path)]
        lines += [f"{tomltext.key(k)} = {tomltext.value_block(v)}" for k, v in fields.items()]
        splice = self.insert_block(pos, "\n".join(lines) + "\n")
        return Splice(splice.start, splice.end, splice.text, path, dict(fields))

    def insert_block(self, pos: int, block: str) -> Splice:
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
        return Splice(pos, pos, block)

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
        return Splice(start, end, "")

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
    import rtoml

    try:
        data: dict[str, Any] = rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        problem = _syntax_problem(str(exc), name)
        raise InvalidLedger([problem]) from None
    return data


def check_whole_text(text: str, name: str, cuts: Iterable[int] = ()) -> None:
    """The whole text must parse. It is parsed in chunks cut at table headers (``cuts``), each
    thrown away at once, so a 10,000-point ledger needs a few MiB rather than a few hundred."""
    import rtoml

    bounds = [0]
    for cut in cuts:
        if not text.startswith("[", cut) or (cut and text[cut - 1] != "\n"):
            raise ReformctlError("write-verify-failed", file=name, detail=f"chunk at {cut}")
        bounds.append(cut)
    bounds.append(len(text))
    for a, b in itertools.pairwise(bounds):
        try:
            rtoml.loads(text[a:b])
        except rtoml.TomlParsingError as exc:
            raise ReformctlError("write-verify-failed", file=name, detail=str(exc)) from None


def chunk_cuts(index: SourceIndex, splices: Iterable[Splice]) -> list[int]:
    """Where to cut the new text into chunks: every few thousandth header of the old text,
    moved by the splices before it (headers inside a splice are skipped)."""
    ordered = sorted(splices, key=lambda s: s.start)
    cuts = []
    for h in index.headers[_CHUNK_HEADERS::_CHUNK_HEADERS]:
        if any(s.start <= h.start < s.end for s in ordered):
            continue
        shift = sum(len(s.text) - (s.end - s.start) for s in ordered if s.end <= h.start)
        cuts.append(h.start + shift)
    return cuts


def verify_splices(new_text: str, splices: Sequence[Splice], name: str, index: SourceIndex) -> None:
    """Every written table reads back as the intended facts, and the whole text parses.

    No table header is new except those the change added after checking they did not exist,
    so the text needs no second index: chunks are cut at the old headers, moved.
    """
    for s in splices:
        if s.table is None or s.expect is None:
            continue
        got = _table_of(parse_fragment(s.text, name), s.table)
        if _normalise(got) != _normalise(s.expect):
            raise ReformctlError("write-verify-failed", file=name, detail=".".join(s.table))
    check_whole_text(new_text, name, chunk_cuts(index, splices))


def _normalise(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def within_limit(text: str, name: str) -> None:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ReformctlError("file-too-large", file=name, size=len(text), limit=MAX_BYTES)
