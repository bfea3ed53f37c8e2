"""A large text's data parsed by parts (issue 25: a read's peak memory at 10,000 points).

The parser holds its whole tree of a text beside the Python data it converts it to: on an
8.6 MB ledger, 46 MiB of process become 154. Parsed in parts of about 64 K characters, cut
at table headers, the parser's tree is a part's at a time, and the data is the same: this
module says when, and else the caller parses the whole text (:func:`parse_by_parts`), which
also reports any syntax error where it stands in the whole text.

The parts' data is the whole text's when every one of these holds (the reasoning of
:mod:`~reformctl.ledger.spanproof`, whose sections a part is a run of):

1. the lexer followed the whole text to its end, and every header it found is plain (no
   array of tables) and has a path no other header has. (Or, on a read, without the lexer:
   in a text with no multi-line string quote, no carriage return and no line that starts
   with a blank, every line that starts with ``[`` is exactly ``[k.k...]``, bare keys, the
   first starting with a letter and not ``true``, ``false``, ``inf`` or ``nan``, and no two
   alike. Each part parses alone (item 2), and in a part that parses, a line that starts
   with ``[`` is a header or a line of an array value, whose elements are values: such a line
   is no value, so it is a header; and every header starts a line there. Any other text, or a
   line that starts with ``[`` otherwise, is left to the lexer: :func:`_header_lines` finds
   them in one pass, a point's and a milestone's keys apart, and :func:`_placed` says no two
   are alike by their keys' text, which bare keys make one path's);
2. each part starts at the text's start or at a header of item 1 (after a newline), ends
   where the next part starts (or at the end), and parses alone. A TOML parser reads a text
   left to right, statement by statement: a part that parses alone closes every value it opens
   before its end, so the whole text's parser, having read the parts before it as they read
   alone, is between statements where it starts, and reads its statements as it does alone
   (each part but the first starts with a header, which names the table its keys go in);
3. no key can collide across parts. Call a *table of the headers* a path that is a header's
   path or the start of one (``points`` and ``points.R1`` for ``[points.R1]``). Whatever a
   part defines at a table of the headers of another part is a table of its own headers
   too; a key that no header's path goes through is defined only in a table that is this
   part's own header's (or, in the first part, at the root), never below a table the
   headers of another part share (a dotted key there); no key is defined by two parts
   unless it is a table of the headers of both; and a part defines no table another part's
   header is at below a table of its own header (or, in the first part, below the root:
   there a dotted key may have made it, ``a.b.x = 1`` then ``[a.b.c]`` and another part's
   ``[a]``, though each part's own headers go through it). (A key defined by a statement,
   a dotted key's table, an inline table or an array is never taken where another part's
   header goes: through a value, into an inline table or into a table a dotted key made,
   and a dotted key into a table another part's header defines, are collisions the whole
   parse may refuse, so the parts are not taken.)

Then the whole text parses, and its data is the union of the parts' data: TOML's meaning of a
text whose headers are distinct and plain is the union of its sections' meanings, each at its
header's path, and what a section's meaning depends on outside it is only the tables defined
before it: a header already defined (item 1 rules it out), a header through a value or a
dotted key's table, or a key where a header puts a table (item 3 rules them out; a header
below a table another header made only implicitly is TOML, in either order). Tables the
headers of several parts share are merged; each table's keys are in the parser's order
(pytomlpp sorts them: a merged table out of order is sorted).
The checks of item 3 ask the tables of the headers (a trie) what is below a table only where
it is not one part's alone; so a read's trie holds a point whose headers are all in one part
as that part, nothing below it (:func:`_placed`), which answers every question asked as the
whole trie does: tests/ledger/test_byparts.py holds it to the trie of the lexer's headers.
``tests/ledger/test_byparts.py`` checks it against the whole parse on ledgers and on hostile
documents cut into parts of every size: whenever the parts answer, the whole parse gives the
same data, keys in the same order.
"""

from __future__ import annotations

