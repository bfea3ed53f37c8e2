"""One table as a file holds it (:class:`Sheet`), before any reading of its meaning. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reformctl.spreadsheets.limits import MAX_COLUMNS


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """Every cell of a merged range reads as its top-left value (as a clerk sees it)."""
    for top, left, bottom, right in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, right + 1):
                if c < len(row):
                    row[c] = value
                elif value is not None and c < MAX_COLUMNS:
                    row.extend([None] * (c - len(row)) + [value])
    return rows


@dataclass
class Sheet:
    """One table as a file holds it, before any reading of its meaning.

    ``rows`` are 0-based rows of cell values: ``str``, ``int``, ``float``, ``bool``, ``None``,
    and ``datetime.date``/``datetime.datetime`` only where the file itself says the cell is a
    date (a date-formatted cell of a workbook; never from CSV, whose cells are all text).
    Merged ranges are listed, not filled; ``filled()`` gives the rows as a clerk sees them.
    Positions everywhere are 0-based (row, column)."""

    name: str  # the sheet's name; "" for a CSV file; "表1", "表2"... for a document's tables
    rows: list[list[Any]]
    # (top, left, bottom, right) of each merged range
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_columns: frozenset[int] = frozenset()
    hidden_rows: frozenset[int] = frozenset()
    no_value: frozenset[tuple[int, int]] = frozenset()  # formulas with no cached value
    kind: str = "xlsx"  # xlsx, xlsm, xls, ods, csv, docx
    hidden: bool = False  # a hidden (or very hidden) sheet of the workbook

    def filled(self) -> list[list[Any]]:
        """The rows with every cell of a merged range reading as its top-left value, invisible
        format characters (zero-width space, BOM, joiners) dropped from text."""
        rows = [
            [_visible(v) if type(v) is str and _INVISIBLE_ANY.search(v) else v for v in row]
            for row in self.rows
        ]
        return _fill_merged(rows, self.merged)


# format characters that show nothing: pasted from web pages and Word, they would make
# look-alike names (省国资委 and 省国资委\u200b)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_INVISIBLE_ANY = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # found fast, in C


def _visible(text: str) -> str:
    return text.translate(_INVISIBLE)
