"""Where every table of a TOML text starts, by key path, with its lines and spans.

The parser gives values but no positions. This index asks the lexer
(:mod:`reformctl.ledger.lexer`) for every table header, so that every message can name
``ledger.toml:LINE:COL`` and a write can cut out exactly one table (its *fragment*) to edit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from reformctl.ledger import store
from reformctl.ledger.lexer import (
    BARE_KEY,
    Header,
    Path_,
    Scan,
    ScanError,
    dotted_bare,
    first_keys,
    rescan,
    scan,
    skip_blanks,
    split_key,
    statements,
)
from reformctl.model import Loc

__all__ = ["Header", "HeaderPlaces", "Path_", "SourceIndex", "milestones_of", "split_key"]


def milestones_of(prefix: Path_) -> str | None:
    """The point's ID when ``prefix`` is a point's milestones table, ``("points", ID,
    "milestones")`` (the tables :class:`HeaderPlaces` groups by point)."""
    if len(prefix) == 3 and prefix[0] == "points" and prefix[2] == "milestones":
        return prefix[1]
    return None


class HeaderPlaces:
    """Every header of a text, found without a scan (by its line: see
    :mod:`reformctl.ledger.byparts`), by path: its number ``n`` in the text's order, at offset
    ``starts[n]``, its place ``locs[n]`` (column 1: what :meth:`SourceIndex.table_loc` gives).
    Grouped as a ledger has them, so that a build looks its 10,000 points and 45,000
    milestones up by their keys, not by a path made for each: ``[points.ID]`` in
    :attr:`points` by ID, ``[points.ID.milestones.KEY]`` in :attr:`milestones` by ID then KEY
    (in the text's order), every other header in :attr:`other` by its path. A path is in one
    of them, or is no header's."""

    __slots__ = ("locs", "milestones", "other", "points", "starts")

    def __init__(self, starts: Sequence[int], locs: list[Loc]) -> None:
        self.starts = starts
        self.locs = locs
        self.points: dict[str, int] = {}
        self.milestones: dict[str, dict[str, int]] = {}
        self.other: dict[Path_, int] = {}

    def taken(self, prefix: Path_, keys: Collection[str]) -> list[int | None]:
        """The number of the header of each table ``(*prefix, key)`` (None: not here), each
        taken out (a build asks for it once: the places of 10,000 points, kept, would add to
        a first read's peak beside the data and the model)."""
        if prefix == ("points",):
            pop = self.points.pop
            return [pop(key, None) for key in keys]
        pid = milestones_of(prefix)
        if pid is not None:
            group = self.milestones.get(pid)
            if group is None:
                return [None] * len(keys)
            pop = group.pop
            return [pop(key, None) for key in keys]
        take = self.other.pop
        return [take((*prefix, key), None) for key in keys]

    def every(self) -> list[tuple[int, Path_]]:
        """Every header still here (its number, its path), in the text's order."""
        out: list[tuple[int, Path_]] = [(n, ("points", pid)) for pid, n in self.points.items()]
        for pid, group in self.milestones.items():
            out += [(n, ("points", pid, "milestones", key)) for key, n in group.items()]
        out += [(n, path) for path, n in self.other.items()]
        out.sort()
        return out


class SourceIndex:
    """Table headers of one TOML text, by key path, with their lines and spans."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self._headers: list[Header] | None = None
        self._stopped: int | None = None
        self._by_path: dict[Path_, int] = {}
        self._keys: dict[Path_, dict[str, int]] = {}
        self._newlines: list[int] | None = None
        self._groups: dict[Path_, list[int]] | None = None
        # the text's UTF-8 bytes, when its scan may come from (and go to) the cache
        self.content: bytes | None = None
        # whether the text is known to be TOML 1.0 (its reader parsed exactly it): then the
        # headers of the tables a build asks for may be found by their lines (header_lines)
        self.parsed = False
        self._plain_text: bool | None = None  # (see _plain)
        # every header's place, known without a scan (a text parsed by parts found them by
        # their lines: reformctl.ledger.byparts), each taken out by the build that places it
        # (reformctl.ledger.placing.Places). Set only for a text known to parse.
        self.header_places: HeaderPlaces | None = None
        self._searched = 0  # characters searched again by header_lines, when out of order

    # The text is scanned when a position is first asked for: a model read from the cache
    # (:mod:`reformctl.ledger.cache`) needs no index unless a message needs a place; then the
    # headers come from the cache too when this text was scanned before.
    def _scan(self) -> list[Header]:
        if self._headers is None:
            return self._found(self._scanned())
        return self._headers

    def _scanned(self) -> Scan:
        content = self.content
        if content is None:
            return scan(self.text)

        found = store.cached_scan(content)
        if found is not None:
            rows, stopped = found
            make = Header._make
            try:
                headers = [make(row) for row in rows]
            except TypeError:
                headers = None
            if headers is not None and (stopped is None or type(stopped) is int):
                return Scan(headers, stopped)
        fresh = scan(self.text)
        store.store_scan(content, fresh.headers, fresh.stopped)
        return fresh

    def _found(self, found: Scan) -> list[Header]:
        self._stopped = found.stopped
        by_path: dict[Path_, int] = {}
        for i, h in enumerate(found.headers):
            by_path.setdefault(h.path, i)
        self._by_path = by_path
        self._headers = found.headers
        self._groups = None
        return found.headers

    def edited(self, text: str, edits: list[tuple[int, int, int]]) -> SourceIndex:
        """The index of ``text``: this index's text with ``edits`` made, each (start, end,
        length) replacing ``start:end`` with ``length`` characters. The lexer reads only the
        edited lines again (:func:`~reformctl.ledger.lexer.rescan`); the headers after them
        are this index's, moved."""
        index = SourceIndex(text, self.file)
        index._found(rescan(Scan(self.headers, self.stopped), self.text, text, edits))
        return index

    @property
    def scanned(self) -> bool:
        """Whether the text's headers have been found (or taken from the cache) yet."""
        return self._headers is not None

    @property
    def headers(self) -> list[Header]:
        """Every table header, in the order of the text."""
        return self._scan()

    @property
    def stopped(self) -> int | None:
        """Where the lexer lost its way (a text that does not parse), else None."""
        self._scan()
        return self._stopped

    @property
    def by_path(self) -> dict[Path_, int]:
        """The first header of each key path, by path."""
        self._scan()
        return self._by_path

    def related(self, prefix: Path_) -> list[int]:
        """The headers (their positions in :attr:`headers`) of table ``prefix``, of the tables
        under it and of those above it (which may define it inline), in order. The headers
        are grouped by their first two keys once, so that a write's few lookups of one point
        do not each go through every header of the text."""
        n = len(prefix)
        headers = self.headers

        def related(path: Path_) -> bool:
            return path[:n] == prefix or prefix[: len(path)] == path

        if n == 0:
            return list(range(len(headers)))
        if self._groups is None:
            groups: dict[Path_, list[int]] = {}
            for i, h in enumerate(headers):
                groups.setdefault(h.path[:2], []).append(i)
            self._groups = groups
        if n == 1:  # every header under the table's key (a header's path is never empty)
            keys = [key for key in self._groups if key[0] == prefix[0]]
            return sorted(i for key in keys for i in self._groups[key])
        # such a header has prefix's first two keys, or it is prefix's first key alone
        candidates = [*self._groups.get(prefix[:2], ()), *self._groups.get(prefix[:1], ())]
        return sorted(i for i in candidates if related(headers[i].path))

    def header_lines(
        self, prefix: Path_, keys: Collection[str], start: int = 0, line: int = 1
    ) -> dict[str, tuple[int, int]] | None:
        """Where the header of each table ``(*prefix, key)`` is, as (offset, line), in the
        text's order: what :attr:`by_path` and :meth:`table_loc` give (column 1), found without
        scanning the whole text. None when that cannot be done: then ask them.

        Only for a text known to parse (:attr:`parsed`) that has no multi-line string. There a
        line that is exactly ``[a.b.c]`` (bare keys, the first a word; no blank, no comment) is
        table a.b.c's header and the only one: no such line is in a multi-line array (``a.`` is
        no value), and a table is defined once. Each is sought just after the one found before
        (the first from ``start``, an offset at the start of line ``line``): a text in the
        keys' order is read once. One elsewhere is sought further (:meth:`_sought`), for a
        bounded number of characters in all; then None, as for a key not found at all (a
        table with no header of its own, or a header written otherwise)."""
        if self._headers is not None or not self.parsed:
            return None  # (scanned: by_path answers at once)
        if not keys:
            return {}
        text = self.text
        # each key bare (as many dots as between the keys); the first a word (`[1.5]` may be
        # a line of an array)
        dotted, listed = ".".join(prefix), ".".join(keys)
        if not (self._plain() and dotted[:1].isalpha() and dotted_bare(f"{dotted}.{listed}")):
            return None
        if dotted.count(".") + listed.count(".") != len(prefix) + len(keys) - 2:
            return None
        find, count = text.find, text.count
        head = f"\n[{dotted}."
        out: dict[str, tuple[int, int]] = {}
        found: list[tuple[int, str]] = []  # (out of the keys' order: what is sorted after)
        last, n = start, line  # (the last found, and its line, while in order)
        hint = low = start  # (where the next is likely to start; the least found)
        for key in keys:
            needle = f"{head}{key}]\n"
            # (the common case: the lines just after the one before)
            near = hint + 4096 + 4 * (hint - low) // (len(out) or 1)
            at = find(needle, hint - 1 if hint else 0, near - 1 + len(needle)) + 1
            if not at:
                at = self._sought(needle, hint, near, low, start)
                if at < 0:
                    return None
                low = min(low, at) if out or found else at
            elif not (out or found):
                low = at
            if at >= last and not found:
                n += count("\n", last, at)
                last = at
                out[key] = (at, n)
            else:
                found.append((at, key))
            hint = at + len(needle) - 1
        if found:  # out of order: all of them, sorted
            found += [(at, key) for key, (at, _) in out.items()]
            found.sort()
            out = {}
            last, n = (start, line) if found[0][0] >= start else (0, 1)
            for at, key in found:
                n += count("\n", last, at)
                last = at
                out[key] = (at, n)
        return out

    def child_header_lines(
        self, section: str, child: str
    ) -> dict[str, dict[str, tuple[int, int]]] | None:
        """Every header line ``[section.X.child.Y]`` of the text (bare keys), by X then Y in
        the text's order, each as (offset, line): :meth:`header_lines` of every entry's child
        tables (a point's milestones) in one pass, under the same conditions (None when they
        do not hold). What is not written so is not there: a caller compares the keys."""
        if self._headers is not None or not self.parsed or not section[:1].isalpha():
            return None
        if not (dotted_bare(section) and dotted_bare(child)) or "." in section + child:
            return None
        if not self._plain():
            return None
        text, bare = self.text, BARE_KEY
        line_re = re.compile(rf"\n\[{section}\.({bare})\.{child}\.({bare})\](?=\n)")
        out: dict[str, dict[str, tuple[int, int]]] = {}
        count = text.count
        last, n = 0, 1
        for m in line_re.finditer(text):
            at = m.start() + 1
            n += count("\n", last, at)
            last = at
            entry, key = m.group(1, 2)
            found = out.get(entry)
            if found is None:
                found = out[entry] = {}
            found[key] = (at, n)
        return out

    def _plain(self) -> bool:
        """Whether the text has no multi-line string (then a header line is a header)."""
        if self._plain_text is None:
            self._plain_text = '"""' not in self.text and "'''" not in self.text
        return self._plain_text

    def _sought(self, needle: str, hint: int, near: int, low: int, start: int) -> int:
        """Where the line ``needle`` (after its newline) starts when it is not within
        ``hint:near``: among the ones found (``low:hint``), then past them or before them
        (the shorter first), each line start once; -1 when it is nowhere there or the
        searches out of order have cost too much."""
        text = self.text
        end = len(text)
        past, before = (near, end), (start, low)
        if end - near > low - start:
            past, before = before, past
        for lo, hi in ((low, hint), past, before):
            if lo < hi:
                at = text.find(needle, max(lo - 1, 0), hi - 1 + len(needle)) + 1
                self._searched += (at or hi) - lo
                if at:
                    return at if self._searched <= 2 * end + 2**20 else -1
        # the first line, which no newline is before
        return 0 if start == 0 and text.startswith(needle[1:]) else -1

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
        """1-based line of a character offset. The offsets of all newlines are found once, on
        the first call (only problems need lines that are not headers'), so a table with many
        problems costs one pass, not one pass a problem."""
        import bisect

        if self._newlines is None:
            import re

            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    # -- locations -----------------------------------------------------------------------------
    def key_offset(self, path: Path_, key: str) -> int | None:
        """Offset of ``key = ...`` (or ``key.sub = ...``) directly inside table ``path``.

        The statements of a table are found once and kept, so a table with many problems costs
        one pass, not one pass a problem.
        """
        keys = self._keys.get(path)
        if keys is None:
            span = self.span(path)
            if span is None:
                return None
            start = self.headers[self.by_path[path]].body if path else span[0]
            found = first_keys(self.text, start, span[1])  # (a ledger's table: one pass)
            if found is None:
                found = {}
                try:
                    for stmt in statements(self.text, start, span[1]):
                        found.setdefault(stmt.key[0], stmt.start)
                except ScanError:
                    pass
            keys = self._keys[path] = found
        offset = keys.get(key)
        return None if offset is None else skip_blanks(self.text, offset)

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
        if len(table) < len(path):
            # a table with no header of its own (made by a sub-table's header): that header
            for h in self.headers:
                if h.path[: len(path)] == path:
                    return Loc(self.file, h.line, h.col)
        if not table:
            return Loc(self.file, 1, 1)
        h = self.headers[self.by_path[table]]
        return Loc(self.file, h.line, h.col)
