"""git's clean line merge, taken only on proof (:func:`line_merge_proven`, the merge driver's
fast path): two branches of a 10,000-point ledger differ in a few tables; where git's line merge
is clean, each side is compared with it only where their texts differ (:class:`Stretch`), those
stretches widened to whole entries and parsed alone. Anything in doubt is None: the keyed merge
(:mod:`reformctl.ledger.merge`) decides.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reformctl.ledger import cache
from reformctl.ledger.build import build_ledger
from reformctl.ledger.lexer import Header, Scan, scan
from reformctl.ledger.mergetext import MISSING, MergeResult, entry_value, keep_comments
from reformctl.ledger.parse import TomlError, conflict_markers, loads, paused_gc
from reformctl.ledger.read import salvage
from reformctl.ledger.source import Path_, SourceIndex

# -- the fast path: git's clean line merge, proven table by table -----------------------------
# Two branches of a 10,000-point ledger differ in a few tables. When git's line merge is clean,
# the keyed merge would only confirm it: instead, the merged text is parsed once (its model is
# built and checked by the rules anyway), and each side is compared with it where their texts
# differ, the changed stretches widened to whole entries (a point with all its tables) and
# parsed alone. Everything outside them is the same text in the same place, so it reads the
# same. Any doubt (a stretch that does not parse alone, a point both sides changed, a side that
# changed no fact, a problem in the result) leaves the merge to the keyed path
# (:mod:`reformctl.ledger.merge`).


# how often a side's stretches are widened to whole tables and entries before the proof gives
# up (an entry that still reaches out of its stretch: the keyed merge decides)
WIDENINGS = 8


@dataclass(slots=True)
class Stretch:
    """Where one side's text differs from the merged text: ``merged[start:end]`` stands where
    the side has ``side[side_start:side_end]``; between two stretches both are the same text."""

    start: int
    end: int
    side_start: int
    side_end: int


@dataclass(frozen=True, slots=True)
class Tables:
    """Where the merged text's tables lie: each header, where its table starts (in order),
    and the stretch of text each entry's tables take (an entry of one key takes its
    subtree: ``[ledger]`` with ``[ledger.x]``)."""

    headers: list[Header]
    starts: list[int]
    end: int  # the merged text's length
    families: dict[Path_, tuple[int, int]]  # by the header's first key
    entries: dict[Path_, tuple[int, int]]  # by its first two keys
    tops: set[str]  # the tables of one key (``[ledger]``)

    @classmethod
    def of(cls, headers: list[Header], end: int) -> Tables:
        starts = [h.start for h in headers]
        ends = [*starts[1:], end]
        entries: dict[Path_, tuple[int, int]] = {}
        families: dict[Path_, tuple[int, int]] = {}
        for h, s, e in zip(headers, starts, ends, strict=True):
            for k, table in ((h.path[:2], entries), (h.path[:1], families)):
                table[k] = (table[k][0], e) if k in table else (s, e)
        tops = {h.path[0] for h in headers if len(h.path) == 1}
        return cls(headers, starts, end, families, entries, tops)

    def entry_of(self, path: Path_) -> Path_:
        """A point, unit or group with all its tables; a table of one key (``[ledger]``)
        with all of its own."""
        return path[:1] if len(path) == 1 or path[0] in self.tops else path[:2]

    def around(self, entry: Path_) -> list[tuple[int, int]]:
        """The stretch the entry's tables take in the merged text (none: it has none)."""
        got = self.families.get(entry[:1]) if len(entry) == 1 else self.entries.get(entry)
        return [got] if got else []

    def whole_tables(self, gap: Stretch) -> tuple[tuple[int, int], set[Path_]]:
        """The stretch of whole tables that takes in ``gap``, and the entries of its tables."""
        first = bisect.bisect_right(self.starts, gap.start) - 1
        last = bisect.bisect_left(self.starts, gap.end)
        end = self.starts[last] if last < len(self.starts) else self.end
        return (self.starts[first], end), {self.entry_of(h.path) for h in self.headers[first:last]}

    def within(self, gap: Stretch) -> list[Header]:
        """The headers of the merged text that start inside ``gap``."""
        first = bisect.bisect_left(self.starts, gap.start)
        last = bisect.bisect_left(self.starts, gap.end)
        return self.headers[first:last]


@dataclass(frozen=True, slots=True)
class SidePart:
    """The side's text in one of its widened stretches, and the lexer's reading of it."""

    text: str
    scanned: Scan


def _pieces(text: str) -> tuple[list[str], list[int]]:
    """The text cut before every line that starts with ``[`` (some of those may lie inside a
    multi-line value: the cuts only align two texts, they never say what the text means),
    and where each piece starts (with the end of the text last)."""
    parts = text.split("\n[")
    last = len(parts) - 1
    pieces = [("[" if i else "") + p + ("\n" if i < last else "") for i, p in enumerate(parts)]
    return pieces, [0, *itertools.accumulate(map(len, pieces))]


