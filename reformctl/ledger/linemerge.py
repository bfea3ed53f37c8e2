"""Line merges of ledgers, each taken only on proof: the merge driver's two ways to a result
that keeps both sides' text as they wrote it (``merge.py`` holds the keyed merge they are
proven against, and the rules).

**git's clean line merge, proven** (:func:`line_merge_proven`, the fast path): two branches of
a 10,000-point ledger differ in a few tables; where git's line merge is clean, each side is
compared with it only where their texts differ (:class:`Stretch`), those stretches widened to
whole entries and parsed alone. See the comment above :func:`line_merge_proven`.

**A merge by table and key** (:func:`merge_by_table`), for what git's line merge leaves in
conflict only because the two sides' lines touch: the office moves a milestone's ``due`` while
the unit adds ``done`` on the next line; two clerks add monthly entries for different months at
the end of one ``progress`` table. git sees one stretch of lines changed twice; the ledger has
different keys changed once each.

The texts are cut into pieces that mean the same on every side: tables (from a header to the
next one, by key path, with the comment and blank lines above its header) and, inside a table
both sides changed, its header line and its statements (each with the comment and blank lines
above it, by key). A piece one side changed is taken as that side wrote it; a piece both
changed alike is taken once; a piece one side added goes after the piece it follows on that
side. Only a side that kept its pieces in the base's order may have the other's added ones
placed in its text (a side that reordered gives the frame, and the other must not have
reordered too).

Nothing in :func:`merge_by_table` decides what the result means:
:func:`reformctl.ledger.merge.merge` takes it only when the whole text parses to exactly the
keyed merge's data (the base with ours' changes and theirs' changes), then checks it by the
ledger's rules. What cannot be placed without doubt (a piece both sides changed differently,
one changed and the other removed, both reordered, a key or table twice) is None here: the
keyed merge decides, and marks a conflict for a person.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from reformctl.ledger import cache
from reformctl.ledger.build import build_ledger
from reformctl.ledger.lexer import ScanError, content_end, scan, skip_blanks, statements
from reformctl.ledger.mergetext import MISSING, MergeResult, entry_value, keep_comments
from reformctl.ledger.parse import TomlError, conflict_markers, loads, paused_gc
from reformctl.ledger.read import salvage
from reformctl.ledger.source import Path_, SourceIndex


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of one side's text taken or left whole. ``ident`` names it the same way on
    every side: ``("root",)`` the statements before the first table, ``("table", path)`` a
    table with the comment and blank lines above it, ``("end",)`` those after the last table;
    inside a table ``("head",)`` its header line (with the lines above it), ``("key", key)``
    a statement with the comment and blank lines above it, ``("tail",)`` anything after the
    last statement."""

    ident: Hashable
    text: str


# what to do with a piece both sides changed, differently: its merged text, or None (a conflict)
Both = Callable[[Hashable, str, str, str], "str | None"]

_BOM = "\ufeff"


def merge_by_table(base: str, ours: str, theirs: str) -> str | None:
    """The three texts merged by table and key (see the module's docstring), or None."""
    boms = {t.startswith(_BOM) for t in (base, ours, theirs)}
    if len(boms) > 1:
        return None  # one side added or dropped the byte-order mark: the keyed merge
    bom = _BOM if True in boms else ""
    texts = tuple(t.removeprefix(bom) for t in (base, ours, theirs))
    # the lines before the first difference and after the last are the same on every side:
    # only the tables between (from a header line on) are cut into pieces
    start, end = _middle(texts)
    middles = [t[start : len(t) - end] for t in texts]
    sides = [_tables(t) for t in middles]
    if sides[0] is None or sides[1] is None or sides[2] is None:
        return None
    merged = _merge(sides[0], sides[1], sides[2], _table)
    if merged is None:
        return None
    o = texts[0]
    return bom + o[:start] + "".join(merged) + o[len(o) - end :]


def _middle(texts: Sequence[str]) -> tuple[int, int]:
    """Where the texts begin to differ, moved back to the start of a header line, and how many
    characters at their ends are the same on all, from the start of a header line: the
    pieces in between are whole tables (0, 0: cut nothing)."""
    o = texts[0]
    start = o.rfind("\n[", 0, _same_start(texts)) + 1  # 0: from the first line
    while start:  # and the comment and blank lines above that header: they go with its table
        above = o.rfind("\n", 0, start - 1) + 1
        if o[above:start].strip() and not o[above:start].lstrip().startswith("#"):
            break
        start = above
    tail = _same_end(texts)
    cut = o.find("\n[", len(o) - tail) if tail else -1
    end = len(o) - (cut + 1) if cut >= 0 else 0
    if any(len(t) - end < start for t in texts):
        end = 0
    return start, end


def _same_start(texts: Sequence[str]) -> int:
    """The length of the longest start every text shares (compared a block at a time)."""
    first, n = texts[0], min(map(len, texts))
    i, step = 0, 1 << 16
    while i < n:
        j = min(i + step, n)
        if all(t[i:j] == first[i:j] for t in texts[1:]):
            i = j
            continue
        lo, hi = i, j  # they agree before lo and differ somewhere before hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if all(t[lo:mid] == first[lo:mid] for t in texts[1:]):
                lo = mid
            else:
                hi = mid
        return lo
    return n