import array
import bisect
import collections
import itertools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from reformctl import records
from reformctl.ledger.parse import TomlError, loads, parse_toml
from reformctl.ledger.source import HeaderPlaces
from reformctl.model import Loc

if TYPE_CHECKING:
    from reformctl.errors import Problem
    from reformctl.ledger.ahead import Ahead
    from reformctl.ledger.source import SourceIndex

# the characters of a part: at least, cut at the lexer's headers (a part ends at the next
# header); about, on a first read's grid (:func:`_grid`: a part may be a few lines, or longer)
PART = 1 << 16
# the characters of a text parsed by parts (a smaller one is parsed whole: its parse is small,
# and the parts' bookkeeping would cost a 300-point ledger's read a few milliseconds)
LARGE = 1 << 20
# the characters of a text whose later parts a helper process parses on a first read
# (:mod:`~reformctl.ledger.ahead`): a large text's
AHEAD_FROM = LARGE

# The tables of the headers: each key to the tables below it (a dict, whose key None holds
# the part, an int, or the parts, a set, with a header at or below it, and whose key _HEADER
# the part whose header is that table's, if one is), or, for a header's table with no header
# below it, that header's part (an int: a path is one header's).
_Trie = dict[Any, Any]
_HEADER: Any = object()

# every line that starts with `[`, after its newline, with its keys when it is a header line
# of bare keys, the first key starting with a letter (and the text's first line): a point's
# `[points.ID]` (group 1), a milestone's `[points.ID.milestones.KEY]` (groups 1 and 2), any
# other's dotted key (group 3); the one-key lines that are values are refused after
_HEADER_LINE_RE = re.compile(
    r"\n\[(?:points\.([A-Za-z0-9_-]++)(?:\.milestones\.([A-Za-z0-9_-]++))?\](?=\n)"
    r"|([A-Za-z][A-Za-z0-9_-]*+(?:\.[A-Za-z0-9_-]++)*+)\](?=\n))?"
)
# where each of those starts, and each line that starts with a blank (one pass, no groups)
_LINE_START_RE = re.compile(r"\n[\[ \t]")
_WORD_VALUES = frozenset({"true", "false", "inf", "nan"})


class _Collision(Exception):
    """The parts may not be taken: the whole text is parsed instead."""


class Taker(Protocol):
    """What takes a large text's points as their parts are parsed (a read's build:
    :class:`~reformctl.ledger.build.EarlyPoints`)."""

    def take(self, pid: str, table: dict[str, Any]) -> bool:
        """Whether it took point ``pid``, whose table is complete (no other part has a
        header at or below it): then an empty table stands in the data for it."""

    def drop(self) -> None:
        """The parts were not taken (the whole text is parsed): forget every point taken."""


