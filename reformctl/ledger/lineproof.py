"""git's clean line merge, taken only on proof (:func:`line_merge_proven`, the merge driver's
fast path): two branches of a 10,000-point ledger differ in a few tables; where git's line merge
is clean, each side is compared with it only where their texts differ (:class:`Stretch`), those
stretches widened to whole entries and parsed alone. Anything in doubt is None: the keyed merge
(:mod:`reformctl.ledger.merge`) decides.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reformctl.ledger import cache
from reformctl.ledger.build import build_ledger
from reformctl.ledger.lexer import scan
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
# changed no fact, a problem in the result) leaves the merge to the keyed path above.


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
    import bisect

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
    starts = [h.start for h in headers]
    ends = [*starts[1:], len(merged)]
    # where each entry's tables lie in the merged text (an entry of one key takes its subtree)
    span2: dict[Path_, list[int]] = {}
    span1: dict[Path_, list[int]] = {}
    for h, s, e in zip(headers, starts, ends, strict=True):
        for k, table in ((h.path[:2], span2), (h.path[:1], span1)):
            if k in table:
                table[k][1] = e
            else:
                table[k] = [s, e]
    tops = {h.path[0] for h in headers if len(h.path) == 1}

    def entry_of(path: Path_) -> Path_:
        """A point, unit or group with all its tables; a table of one key (``[ledger]``)
        with all of its own."""
        return path[:1] if len(path) == 1 or path[0] in tops else path[:2]

    def related(entry: Path_) -> list[tuple[int, int]]:
        if len(entry) == 1:
            got = span1.get(entry[:1])
        else:
            got = span2.get(entry)
        return [(got[0], got[1])] if got else []

    values: list[dict[Path_, Any]] = []  # each side's entries where it differs
    touched: set[Path_] = set()
    final_gaps: list[list[Stretch]] = []
    for side, side_gaps in zip((base, ours, theirs), raw_gaps, strict=True):
        gaps = _cover(side_gaps, [])
        # widen each stretch to whole tables, then to whole entries (of the merged text's
        # tables and of the side's own), until no entry reaches out of its stretch
        for _ in range(WIDENINGS):
            spans = []
            entries: set[Path_] = set()
            for g in gaps:
                if g.start < starts[0]:
                    return None  # the lines before the first table: the keyed path
                first = bisect.bisect_right(starts, g.start) - 1
                last = bisect.bisect_left(starts, g.end)
                spans.append((starts[first], starts[last] if last < len(starts) else len(merged)))
                entries |= {entry_of(h.path) for h in headers[first:last]}
            gaps = _cover(gaps, spans)
            lexed = []
            for g in gaps:
                part = side[g.side_start : g.side_end]
                lexed_part = scan(part)
                lexed.append((part, lexed_part))
                entries |= {entry_of(h.path) for h in lexed_part.headers}
            wider = _cover(gaps, [s for e in entries for s in related(e)])
            if wider == gaps:
                break
            gaps = wider
        else:
            return None
        found: dict[Path_, Any] = {}
        for part, lexed_part in lexed:
            if not part:
                continue
            found_headers = lexed_part.headers
            if lexed_part.stopped is not None or not found_headers or found_headers[0].start:
                return None
            if any(h.array for h in found_headers):
                return None
            try:
                parsed = loads(part)
            except TomlError:
                return None
            for h in found_headers:
                entry = entry_of(h.path)
                value = entry_value(parsed, entry)
                if found.get(entry, value) is not value:
                    return None  # one entry in two stretches: the keyed path
                found[entry] = value
        for g in gaps:  # an entry whose tables the side lost within its stretches
            first = bisect.bisect_left(starts, g.start)
            last = bisect.bisect_left(starts, g.end)
            for h in headers[first:last]:
                found.setdefault(entry_of(h.path), MISSING)
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
        data = _patched(data, merged, starts[0], ours_gaps, set(ours_entries))
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