def _same_end(texts: Sequence[str]) -> int:
    """The length of the longest end every text shares."""
    return _same_start([t[::-1] for t in texts])


def _tables(text: str) -> list[Piece] | None:
    """The lines before the first table, each table, and the lines after the last, as pieces;
    the comment and blank lines above a header go with its table (None: a text the lexer
    cannot follow, or arrays of tables, which the ledger does not use)."""
    found = scan(text)
    if found.stopped is not None or any(h.array for h in found.headers):
        return None
    starts = [h.start for h in found.headers]
    try:
        ends = [
            content_end(text, body, limit)
            for body, limit in zip(
                [0, *(h.body for h in found.headers)], [*starts, len(text)], strict=True
            )
        ]
    except ScanError:
        return None
    pieces = [Piece(("root",), text[: ends[0]])]
    for h, start, end in zip(found.headers, ends[:-1], ends[1:], strict=True):
        pieces.append(Piece(("table", h.path), text[start:end]))
    pieces.append(Piece(("end",), text[ends[-1] :]))
    return pieces


def _statements(text: str, root: bool) -> list[Piece] | None:
    """One table's text as pieces: the lines above its header with the header line, then
    each statement with the lines above it."""
    if root:
        body = 0
    else:
        body = 0  # past the comment and blank lines, then past the header line
        while (at := skip_blanks(text, body)) < len(text) and text[at] in "#\r\n":
            nl = text.find("\n", body)
            body = len(text) if nl < 0 else nl + 1
        nl = text.find("\n", body)
        body = len(text) if nl < 0 else nl + 1
    pieces = [Piece(("head",), text[:body])]
    try:
        found = statements(text, body, len(text))
    except ScanError:
        return None
    pos = body
    for st in found:
        pieces.append(Piece(("key", st.key), text[pos : st.end]))
        pos = st.end
    pieces.append(Piece(("tail",), text[pos:]))
    return pieces


def _table(ident: Hashable, base: str, ours: str, theirs: str) -> str | None:
    """A table both sides changed: merged statement by statement."""
    root = ident == ("root",)
    o, a, b = (_statements(t, root) for t in (base, ours, theirs))
    if o is None or a is None or b is None:
        return None
    merged = _merge(o, a, b, None)
    return None if merged is None else "".join(merged)


def _merge(o: list[Piece], a: list[Piece], b: list[Piece], both: Both | None) -> list[str] | None:
    """The texts of the merged pieces, in order (see the module's docstring), or None."""
    om, am, bm = ({p.ident: p.text for p in side} for side in (o, a, b))
    if len(om) != len(o) or len(am) != len(a) or len(bm) != len(b):
        return None  # a table or key twice: the parser names it, the keyed merge refuses
    texts: dict[Hashable, str | None] = {}
    for ident in {**om, **am, **bm}:
        ov, av, bv = om.get(ident), am.get(ident), bm.get(ident)
        if av == ov:
            texts[ident] = bv
        elif bv in (ov, av):
            texts[ident] = av
        elif both is not None and ov is not None and av is not None and bv is not None:
            got = both(ident, ov, av, bv)
            if got is None:
                return None
            texts[ident] = got
        else:
            return None
    ours_moved, theirs_moved = _moved(o, a), _moved(o, b)
    if ours_moved and theirs_moved:
        return None  # both reordered: no order has both
    frame, other = (b, a) if theirs_moved else (a, b)
    frame_ids = {p.ident for p in frame}
    out = [p.ident for p in frame if texts[p.ident] is not None]
    present = set(out)
    # each piece only the other side added goes after the piece it follows there
    after: dict[Hashable, list[Hashable]] = {}
    prev: Hashable | None = None
    for p in other:
        if p.ident in present:
            prev = p.ident
        elif p.ident not in om and p.ident not in frame_ids:
            if prev is None:
                return None
            after.setdefault(prev, []).append(p.ident)
    added_in_frame = {p.ident for p in frame if p.ident not in om}
    order: list[Hashable] = []
    waiting: list[Hashable] = []  # after the frame's own added pieces at the same place
    for ident in out:
        if waiting and ident not in added_in_frame:
            order += waiting
            waiting = []
        order.append(ident)
        waiting += after.get(ident, [])
    order += waiting
    pieces = [texts[ident] or "" for ident in order]
    if any(t and not t.endswith("\n") for t in pieces[:-1]):
        return None  # a piece without its newline cannot have another after it
    return pieces


def _moved(base: list[Piece], side: list[Piece]) -> bool:
    """Whether ``side`` has the pieces it kept in another order than the base."""
    kept = {p.ident for p in side}
    was = {p.ident for p in base}
    return [p.ident for p in base if p.ident in kept] != [p.ident for p in side if p.ident in was]


# -- the fast path: git's clean line merge, proven table by table -----------------------------
# Two branches of a 10,000-point ledger differ in a few tables. When git's line merge is clean,
# the keyed merge would only confirm it: instead, the merged text is parsed once (its model is
# built and checked by the rules anyway), and each side is compared with it where their texts
# differ, the changed stretches widened to whole entries (a point with all its tables) and
# parsed alone. Everything outside them is the same text in the same place, so it reads the
# same. Any doubt (a stretch that does not parse alone, a point both sides changed, a side that
# changed no fact, a problem in the result) leaves the merge to the keyed path above.


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
        for _ in range(8):
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