def _gaps(
    side: str, merged: list[str], merged_cuts: list[int], where: dict[str, int]
) -> list[Stretch]:
    """Where ``side`` differs from the merged text (given as its pieces, their offsets, and
    the index of each piece found once); between two gaps both are the same text."""
    pieces, cuts = _pieces(side)
    gaps: list[Stretch] = []
    i = j = 0
    n, m = len(pieces), len(merged)
    while i < n or j < m:
        if i < n and j < m and pieces[i] == merged[j]:
            i += 1
            j += 1
            continue
        k, at = i, m
        while k < n:
            found = where.get(pieces[k])
            if found is not None and found >= j:
                at = found
                break
            k += 1
        gaps.append(Stretch(merged_cuts[j], merged_cuts[at], cuts[i], cuts[k]))
        i, j = k, at
    return gaps


def _cover(gaps: list[Stretch], spans: list[tuple[int, int]]) -> list[Stretch]:
    """The gaps widened to take in ``spans`` of the merged text (merging any that meet)."""
    items = sorted(
        [(g.start, g.end, g) for g in gaps] + [(s, e, None) for s, e in spans],
        key=lambda t: (t[0], t[1]),
    )
    out: list[Stretch] = []
    delta = 0  # the side's offset minus the merged text's, where both are the same text
    cur: Stretch | None = None
    for s, e, g in items:
        if cur is None or s > cur.end:
            if cur is not None:
                cur.side_end = cur.end + delta
            cur = Stretch(s, e, s + delta, 0)
            out.append(cur)
        cur.end = max(cur.end, e)
        if g is not None:
            delta = g.side_end - g.end
    if cur is not None:
        cur.side_end = cur.end + delta
    return out


def line_merge_proven(
    sides: Callable[[], tuple[str, str, str]],
    merged: str,
    name: str,
    workspace: list[tuple[str, str]] | None = None,
) -> MergeResult | None:
    """``merged`` (git's clean line merge of the texts ``sides()`` gives: base, ours,
    theirs) when it provably reads as the keyed merge would, keeps every comment and breaks
    no rule; None when the keyed merge must decide. The sides are let go of before the merged
    text is parsed (the driver reads them from git's files: three 10,000-point texts less)."""

    with paused_gc():
        return _fast(sides, merged, name, workspace)


def _fast(
    sides: Callable[[], tuple[str, str, str]],
    merged: str,
    name: str,
    workspace: list[tuple[str, str]] | None = None,
) -> MergeResult | None:
    base, ours, theirs = sides()
    if any(t.startswith("\ufeff") or "\r" in t for t in (base, ours, theirs, merged)):
        return None
    kept = keep_comments(base, ours, keep_comments(base, theirs, MergeResult(merged)))
    if kept.conflicts or kept.text != merged:
        return None
    pieces, cuts = _pieces(merged)
    where: dict[str, int] = {}
    twice: set[str] = set()
    for i, piece in enumerate(pieces):
        if piece in where:
            twice.add(piece)
        where[piece] = i
    for piece in twice:
        del where[piece]

    raw_gaps = [_gaps(side, pieces, cuts, where) for side in (base, ours, theirs)]
    del pieces, cuts, where  # before the index is made: its pieces of memory stay apart

    index = SourceIndex(merged, name)
    headers = index.headers
    if index.stopped is not None or not headers or any(h.array for h in headers):
        return None
    tables = Tables.of(headers, len(merged))

    values: list[dict[Path_, Any]] = []  # each side's entries where it differs
    touched: set[Path_] = set()
    final_gaps: list[list[Stretch]] = []
    for side, side_gaps in zip((base, ours, theirs), raw_gaps, strict=True):
        widened = _whole_entries(side, _cover(side_gaps, []), tables)
        if widened is None:
            return None
        gaps, parts = widened
        found = _side_entries(parts, gaps, tables)
        if found is None:
            return None
        values.append(found)
        final_gaps.append(gaps)
        touched |= set(found)
    ours_gaps, ours_entries = final_gaps[1], values[1]
    # the merged text's data: ours' (cached when a command read or wrote it, as it likely
    # did) where both read the same, the merged text's own stretches parsed alone

    content = ours.encode("utf-8") if cache.enabled() else None
    del base, ours, theirs, side  # three texts less while ours' data is loaded
    data = cache.cached_data(content) if content is not None else None
    del content
    if data is not None:
        data = _patched(data, merged, tables.starts[0], ours_gaps, set(ours_entries))
    if data is None:
        try:
            data = loads(merged)
        except TomlError:
            return None
    if any(len(e) == 2 and e[:1] in touched for e in touched):
        return None  # a table of one key that is also a point's parent: the keyed path
    changed = {"ours": False, "theirs": False}
    for entry in touched:
        m = entry_value(data, entry)
        o, a, b = (found.get(entry, m) for found in values)
        if b == o:
            want = a
        elif a == o:
            want = b
        else:
            return None  # both sides changed this entry: key by key, on the keyed path
        if m != want:
            return None
        changed["ours"] |= a != o
        changed["theirs"] |= b != o
    if not (changed["ours"] and changed["theirs"]):
        return None  # a side that changed no fact may only have reformatted: the keyed path
    if workspace:  # one file of a workspace: judged with the others
        problems = salvage(merged, name, workspace).problems
    else:
        ledger, problems = build_ledger(data, index)
        problems = conflict_markers(merged, name) + problems
        del ledger
    if problems:
        return None
    return MergeResult(merged)


