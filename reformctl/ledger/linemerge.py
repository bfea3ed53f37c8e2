"""Line merges of ledgers, each taken only on proof: the merge driver's two ways to a result
that keeps both sides' text as they wrote it (``merge.py`` holds the keyed merge they are
proven against, and the rules).

**git's clean line merge, proven** (the fast path): in :mod:`reformctl.ledger.lineproof`.

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

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from reformctl.ledger.lexer import ScanError, content_end, scan, skip_blanks, statements


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