def parse_by_parts(
    text: str, name: str, index: SourceIndex, size: int | None = None, taker: Taker | None = None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """:func:`~reformctl.ledger.parse.parse_toml` of ``text`` (``index`` is its index), by
    parts of about ``size`` characters (:data:`PART`, for a text of :data:`LARGE`
    characters or more; at least ``size`` at the lexer's headers) when they may be taken;
    else (a smaller text, or any condition above not met: a syntax error among them) the
    whole text's parse.

    Given a ``taker``, read by parts, it is offered each point whose tables are all in the
    part just parsed, as soon as that part is merged: a point it takes is an empty table in
    the data (its table let go, so no key is made one string: the data is not kept whole
    at any time), and the taker is told to ``drop`` them all if the parts are not taken."""
    large = len(text) >= (LARGE if size is None else 2 * size)
    data = by_parts(text, index, PART if size is None else size, taker) if large else None
    if data is None:
        return parse_toml(text, name)
    return data, []


def by_parts(
    text: str, index: SourceIndex, size: int = PART, taker: Taker | None = None
) -> dict[str, Any] | None:
    """The data of ``text`` parsed by parts of about ``size`` characters (a read's grid; at
    least ``size`` at the lexer's headers), or None when the conditions of this module's
    proof are not met (see :func:`parse_by_parts`)."""
    data = _by_parts(text, index, size, taker)
    if data is None and taker is not None:
        taker.drop()
        index.header_places = None  # (set for the taker: the text is not known to parse)
    return data


def _by_parts(
    text: str, index: SourceIndex, size: int, taker: Taker | None
) -> dict[str, Any] | None:
    if index.text != text:
        return None
    # (a read's index is not scanned: its build finds the headers it needs by their lines,
    # and the process that stores the cache's entry scans the text; a write's or diff's
    # proof needs the lexer's scan anyway)
    if index.scanned or taker is None:
        return _scanned_parts(text, index, size)
    cuts = _grid(text, size)
    ahead = None
    try:
        ahead = _helper(text, cuts)  # (the later parts parsed meanwhile, on a second core)
        found = _header_lines(text)
        if found is None:  # (the lexer's headers, and its cuts: the helper's are let go)
            if ahead is not None:
                ahead.close()
            return _scanned_parts(text, index, size)
        placed = _placed(text, index.file, found, cuts)
        del found  # (56,000 tuples of keys: the places hold what the build needs of them)
        if placed is None:
            return None  # not a header line, a header twice, or an array's value maybe
        # (the taker's points are placed as they are taken: forgotten on failure)
        index.header_places, every = placed
        return _in_parts(text, every, cuts, taker, ahead)
    finally:
        if ahead is not None:
            ahead.close()


def _scanned_parts(text: str, index: SourceIndex, size: int) -> dict[str, Any] | None:
    """The parts cut at the headers the lexer found, each at least ``size`` characters
    (the points are placed by the scan: the build's, and the keys interned)."""
    if index.stopped is not None or len(index.by_path) != len(index.headers):
        return None  # the lexer lost its way, or a header path is there twice
    if any(h.array for h in index.headers):
        return None
    every: _Trie = {_HEADER: 0}  # (the keys before the first header: the first part's)
    cuts = [0]
    for h in index.headers:
        if h.start - cuts[-1] >= size:
            cuts.append(h.start)
        _add(every, h.path, len(cuts) - 1)
    return _in_parts(text, every, cuts, None, None)


def _helper(text: str, cuts: list[int]) -> Ahead | None:
    """A helper process parsing the later parts (:mod:`~reformctl.ledger.ahead`), for a text
    of :data:`AHEAD_FROM` characters or more."""
    if len(text) < AHEAD_FROM:
        return None
    # start-up: only the first read of a large text loads the helper (and pickle)
    from reformctl.ledger import ahead

    return ahead.start(text, cuts)


def _in_parts(
    text: str, every: _Trie, cuts: list[int], taker: Taker | None, ahead: Ahead | None
) -> dict[str, Any] | None:
    """The data of ``text`` parsed part by part from each of ``cuts`` (``ahead``: a part's
    data as a helper parsed it, else parsed here), checked against the tables of the
    headers ``every`` and merged; a ``taker`` is offered each part's points."""
    data: dict[str, Any] | None = None
    grown: dict[int, dict[str, Any]] = {}  # tables that took keys from a later part
    strings: dict[str, str] = {}  # each key's one string
    try:
        for j, (a, b) in enumerate(itertools.pairwise([*cuts, len(text)])):
            if a and text[a - 1] != "\n":
                return None
            part = ahead.part(j) if ahead is not None else None
            if part is None:
                try:
                    part = loads(text[a:b])
                except TomlError:
                    return None  # the whole parse says where (and what)
            if taker is None:
                part = _interned(part, strings)
            if data is None:
                _check(part, every, j)
                data = part
            else:
                _merge(data, part, every, j, grown)
            if taker is not None:
                _offer(data, part, every, j, taker)
    except _Collision:
        return None
    for table in grown.values():
        keys = list(table)
        if keys != sorted(keys):
            items = sorted(table.items())
            table.clear()
            table.update(items)
    return data


def _grid(text: str, size: int) -> list[int]:
    """Where a read cuts ``text`` into parts, found by the text alone (before its headers are
    known, so that a helper may start at once): its start, then at each multiple of ``size``
    the first line that starts with `[` at or after it, or rather the first of a table's
    own header (a point's, with at most one dot: its milestones' headers then stay in its
    part) before the next multiple. Each must be a header's line (:func:`_placed` says so,
    else the parts are not taken)."""
    cuts = [0]
    at = size
    while (found := text.find("\n[", at - 1)) >= 0:
        cut = line = found + 1
        while line >= 0 and line < at + size:
            end = text.find("\n", line)
            close = text.find("]", line, end if end >= 0 else len(text))
            if close >= 0 and text.count(".", line, close) <= 1:
                cut = line
                break
            line = text.find("\n[", line) + 1 or -1
        cuts.append(cut)
        at = cut // size * size + size
    return cuts


def _offer(data: dict[str, Any], part: dict[str, Any], every: _Trie, j: int, taker: Taker) -> None:
    """Offer the taker each point of part ``j`` no other part has a header at or below (its
    tables are all here: any key another part put there would be a collision, refused)."""
    points: Any = part.get("points")
    node, held = every.get("points"), data.get("points")
    if type(points) is not dict or type(node) is not dict or type(held) is not dict:
        return
    for pid, table in points.items():
        below = node.get(pid)
        if below is None or held.get(pid) is not table or not _mine(below, j):
            continue  # (a table other parts add to, or none: the build's, as any other)
        if isinstance(table, dict) and taker.take(pid, table):
            held[pid] = {}


_Found = tuple[list[int], list[tuple[str, str, str]]]


def _header_lines(text: str) -> _Found | None:
    """Every header line of ``text`` when each part of it parses alone, found as item 1 of
    this module's proof says: where each starts, and its keys as :data:`_HEADER_LINE_RE`
    gives them (all three empty: a line that starts with `[` otherwise); None: ask the
    lexer. (That each is a header's, no two are alike and none is a value's: see
    :func:`_placed`.)"""
    # (a multi-line string's quote sought from the end: a forward search among the 320,000
    # `"` of 10,000 points turns to its two-way algorithm, 6.6 ms, rfind does not, 2.7; and
    # `'''` only in a text with a `'`: one character is sought at once)
    if "\r" in text or text[:1] in (" ", "\t") or text.rfind('"""') >= 0:
        return None
    if "'" in text and text.rfind("'''") >= 0:
        return None
    # (each line that starts with `[` after a newline, once in each list when no line starts
    # with a blank: both passes find the same `\n[`, left to right, and a match's keys hold
    # no newline; a line that starts with a blank is in the first list alone)
    starts = [m.start() + 1 for m in _LINE_START_RE.finditer(text)]
    found: list[tuple[str, str, str]] = _HEADER_LINE_RE.findall(text)
    if text[:1] == "[":
        end = text.find("\n") + 1
        first = _HEADER_LINE_RE.findall("\n" + text[:end]) if end else []
        if len(first) != 1:
            return None
        starts.insert(0, 0)
        found.insert(0, first[0])
    if len(found) != len(starts):
        return None  # a line that starts with a blank
    return starts, found


def _path(keys: tuple[str, str, str]) -> tuple[str, ...]:
    """The path of a header line's keys (:data:`_HEADER_LINE_RE`'s groups)."""
    pid, key, dotted = keys
    if key:
        return ("points", pid, "milestones", key)
    return ("points", pid) if pid else tuple(dotted.split("."))


def _placed(
    text: str, file: str, headers: _Found, cuts: list[int]
) -> tuple[HeaderPlaces, _Trie] | None:
    """The places of the headers of ``text`` found by their lines (each line's, as the lexer
    gives it: column 1) and the tables of the headers (the trie :func:`_add` makes) of the
    parts that start at ``cuts`` (:func:`_grid`'s); None when a line that starts with `[` is
    no header line, two are alike or one may be an array's value (or a cut is at no line
    that starts with `[`).

    Most headers are a point's or its milestone's: a point whose headers are all in one part
    is its own header's table in the trie (as :func:`_add` makes it for that header alone),
    with nothing below: the trie is only asked what is below a table when it is not one
    part's alone (:func:`_mine`), and no other part may define a key at or below it."""
    starts, found = headers
    n = len(starts)
    firsts = [bisect.bisect_left(starts, cut) for cut in cuts]  # (each part's first header)
    if any(k >= n or starts[k] != cut for k, cut in zip(firsts[1:], cuts[1:], strict=True)):
        return None
    firsts.append(n)
    newlines = map(text.count, itertools.repeat("\n"), itertools.chain((0,), starts), starts)
    lines = itertools.accumulate(newlines, initial=1)
    next(lines)
    # (the offsets as machine integers: a build may ask few of them, and the places are kept
    # while the model is built and stored, 2 MiB of int objects at 10,000 points)
    offsets = array.array("q", starts)
    places = HeaderPlaces(offsets, _locs(file, lines, n))
    points, milestones, other = places.points, places.milestones, places.other
    owner: dict[str, int] = {}  # each point's part (the first of its headers')
    split: set[str] = set()  # the points whose headers are in several parts
    below: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # a point's other headers
    every: _Trie = {_HEADER: 0}  # (the keys before the first header: the first part's)
    for j, (a, b) in enumerate(itertools.pairwise(firsts)):
        for i, (pid, key, dotted) in enumerate(found[a:b], a):
            if not pid:
                if not dotted:
                    return None  # a line that starts with `[` otherwise: [[a]], a comment...
                path = tuple(dotted.split("."))
                other[path] = i
                if len(path) < 3 or path[0] != "points":
                    _add(every, path, j)
                    continue
                pid = path[1]  # (a table below a point's: added with the point's)
                below.setdefault(pid, []).append((path, j))
            elif key:
                group = milestones.get(pid)
                if group is None:
                    group = milestones[pid] = {}
                group[key] = i
            else:
                points[pid] = i
            if owner.setdefault(pid, j) != j:
                split.add(pid)
    if len(points) + sum(map(len, milestones.values())) + len(other) != n:
        return None  # a header twice
    if not all((word,) not in other for word in _WORD_VALUES):
        return None  # a line that may be an array's value
    node: _Trie = {}
    last = -1
    for pid, j in owner.items():
        if pid in split:  # (its headers by their paths, each in its part)
            at = points.get(pid)
            if at is not None:
                _add(every, ("points", pid), bisect.bisect_right(firsts, at) - 1)
            for key, i in milestones.get(pid, {}).items():
                path = ("points", pid, "milestones", key)
                _add(every, path, bisect.bisect_right(firsts, i) - 1)
            for path, part in below.get(pid, ()):
                _add(every, path, part)
        else:  # (all in part j: what _add gives of ("points", pid) alone, see above)
            if j != last:
                node, last = _below(every, "points", j), j
            node[pid] = j
    return places, every


# a Loc's slots' own setters (what its record's __init__ calls, one header at a time)
_LOC_SLOTS = records.setters(Loc)  # (file, line, col: tests/ledger/test_byparts.py)


def _locs(file: str, lines: Iterable[int], n: int) -> list[Loc]:
    """``[Loc(file, line) for line in lines]``, the ``n`` lines', made from C: each Loc as
    ``Loc.__new__`` makes it, then each of its slots set over all of them by the slot's own
    setter, as the record's ``__init__`` sets it (56,000 calls of that ``__init__`` are
    ~6 ms more at 10,000 points; tests/ledger/test_byparts.py holds the places to ``Loc``'s)."""
    locs: list[Loc] = list(map(object.__new__, itertools.repeat(Loc, n)))
    set_file, set_line, set_col = _LOC_SLOTS or ()
    exhaust = collections.deque[object](maxlen=0).extend
    exhaust(map(set_file, locs, itertools.repeat(file)))
    exhaust(map(set_line, locs, lines))
    exhaust(map(set_col, locs, itertools.repeat(1)))
    return locs


def _interned(table: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    """``table`` with each key the one string of its text in ``keys`` (the parser makes a
    string of every key it reads: 317,000 of 10,000 texts, 16 MiB, at 10,000 points)."""
    for key, value in table.items():
        kind = type(value)
        if kind is dict:
            table[key] = _interned(value, keys)
        elif kind is list and value and type(value[0]) is dict:
            table[key] = [_interned(v, keys) if type(v) is dict else v for v in value]
    one = keys.setdefault
    return dict(zip(map(one, table, table), table.values(), strict=True))


def _add(trie: _Trie, path: tuple[str, ...], part: int) -> None:
    node = trie
    last = len(path) - 1
    for n, key in enumerate(path):
        if n == last and key not in node:
            node[key] = part
            return
        node = _below(node, key, part)
    node[_HEADER] = part


def _below(node: _Trie, key: str, part: int) -> _Trie:
    """The tables below ``key`` of ``node``, where a header of ``part`` is below it."""
    below = node.get(key)
    if below is None:
        below = node[key] = {None: part}
    elif type(below) is not dict:  # a header's table, with a header below it now
        below = node[key] = {None: below if below == part else {below, part}, _HEADER: below}
    else:
        owner = below[None]
        if type(owner) is int:
            if owner != part:
                below[None] = {owner, part}
        else:
            owner.add(part)
    return below


def _theirs(below: Any, part: int) -> bool:
    """Whether a table of the headers is another part's (not one of ``part``'s own)."""
    owner = below[None] if type(below) is dict else below
    return owner != part if type(owner) is int else part not in owner


def _mine(below: Any, part: int) -> bool:
    """Whether a table of the headers is ``part``'s alone (no other part's header at it or
    below it)."""
    owner = below[None] if type(below) is dict else below
    return type(owner) is int and owner == part


def _check(table: dict[str, Any], node: _Trie, part: int, above: bool = False) -> None:
    """A part's table (``node``: the tables of the headers below it, some other part's)
    defines nothing where only other parts' headers put a table, and defines keys by its
    statements only where its own header is (not through dotted keys into a table another
    part's headers share); ``above``: whether the part has a header above this table."""
    above = above or node.get(_HEADER) == part
    for key, value in table.items():
        below = node.get(key)
        if below is None:
            if node.get(_HEADER) != part:
                raise _Collision
            continue  # a key of the part's header: no header at it or below
        if _mine(below, part):
            continue  # only this part's headers at it or below: nothing of another's
        if _theirs(below, part) or type(value) is not dict:
            raise _Collision
        if above and below.get(_HEADER, part) != part:
            raise _Collision  # another part's header's table, maybe a dotted key's here
        _check(value, below, part, above)


def _merge(
    data: dict[str, Any],
    table: dict[str, Any],
    node: _Trie,
    part: int,
    grown: dict[int, dict[str, Any]],
    above: bool = False,
) -> None:
    """Merge a part's table into the same table of the parts before (checked as
    :func:`_check` does; a key both define must be a table of the headers of both)."""
    above = above or node.get(_HEADER) == part
    added = False
    for key, value in table.items():
        below = node.get(key)
        if below is None and node.get(_HEADER) != part:
            raise _Collision  # a key defined here by a statement not under this part's header
        if below is None or _mine(below, part):
            # a key of this part's header, or a table of its headers alone
            if key in data:
                raise _Collision
            data[key] = value
            added = True
            continue
        if _theirs(below, part) or type(value) is not dict:
            raise _Collision
        if above and below.get(_HEADER, part) != part:
            raise _Collision  # another part's header's table, maybe a dotted key's here
        old = data.get(key)
        if old is None:
            if key in data:
                raise _Collision
            _check(value, below, part, above)
            data[key] = value
            added = True
        elif type(old) is not dict:
            raise _Collision
        else:
            _merge(old, value, below, part, grown, above)
    if added:
        grown[id(data)] = data
