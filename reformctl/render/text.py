"""Plain, Markdown and CSV: tabulate's layouts (with wcwidth, so CJK columns align; plain ones
without importing tabulate) and the csv module."""

from __future__ import annotations

import functools
import re
from typing import IO, Any

from reformctl.render.escape import has_invisible, safe_line, visible
from reformctl.render.plaintable import layout
from reformctl.render.table import Table, text_cells

# Text whose width needs no table: printable ASCII and a few narrow marks (one column each),
# CJK ideographs, their punctuation and full-width forms (two each), as wcwidth counts them
# (tests/test_render_plaintable.py checks every one against it). Most cells of a Chinese
# ledger are such text: their width without importing wcwidth (about 30 ms).
_PLAIN_WIDTH = re.compile(
    "[ -~\u00b7\u2010-\u2027\u3000-\u3029\u3030-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]*"
).fullmatch
# the narrow marks of that class that are not ASCII
_NARROW_MARK = re.compile("[\u00b7\u2010-\u2027]").search


class _CachedWidth:
    """What tabulate needs of wcwidth, memoised: a ranking or a list repeats the same unit and
    group names thousands of times, and plain ASCII or Chinese text needs no table lookup at
    all. Halves the time to lay out 10,000 rows; the widths are wcwidth's own."""

    @staticmethod
    @functools.lru_cache(maxsize=1 << 16)
    def wcswidth(text: str) -> int:
        if text.isascii() and text.isprintable():
            return len(text)
        if _PLAIN_WIDTH(text):
            # (of those, the ones from U+3000 on take two; a class of that range costs ~3 ms
            # to compile, more than the texts of a first read take to count. Without the
            # narrow marks, each wide one is the only character of three bytes in UTF-8, two
            # more than an ASCII one: counted by the encoder, four times faster)
            if _NARROW_MARK(text) is None:
                return len(text) + (len(text.encode()) - len(text)) // 2
            return len(text) + sum(c >= "\u3000" for c in text)
        import wcwidth

        return int(wcwidth.wcswidth(text))


def _all_text(strings: object, has_invisible: bool = True, numparse: bool = True) -> type:
    return str


@functools.cache
def _tabulate() -> Any:
    """tabulate, set up once: wide characters on, memoised widths, and no per-cell type
    inference (every cell we pass is already a string and number parsing is off, so each
    column is text; tabulate would otherwise run an ANSI-stripping regex on every cell)."""
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    tabulate.wcwidth = _CachedWidth
    tabulate._column_type = _all_text
    return tabulate


def csv_cells(table: Table) -> list[list[str]]:
    """:func:`text_cells` for CSV: text that a spreadsheet could run as a formula (= + - @ TAB
    CR first) is neutralised with a leading ', numbers are not (a -3 stays -3)."""
    # start-up: `list` does not load spreadsheets
    from reformctl.spreadsheets import csv_text_cell

    return [
        [csv_text_cell(cell, raw) for cell, raw in zip(cells, row, strict=True)]
        for cells, row in zip(text_cells(table), table.rows, strict=True)
    ]


def write_csv(table: Table, stream: IO[str], headers: list[str] | None = None) -> None:
    """The table as CSV: its header row (unless ``headers`` is given), then its cells."""
    # start-up: `list` does not load spreadsheets
    from reformctl.spreadsheets import csv_cell, csv_line

    headers = [c.header for c in table.columns] if headers is None else headers
    stream.write(csv_line(csv_cell(h) for h in headers))
    for row in csv_cells(table):
        stream.write(csv_line(row))


def write_text(table: Table, fmt: str, stream: IO[str]) -> None:
    table = table.with_light_column()  # text has no colour: the lights in words
    cells = text_cells(table)
    if fmt == "markdown":  # a pipe or line break in a cell must not break the Markdown table
        cells = [[_md_cell(c) for c in row] for row in cells]
    elif fmt != "csv" and has_invisible("".join(map("".join, cells))):
        cells = [[visible(c) for c in row] for row in cells]  # one value, one line, nothing a
        # terminal or a CI log would run (else each cell is visible as it is)
    headers = [c.header for c in table.columns]
    if not table.show_header and fmt != "markdown":
        headers = []
    if fmt == "csv":
        write_csv(table, stream, headers)
        return
    aligns = ["right" if c.align == "right" else "left" for c in table.columns]
    tablefmt = "github" if fmt == "markdown" else "simple"
    if table.title:
        # titles are reformctl's words around a typed title: kept on one line, not escaped
        title = f"### {visible(table.title)}" if fmt == "markdown" else safe_line(table.title)
        stream.write(title + "\n\n")
    # plain: tabulate's layout without importing it (see render/plaintable.py)
    # (the cells are visible here: what layout makes of them is those, the headers, blanks,
    # dashes and line breaks, so only its headers could hold anything to show otherwise)
    body = (
        None
        if fmt == "markdown"
        else layout(cells, headers, aligns, _CachedWidth.wcswidth, visible=True)
    )
    laid_out = body is not None
    if body is None:
        body = _tabulated(cells, headers, tablefmt, aligns)
    shown = "".join(headers) if laid_out else body.replace("\n", "")
    if fmt != "markdown" and ("::" in body or has_invisible(shown)):
        # a row whose first cell is typed text must not start a command (a body with no `::`
        # and nothing to show otherwise is safe as it is)
        body = "\n".join(safe_line(line) for line in body.split("\n"))
    stream.write(body + "\n")
    for note in table.notes:
        stream.write(("\n" if fmt == "markdown" else "") + safe_line(note) + "\n")


def _tabulated(cells: list[list[str]], headers: list[str], tablefmt: str, aligns: list[str]) -> str:
    tabulate = _tabulate()
    if not cells:
        return str(tabulate.tabulate([], headers=headers, tablefmt=tablefmt))
    return str(
        tabulate.tabulate(
            cells,
            headers=headers,
            tablefmt="plain" if not headers else tablefmt,
            colalign=aligns,
            disable_numparse=True,
        )
    )


def _md_cell(text: str) -> str:
    """A Markdown table cell: ``|`` escaped, line breaks as ``<br>``, control characters
    shown as escapes (a lone ``\\r`` would end the row)."""
    text = text.replace("|", "\\|").replace("\r\n", "<br>")
    return visible(text.replace("\r", "<br>").replace("\n", "<br>"))
