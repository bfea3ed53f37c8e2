"""Plain, Markdown and CSV: tabulate (with wcwidth, so CJK columns align) and the csv module."""

from __future__ import annotations

import csv
from typing import IO

from reformctl.render import Table, text_cells


def write_text(table: Table, fmt: str, stream: IO[str]) -> None:
    cells = text_cells(table)
    if fmt == "markdown":  # a pipe or newline in a cell must not break the Markdown table
        cells = [[c.replace("|", "\\|").replace("\n", "<br>") for c in row] for row in cells]
    headers = [c.header for c in table.columns]
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(cells)
        return
    import tabulate

    tabulate.WIDE_CHARS_MODE = True  # needs wcwidth, a declared dependency
    aligns = ["right" if c.align == "right" else "left" for c in table.columns]
    tablefmt = "github" if fmt == "markdown" else "simple"
    if table.title:
        stream.write((f"### {table.title}" if fmt == "markdown" else table.title) + "\n\n")
    if cells:
        body = tabulate.tabulate(
            cells, headers=headers, tablefmt=tablefmt, colalign=aligns, disable_numparse=True
        )
    else:
        body = tabulate.tabulate([], headers=headers, tablefmt=tablefmt)
    stream.write(body + "\n")
    for note in table.notes:
        stream.write(("\n" if fmt == "markdown" else "") + note + "\n")
