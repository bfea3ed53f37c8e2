"""Where a model's points and milestones are in a text: a point a write did not change is
the old model's object, placed at its new lines (:meth:`Placer.moved`), not built again.

A write takes those points as they are; :func:`placed` puts them where the new text has them
in the process that stores the cache's entry, the only reader of that model's places (see
:func:`reformctl.ledger.build.build_ledger`). :func:`entry_keys` gives each section's keys in
the order the model of a ledger's data has them, without building it. :class:`Places` gives a
build the order and the headers of the tables it reads, without a scan when it can.
"""

from __future__ import annotations

import itertools
import operator
from typing import Any

from reformctl import records, schema
from reformctl.ledger.source import SourceIndex, milestones_of
from reformctl.model import Ledger, Loc, Milestone, Point

_POINT_NAMES = list(records.fields(Point))
_POINT_FIELDS = operator.attrgetter(*_POINT_NAMES)
_POINT_LOC, _POINT_MILESTONES = _POINT_NAMES.index("loc"), _POINT_NAMES.index("milestones")


class Placer:
    """Places model objects built before at the places ``index``'s text has them."""

    def __init__(self, index: SourceIndex) -> None:
        self.index = index
        self._file = index.file
        # a workspace's index (several files) places each table in its own file
        one_file = type(index) is SourceIndex
        self._headers = index.headers
        self._by_path = index.by_path if one_file else None

    def moved(self, point: Point, path: tuple[str, ...]) -> Point:
        """A point built before from this same table, at its place in this text: what
        building it again would give (its table had no problem then, so has none now).
        Its places are the index's (:meth:`SourceIndex.table_loc`), as the build takes them;
        objects whose place did not change are kept as they are."""
        place = self._table_loc
        loc = place(path, point.loc)
        milestones = point.milestones
        prefix = (*path, "milestones")
        by_path, headers, file = self._by_path, self._headers, self._file
        for i, ms in enumerate(milestones):
            # (the common case of _table_loc, inline: a header of its own, in the same place)
            j = by_path.get((*prefix, ms.key)) if by_path is not None else None
            if j is not None:
                h, was = headers[j], ms.loc
                if h.line == was.line and h.col == was.col and was.file == file:
                    continue
            elif place((*prefix, ms.key), ms.loc) is ms.loc:
                continue
            moved = list(milestones[:i])
            for ms in milestones[i:]:
                ms_loc = place((*prefix, ms.key), ms.loc)
                if ms_loc is not ms.loc:
                    ms = Milestone(  # the same milestone, placed anew
                        ms.point,
                        ms.key,
                        ms.name,
                        ms.due,
                        ms_loc,
                        ms.done,
                        ms.evidence,
                        ms.extensions,
                    )
                moved.append(ms)
            milestones = tuple(moved)
            break
        if loc is point.loc and milestones is point.milestones:
            return point
        fields = list(_POINT_FIELDS(point))  # (records.replace, at a third of the cost)
        fields[_POINT_LOC], fields[_POINT_MILESTONES] = loc, milestones
        return Point(*fields)

    def _table_loc(self, path: tuple[str, ...], was: Loc) -> Loc:
        """``index.table_loc(path)``; ``was`` itself when that is where it was."""
        by_path = self._by_path
        i = by_path.get(path) if by_path is not None else None
        if i is None:
            loc = self.index.table_loc(path)
            return was if loc == was else loc
        h = self._headers[i]
        if was.line == h.line and was.col == h.col and was.file == self._file:
            return was
        return Loc(self._file, h.line, h.col)


def placed(ledger: Ledger, index: SourceIndex) -> Ledger:
    """``ledger``, built from ``index``'s text with ``place=False`` (see
    :func:`~reformctl.ledger.build.build_ledger`), with every point and milestone at its
    place in that text: the model a whole build gives. Points in place are kept as they are."""
    moved = Placer(index).moved
    points = {pid: moved(point, ("points", pid)) for pid, point in ledger.points.items()}
    return records.replace(ledger, points=points)


def entry_keys(data: dict[str, Any], index: SourceIndex) -> dict[str, tuple[str, ...]]:
    """Each section's keys in the order the model of ``data`` (a ledger with no problem, of
    ``index``'s text) has them, as the build orders them (the file's order; entries without a
    header of their own last, by key): what :func:`reformctl.rules.keys_of` gives of it."""
    order = index.by_path
    last = len(index.headers)
    out: dict[str, tuple[str, ...]] = {}
    for section in schema.SECTIONS:
        name = section.name
        raw = data.get(name, {})
        items = (
            sorted(raw.items(), key=lambda kv: order.get((name, kv[0]), last))
            if isinstance(raw, dict)
            else []
        )
        out[name] = tuple(key for key, value in items if isinstance(value, dict))
    return out


Found = list[tuple[str, Any, Loc | None]]
_FIRST = operator.itemgetter(0)


