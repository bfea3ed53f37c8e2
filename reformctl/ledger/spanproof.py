"""A write proven by what it changed (issue 25 item 4), instead of parsing the whole new text.

A TOML document is a preamble (the keys before the first header) and *sections*, each a
header line and the statements up to the next header. A write splices the old text; the new
text's data is proven without parsing all of it when every one of these holds (else
:func:`prove_changed` says None and the caller parses the whole text, as before):

1. the old text was parsed whole: ``old_data`` is the parser's data of exactly its bytes (the
   read's own parse, or the cache's data entry keyed by those bytes);
2. the lexer followed both texts to their end, and the change lies inside a *window* of whole
   sections: it starts at the start of the old text or of a header the lexer found, and ends
   at the start of a header the lexer found in both texts at the same place of the same
   following text (or at the end of both). Outside the window the new text is the old one,
   and the lexer reads it as it did (it reads left to right, and starts the window and
   leaves it at a line where a statement may begin): so the sections outside are the old
   ones, with the same data;
3. every section of the window, in the old text and in the new, parses *alone*, has a plain
   ``[header]`` (no array of tables anywhere on its path in the data), and the old ones'
   keys are exactly what ``old_data`` holds at their tables (the old spans verified against
   the parser);
4. no key can collide: each header path of the new window appears once in the new text; a
   table the window keeps has its header in the old window too; a table it adds did not
   exist in the old data (its parent is a table with a header of its own, or the root); and
   no key a window section defines is the first key of a header under its table elsewhere
   (a value where a sub-table is, or a dotted key into one).

Then the new data is the old data with each window table's own keys replaced by those its
section parsed to (its sub-tables with headers of their own kept): TOML's meaning of a
document whose headers are distinct and plain is the union of its sections' meanings, each
at its header's path, and validity across sections is exactly the collisions of item 4 (a
table defined twice, a key where a header puts a table, a header through a value); each
table's keys are in the parser's order (sorted). The
caller still compares that data with the old data plus exactly the change the splices
declare (:func:`reformctl.ledger.edit.expected_data`), as it compares the whole parse.

``tests/ledger/test_spanproof.py`` checks it against the whole-text parse: on the write
planners over generated, hand-laid and hostile ledgers, and on arbitrary edits of arbitrary
documents with arbitrary claims (whenever a proof is given, the whole text parses to it).
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reformctl.ledger.parse import TomlError, loads

if TYPE_CHECKING:
    from reformctl.ledger.edit import Splice
    from reformctl.ledger.lexer import Header, Path_
    from reformctl.ledger.source import SourceIndex

_START = operator.attrgetter("start")


class _NoProof(Exception):
    """The change is not one this proof covers: the whole text is parsed instead."""


def prove_changed(
    old_text: str,
    new_text: str,
    splices: Sequence[Splice],
    old_index: SourceIndex,
    new_index: SourceIndex,
    old_data: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The data of ``new_text`` (``old_text`` with ``splices`` made; ``new_index`` its index),
    proven from the sections the change touched; None when the proof does not apply."""
    if old_data is None or not splices:
        return None
    try:
        return _prove(old_text, new_text, splices, old_index, new_index, old_data)
    except _NoProof:
        return None


def _prove(
    old_text: str,
    new_text: str,
    splices: Sequence[Splice],
    old_index: SourceIndex,
    new_index: SourceIndex,
    old_data: dict[str, Any],
) -> dict[str, Any]:
    if old_index.stopped is not None or new_index.stopped is not None:
        raise _NoProof
    old_h, new_h = old_index.headers, new_index.headers
    delta = len(new_text) - len(old_text)
    first = min(s.start for s in splices)
    last = max(s.end for s in splices)
    # the old sections the change touches or borders (-1: the preamble)
    i0 = bisect.bisect_left(old_h, first, key=_START) - 1
    i1 = bisect.bisect_right(old_h, last, key=_START) - 1
    start = old_h[i0].start if i0 >= 0 else 0
    end = old_h[i1 + 1].start if i1 + 1 < len(old_h) else len(old_text)
    new_end = end + delta
    if not (start <= first and last <= end <= len(old_text)) or new_end < start:
        raise _NoProof
    # (new_text[:start] == old_text[:start] and new_text[new_end:] == old_text[end:], which
    # has the same length: the new text is delta longer; one copy of each, not two)
    if not new_text.startswith(old_text[:start]) or not new_text.endswith(old_text[end:]):
        raise _NoProof
    # the lexer's headers of the new text: the old ones before the window and after it (moved)
    j0 = bisect.bisect_left(new_h, start, key=_START)
    j1 = bisect.bisect_left(new_h, new_end, key=_START)
    if j0 != max(i0, 0) or len(new_h) - j1 != len(old_h) - (i1 + 1):
        raise _NoProof
    if i0 >= 0 and (j0 >= len(new_h) or new_h[j0].start != start):
        raise _NoProof
    if j1 < len(new_h):
        if new_h[j1].start != new_end or new_h[j1].path != old_h[i1 + 1].path:
            raise _NoProof
    elif new_end != len(new_text):
        raise _NoProof
    old_sections = _sections(old_text, old_h, max(i0, 0), i1 + 1, end, i0 < 0)
    new_sections = _sections(new_text, new_h, j0, j1, new_end, i0 < 0)
    old_paths = {p for p, _ in old_sections}
    new_paths = [p for p, _ in new_sections]
    if len(set(new_paths)) != len(new_paths) or not old_paths <= set(new_paths):
        raise _NoProof
    # the new text's headers by path: the old index's outside the window, the window's own
    paths = _Paths(old_index, range(max(i0, 0), i1 + 1), [h.path for h in new_h[j0:j1]])
    for path, text in old_sections:  # the old spans, verified against the parser
        own = _alone(text, path)
        table = _table(old_data, path)
        children = _children(path, old_index)
        if table is None or table.keys() != own.keys() | children or own.keys() & children:
            raise _NoProof
        if any(table[k] != v for k, v in own.items()):
            raise _NoProof
    result = _Copy(old_data)
    for path, text in new_sections:
        own = _alone(text, path)
        if paths.count(path) != 1:
            raise _NoProof
        children = paths.children(path)
        if children & own.keys():
            raise _NoProof
        if path not in old_paths and not _new_table(path, old_data, paths):
            raise _NoProof
        result.put(path, own, children)
    return result.data


