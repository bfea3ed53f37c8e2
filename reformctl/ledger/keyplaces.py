"""The places of a milestone's keys on a first read, found without the index's scan.

A text parsed by parts (:mod:`reformctl.ledger.byparts`) has every header's place in
``index.header_places`` without the lexer's scan of the whole text (~0.4 s at 10,000 points).
A message about a milestone's key (``check``'s overdue items at their ``due`` line, its
advice) asks :meth:`SourceIndex.loc`, which scans. :class:`KeyPlaces` answers the same from the
places for a milestone placed at a header of its own (its loc that header's, the very object):
byparts' proof says each header is its line and is a header of the scan, so the table's own
lines run from the line after it to the next header's line, as the scan's span has them; its
keys are found there as :meth:`SourceIndex.key_offset` finds them (by
:func:`~reformctl.ledger.lexer.first_keys`, a body as reformctl writes it). Any other question
(another table, a body first_keys does not read, a key not written there, a workspace, a
model from the cache) goes to the index, whose answer it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reformctl.ledger.lexer import first_keys, skip_blanks
from reformctl.ledger.source import SourceIndex
from reformctl.model import Loc

if TYPE_CHECKING:
    from reformctl.model import Ledger, Milestone


class KeyPlaces:
    """``index.loc(path, key)`` (a :class:`reformctl.rules.Where`), the keys of a ledger's
    milestones placed from the index's header places when it has them."""

    def __init__(self, index: SourceIndex, ledger: Ledger) -> None:
        self.index = index
        self._ledger = ledger
        # (a workspace's index is a subclass of its files' own: asked as it is)
        self._places = index.header_places if type(index) is SourceIndex else None
        self._numbers: dict[int, int] | None = None

    def loc(self, path: tuple[str, ...], key: str | None = None) -> Loc:
        if (
            key is not None
            and self._places is not None
            and len(path) == 4
            and path[0] == "points"
            and path[2] == "milestones"
        ):
            found = self._milestone_key(path[1], path[3], key)
            if found is not None:
                return found
        return self.index.loc(path, key)

    def _milestone_key(self, pid: str, mkey: str, key: str) -> Loc | None:
        point = self._ledger.points.get(pid)
        if point is None:
            return None
        milestone = next((ms for ms in point.milestones if ms.key == mkey), None)
        return None if milestone is None else self.milestone_key(milestone, key)

    def milestone_key(self, milestone: Milestone, key: str) -> Loc | None:
        """The place of a milestone's ``key`` found without the scan; None: ask the index
        (its :meth:`loc`, which does)."""
        places = self._places
        at = milestone.loc
        text, file = self.index.text, self.index.file
        if places is None or at.file != file:
            return None
        numbers = self._numbers
        if numbers is None:  # (each header's number by its line, once)
            numbers = self._numbers = {loc.line: n for n, loc in enumerate(places.locs)}
        n = numbers.get(at.line)
        if n is None or places.locs[n] is not at:
            return None  # (not placed at a header found by its line)
        starts = places.starts
        body = text.find("\n", starts[n]) + 1  # (the header is its line)
        if not body:
            return None
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        keys = first_keys(text, body, end)
        offset = keys.get(key) if keys is not None else None
        if offset is None:
            return None
        offset = skip_blanks(text, offset)
        line_start = text.rfind("\n", 0, offset) + 1
        return Loc(file, at.line + 1 + text.count("\n", body, offset), offset - line_start + 1)