class Places:
    """Where the tables a build reads are: their order in the file (the parser sorts keys) and
    each one's header. Found by their lines when the index can
    (:meth:`SourceIndex.header_lines`: a first read scans nothing unless a problem needs a
    place), else from the index's scan."""

    def __init__(self, index: SourceIndex) -> None:
        self.index = index
        self._file = index.file
        self._one_file = type(index) is SourceIndex  # (a workspace's by_path gives ranks)
        self._found: dict[tuple[str, ...], tuple[int, int]] = {}  # path: (offset, line)
        # the headers' numbers in the index's places, by the prefix of the tables, then key
        self._numbered: dict[tuple[str, ...], dict[str, int]] = {}
        # (section, child): every entry's child tables found in one pass (None: not so)
        self._children: dict[tuple[str, str], dict[str, dict[str, tuple[int, int]]] | None] = {}
        # every header's place, when the index knows them without a scan
        self._places = index.header_places if self._one_file and not index.scanned else None

    def in_file_order(
        self, table: dict[str, Any], prefix: tuple[str, ...]
    ) -> list[tuple[str, Any]]:
        """The entries of a table in the order the file has them; entries without a header of
        their own (inline tables) come last, by key."""
        places = self._places
        if places is not None:
            # (each header's place taken out as it is used: a build asks for it once)
            numbers = places.taken(prefix, table)
            if None not in numbers:
                placed = dict(zip(table, numbers, strict=True))
                if any(a > b for a, b in itertools.pairwise(numbers)):  # type: ignore[operator]
                    placed = dict(sorted(placed.items(), key=operator.itemgetter(1)))
                self._numbered[prefix] = placed  # type: ignore[assignment]
                return [(key, table[key]) for key in placed]
        found = self.index.header_lines(prefix, table) if self._one_file else None
        if found is not None:
            for key, at in found.items():
                self._found[(*prefix, key)] = at
            return [(key, table[key]) for key in found]
        order = self.index.by_path
        last = len(self.index.headers)
        return sorted(table.items(), key=lambda kv: order.get((*prefix, kv[0]), last))

    def _number(self, path: tuple[str, ...]) -> int | None:
        """The number in the index's places of the header of ``path``, when
        :meth:`in_file_order` took it from there."""
        numbered = self._numbered.get(path[:-1]) if path and self._places is not None else None
        return numbered.get(path[-1]) if numbered is not None else None

    def _at(self, path: tuple[str, ...]) -> tuple[int, int] | None:
        """The (offset, line) of the header of ``path`` found by its line, if it was."""
        n = self._number(path)
        if n is None or self._places is None:
            return self._found.get(path)
        return self._places.starts[n], self._places.locs[n].line

    def table_loc(self, path: tuple[str, ...]) -> Loc:
        """``index.table_loc(path)``, from the header found by its line when it was."""
        n = self._number(path)
        if n is not None and self._places is not None:
            return self._places.locs[n]
        at = self._found.get(path)
        return self.index.table_loc(path) if at is None else Loc(self._file, at[1], 1)

    def _child_lines(
        self, table: dict[str, Any], prefix: tuple[str, ...]
    ) -> dict[str, tuple[int, int]] | None:
        """The headers of a child table's entries (``prefix`` section, entry, child) from one
        pass over the text for all entries' (:meth:`SourceIndex.child_header_lines`), when
        that found exactly the table's keys."""
        if len(prefix) != 3:
            return None
        at = (prefix[0], prefix[2])
        if at not in self._children:
            self._children[at] = self.index.child_header_lines(*at)
        every = self._children[at]
        found = every.get(prefix[1]) if every is not None else None
        if found is None or len(found) != len(table) or not all(k in table for k in found):
            return None
        return found

    def placed_in_order(
        self, table: dict[str, Any], prefix: tuple[str, ...], owner: tuple[str, ...]
    ) -> Found:
        """:meth:`in_file_order` of a table of many small ones (a point's milestones), each
        with its own header's place (None: it has none); sought from the header of its
        ``owner`` when that was found."""
        places = self._places
        if places is not None:
            pid = milestones_of(prefix)
            if pid is not None:
                # (the common case, 10,000 times: a point's milestones, each under its own
                # header, in the text's order; taken out as they are used)
                group = places.milestones.pop(pid, None)
                if group is not None and len(group) == len(table):
                    locs = places.locs
                    try:  # (the same keys: as many, each of the group's in the table)
                        return [(k, table[k], locs[n]) for k, n in group.items()]
                    except KeyError:
                        pass  # (a milestone without a header of its own: found below)
            else:
                numbers = places.taken(prefix, table)
                if None not in numbers:
                    ranks: list[int] = numbers  # type: ignore[assignment]
                    placed = sorted(zip(ranks, table.items(), strict=True))
                    return [(k, v, places.locs[n]) for n, (k, v) in placed]
        found = self._child_lines(table, prefix) if self._one_file else None
        if found is None and self._one_file:
            start, line = self._at(owner) or (0, 1)
            found = self.index.header_lines(prefix, table, start, line)
        if found is not None:
            file = self._file
            return [(k, table[k], Loc(file, n, 1)) for k, (_, n) in found.items()]
        order = self.index.by_path
        headers = self.index.headers
        last = len(headers)
        ranked = [(order.get((*prefix, k), last), k, v) for k, v in table.items()]
        if any(a[0] > b[0] for a, b in itertools.pairwise(ranked)):
            ranked.sort(key=_FIRST)  # (sorted only when the parser's order is not the file's)
        if not self._one_file:
            table_loc = self.index.table_loc
            return [(k, v, table_loc((*prefix, k)) if at < last else None) for at, k, v in ranked]
        file = self._file
        return [
            (k, v, Loc(file, headers[at].line, headers[at].col) if at < last else None)
            for at, k, v in ranked
        ]
