"""Rich tables for a person at a terminal: the office's warning lights and progress bars.

Red: overdue. Yellow: behind or due soon. Green: on track or ahead. Dim: closed.
Long Chinese text folds instead of being cut.
"""

from __future__ import annotations

from typing import IO

from reformctl.render import Table, bar
from reformctl.render.console import make_console
from reformctl.render.escape import visible


def print_table(table: Table, stream: IO[str]) -> None:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    console = make_console(stream)
    rich_table = RichTable(
        title=table.title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        header_style="bold",
        pad_edge=False,
        expand=False,
        collapse_padding=True,
        show_header=table.show_header,
    )
    for col in table.columns:
        rich_table.add_column(
            col.header,
            justify="right" if col.align == "right" else "left",
            no_wrap=col.nowrap or col.bar or col.align == "right",
            overflow="fold",
        )
    bars = [c.bar for c in table.columns]
    bar_width = 10 if console.width >= 120 else 5
    for row, light in zip(table.rows, table.lights, strict=True):
        cells = [
            Text(bar(v, bar_width) if is_bar else ("" if v is None else visible(str(v))))
            for v, is_bar in zip(row, bars, strict=True)
        ]
        rich_table.add_row(*cells, style=light)
    console.print(rich_table)
    for note in table.notes:
        console.print(note, style="dim", markup=False)