def _whole_entries(
    side: str, gaps: list[Stretch], tables: Tables
) -> tuple[list[Stretch], list[SidePart]] | None:
    """The side's stretches widened to whole tables, then to whole entries (of the merged
    text's tables and of the side's own), until no entry reaches out of its stretch; with the
    side's text in each. None (the keyed path decides) where a stretch starts before the
    first table, or :data:`WIDENINGS` rounds leave an entry still reaching out."""
    for _ in range(WIDENINGS):
        spans = []
        entries: set[Path_] = set()
        for g in gaps:
            if g.start < tables.starts[0]:
                return None  # the lines before the first table: the keyed path
            span, found = tables.whole_tables(g)
            spans.append(span)
            entries |= found
        gaps = _cover(gaps, spans)
        parts = []
        for g in gaps:
            text = side[g.side_start : g.side_end]
            part = SidePart(text, scan(text))
            parts.append(part)
            entries |= {tables.entry_of(h.path) for h in part.scanned.headers}
        wider = _cover(gaps, [s for e in entries for s in tables.around(e)])
        if wider == gaps:
            return gaps, parts
        gaps = wider
    return None


def _side_entries(
    parts: list[SidePart], gaps: list[Stretch], tables: Tables
) -> dict[Path_, Any] | None:
    """The value of each entry the side has in its stretches (parsed alone), and MISSING for
    each entry of the merged text there that the side lost; None where a stretch does not
    read alone as whole tables (the keyed path)."""
    found: dict[Path_, Any] = {}
    for part in parts:
        if not part.text:
            continue
        found_headers = part.scanned.headers
        if part.scanned.stopped is not None or not found_headers or found_headers[0].start:
            return None
        if any(h.array for h in found_headers):
            return None
        try:
            parsed = loads(part.text)
        except TomlError:
            return None
        for h in found_headers:
            entry = tables.entry_of(h.path)
            value = entry_value(parsed, entry)
            if found.get(entry, value) is not value:
                return None  # one entry in two stretches: the keyed path
            found[entry] = value
    for g in gaps:  # an entry whose tables the side lost within its stretches
        for h in tables.within(g):
            found.setdefault(tables.entry_of(h.path), MISSING)
    return found


def _patched(
    data: dict[str, Any], merged: str, first: int, gaps: list[Stretch], entries: set[Path_]
) -> dict[str, Any] | None:
    """The data of ``merged`` made from ``data``, that of a text (ours) that reads the same
    outside ``gaps`` (stretches of whole entries, ``entries`` those in them): each stretch of
    the merged text is parsed alone and its entries put in place of ours'. None where it
    cannot be had this way (then the merged text is parsed whole)."""

    try:
        root = loads(merged[:first])  # the lines before the first table
        fresh: dict[Path_, Any] = {}
        for g in gaps:
            if g.start == g.end:
                continue
            parsed = loads(merged[g.start : g.end])
            for entry in entries:
                value = entry_value(parsed, entry)
                if value is not MISSING:
                    fresh[entry] = value
    except TomlError:
        return None
    families = {entry[0] for entry in entries}
    if families & set(root):
        return None  # a key of the first lines that a table also names: parse it whole
    for entry in entries:
        parent: Any = data if len(entry) == 1 else data.setdefault(entry[0], {})
        if not isinstance(parent, dict):
            return None
        value = fresh.get(entry, MISSING)
        if value is MISSING:
            parent.pop(entry[-1], None)
        else:
            parent[entry[-1]] = value
    # in the parser's order (keys sorted); a family (``units``) left with no entry is gone
    for family in families:
        table = data.get(family)
        if (family,) in entries or not isinstance(table, dict):
            continue
        if table:
            data[family] = dict(sorted(table.items()))
        else:
            del data[family]
    return dict(sorted(data.items()))
