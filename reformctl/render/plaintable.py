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

from collections.abc import Callable, Sequence

# tabulate reads these as lines, escape sequences or its separating row: leave them to it
_NOT_SIMPLE = ("\n", "\r", "\x1b", "\x01")


def layout(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    aligns: Sequence[str],
    width: Callable[[str], int],
) -> str | None:
    """``tabulate(rows, headers, tablefmt="simple" if headers else "plain", colalign=aligns,
    disable_numparse=True)`` of text cells, as tabulate with wide characters writes it; None when
    the table is one this does not lay out (then tabulate must)."""
    if not rows:
        if not headers:
            return ""
        aligns = ["left"] * len(headers)  # tabulate aligns the headers of an empty table left
    columns = len(headers) if headers else len(rows[0])
    if len(aligns) != columns or any(len(row) != columns for row in rows):
        return None
    if any(
        bad in text for text in (*headers, *(c for r in rows for c in r)) for bad in _NOT_SIMPLE
    ):
        return None
    cells = [[cell.strip() for cell in row] for row in rows]
    widths = []
    for j in range(columns):
        cell_widths = [width(row[j]) for row in cells]
        least = width(headers[j]) + 2 if headers else 0
        if min(cell_widths, default=0) < 0 or least < 0:
            return None  # wcwidth cannot tell (a control character): tabulate's own arithmetic
        widths.append(max([least, *cell_widths]))
    lines = []
    if headers:
        lines.append(_row(headers, widths, aligns, width))
        lines.append("  ".join("-" * w for w in widths))
    lines += [_row(row, widths, aligns, width) for row in cells]
    return "\n".join(lines)


def _row(
    cells: Sequence[str], widths: Sequence[int], aligns: Sequence[str], width: Callable[[str], int]
) -> str:
    out = []
    for cell, w, align in zip(cells, widths, aligns, strict=True):
        room = w - width(cell) + len(cell)  # padding counts characters, the column cells
        out.append(cell.rjust(room) if align == "right" else cell.ljust(room))
    return "  ".join(out).rstrip()