def _sections(
    text: str, headers: list[Header], a: int, b: int, end: int, preamble: bool
) -> list[tuple[Path_, str]]:
    """The sections of headers ``a`` to ``b`` (ending at ``end``), and the preamble before
    them when asked, as (path, text); each plain (no ``[[array]]``)."""
    out: list[tuple[Path_, str]] = []
    if preamble:
        out.append(((), text[: headers[a].start if a < b else end]))
    for i in range(a, b):
        h = headers[i]
        if h.array:
            raise _NoProof
        out.append((h.path, text[h.start : headers[i + 1].start if i + 1 < b else end]))
    return out


def _alone(text: str, path: Path_) -> dict[str, Any]:
    """The keys of a section parsed alone, at its header's path (and nothing beside it)."""
    try:
        data: Any = loads(text)
    except TomlError:
        raise _NoProof from None
    for key in path:
        if not isinstance(data, dict) or len(data) != 1 or key not in data:
            raise _NoProof
        data = data[key]
    if not isinstance(data, dict):
        raise _NoProof
    return data


def _children(path: Path_, index: SourceIndex) -> set[str]:
    """The first keys under ``path`` of every header below it."""
    n = len(path)
    headers = index.headers
    found = (headers[i].path for i in index.related(path)) if n else (h.path for h in headers)
    return {p[n] for p in found if len(p) > n and p[:n] == path}


class _Paths:
    """The header paths of the new text, related to one path: the old index's outside the
    window (the same headers, moved) and the new window's (the old index has them grouped
    already: a write's lookups grouped them)."""

    def __init__(self, old: SourceIndex, window: range, inside: list[Path_]) -> None:
        self._old, self._window, self._inside = old, window, inside

    def related(self, path: Path_) -> list[Path_]:
        old, window = self._old, self._window
        n = len(path)
        if n:
            outside = [old.headers[i].path for i in old.related(path) if i not in window]
        else:
            outside = [h.path for i, h in enumerate(old.headers) if i not in window]
        inside = [p for p in self._inside if p[:n] == path or path[: len(p)] == p]
        return outside + inside

    def count(self, path: Path_) -> int:
        """How many headers have ``path`` (the root has none, and is one table)."""
        return sum(1 for p in self.related(path) if p == path) if path else 1

    def children(self, path: Path_) -> set[str]:
        """The first keys under ``path`` of every header below it."""
        n = len(path)
        return {p[n] for p in self.related(path) if len(p) > n and p[:n] == path}


def _new_table(path: Path_, old_data: dict[str, Any], paths: _Paths) -> bool:
    """Whether a table the window adds is new: absent from the old data, right below a table
    with a header of its own."""
    parent = path[:-1]
    if not parent or paths.count(parent) != 1:
        return False
    table = _table(old_data, parent)
    return table is not None and path[-1] not in table


def _table(data: dict[str, Any], path: Path_) -> dict[str, Any] | None:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


class _Copy:
    """The old data with tables' own keys replaced: each dict on a replaced table's path
    copied once, everything else shared with the old data (which is left as it was). Every
    table's keys are in the parser's order (pytomlpp's tables are sorted by key: the tests
    compare the order with the whole parse's)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = dict(data)
        self._mine = {id(self.data)}

    def put(self, path: Path_, own: dict[str, Any], children: set[str]) -> None:
        """Table ``path`` becomes ``own`` and its sub-tables with headers (``children``), as
        they are now (a table added under it by this change included)."""
        parent: dict[str, Any] | None = None
        node = self.data
        for key in path:
            child = node.get(key)
            if child is None:
                child = node[key] = {}
                _sort(node)
                self._mine.add(id(child))
            elif not isinstance(child, dict):
                raise _NoProof
            elif id(child) not in self._mine:
                child = node[key] = dict(child)
                self._mine.add(id(child))
            parent, node = node, child
        table = {**own, **{k: v for k, v in node.items() if k in children}}
        table = dict(sorted(table.items()))
        self._mine.add(id(table))
        if parent is None:
            self.data = table
        else:
            parent[path[-1]] = table


def _sort(table: dict[str, Any]) -> None:
    items = sorted(table.items())
    table.clear()
    table.update(items)
