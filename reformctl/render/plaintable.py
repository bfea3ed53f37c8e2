"""Plain text tables laid out as tabulate lays them out, without importing tabulate.

``tabulate`` costs about 100 ms to import (it pulls in ``importlib.metadata``, email, zipfile and
html), more than a warm ``overdue`` needs for everything else; plain output (the default when
piped) is what scripts and CI read. Its two layouts used there are simple to state: columns
separated by two spaces, each cell stripped and padded to the column's display width (wide
characters count two), a header row over a rule of dashes at least two wider than each header
(``simple``) or no header at all (``plain``), and no trailing blanks. Tests compare this with
tabulate itself over generated tables; anything outside what is stated here (a cell over several
lines, terminal escapes, a width wcwidth cannot tell) returns None, and tabulate lays it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import add, sub

# tabulate reads these as lines, escape sequences or its separating row: leave them to it
_NOT_SIMPLE = re.compile("[\n\r\x1b\x01]")


def layout(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    aligns: Sequence[str],
    width: Callable[[str], int],
    visible: bool = False,
) -> str | None:
    """``tabulate(rows, headers, tablefmt="simple" if headers else "plain", colalign=aligns,
    disable_numparse=True)`` of text cells, as tabulate with wide characters writes it; None when
    the table is one this does not lay out (then tabulate must). ``visible``: the cells are
    known to hold no control character (made visible), so they are not searched for one."""
    if not rows:
        if not headers:
            return ""
        aligns = ["left"] * len(headers)  # tabulate aligns the headers of an empty table left
    columns = len(headers) if headers else len(rows[0])
    if len(aligns) != columns or any(len(row) != columns for row in rows):
        return None
    if _NOT_SIMPLE.search("".join(headers)) or (
        not visible and _NOT_SIMPLE.search("".join(map("".join, rows)))
    ):
        return None  # (one search of every cell: what it seeks is one character)
    # column by column (a call a cell from C: 10,000 rows are 70,000 cells)
    texts = [list(map(str.strip, column)) for column in zip(*rows, strict=True)]
    if not rows:
        texts = [[] for _ in range(columns)]
    own = [_widths(column, width) for column in texts]
    header_widths = [width(h) for h in headers]
    widths = []
    for j in range(columns):
        column = own[j]
        least = header_widths[j] + 2 if headers else 0
        if min(column, default=0) < 0 or least < 0:
            return None  # wcwidth cannot tell (a control character): tabulate's own arithmetic
        widths.append(max([least, *column]))
    right = [align == "right" for align in aligns]
    lines = []
    if headers:
        lines.append(_row(headers, header_widths, widths, right))
        lines.append("  ".join("-" * w for w in widths))
    # each column padded at once (a call a row cost 10,000 rows a third of their layout)
    padded: list[list[str]] = []
    for j, (room, flush_right, strings, sizes) in enumerate(
        zip(widths, right, texts, own, strict=True)
    ):
        if j == columns - 1 and not flush_right:
            padded.append(strings)  # (its blanks at the line's end: stripped below)
            continue
        pad = str.rjust if flush_right else str.ljust
        rooms = map(add, map(len, strings), map(sub, repeat(room), sizes))  # room - w + len
        padded.append(list(map(pad, strings, rooms)))
    if padded:
        lines += map(str.rstrip, map("  ".join, zip(*padded, strict=True)))
    else:  # (rows of no column: a blank line each)
        lines += ["" for _ in rows]
    return "\n".join(lines)


def _widths(texts: list[str], width: Callable[[str], int]) -> list[int]:
    """Each text's width: of a column all printable ASCII (ids, dates, English words), its
    length, counted from C (a call a cell cost 7,000 IDs seen once each ~5 ms)."""
    joined = "".join(texts)
    if joined.isascii() and joined.isprintable():
        return list(map(len, texts))
    return list(map(width, texts))


def _row(
    cells: Sequence[str], own: Sequence[int], widths: Sequence[int], right: Sequence[bool]
) -> str:
    """One line: each cell padded to its column's width in cells (padding counts characters)."""
    out = []
    for cell, w, column, flush_right in zip(cells, own, widths, right, strict=True):
        room = column - w + len(cell)
        out.append(cell.rjust(room) if flush_right else cell.ljust(room))
    return "  ".join(out).rstrip()
