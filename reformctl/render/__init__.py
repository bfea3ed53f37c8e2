"""Rendering behind one small interface: a :class:`Table` of display rows plus the JSON records.

``emit(table, records, fmt)`` writes either: ``table`` (rich, with warning lights, on a terminal),
``plain`` / ``markdown`` (tabulate with wcwidth, so CJK columns line up), ``csv`` or ``json``
(stable keys, ISO dates, UTF-8 unescaped). Nothing here knows about typer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import IO, Any

from reformctl.render.table import (
    Column,
    NotedDate,
    Share,
    Table,
    bar,
    percent,
    share,
    text_cells,
)

__all__ = [
    "FORMATS",
    "LIGHTS",
    "Column",
    "NotedDate",
    "Share",
    "Table",
    "bar",
    "default_format",
    "emit",
    "emit_lines",
    "emit_table",
    "percent",
    "share",
    "text_cells",
]

FORMATS = ("table", "plain", "markdown", "csv", "json")
LIGHTS = ("red", "yellow", "green", "dim")


def default_format(stream: IO[str] | None = None) -> str:
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "plain"


def emit(
    fmt: str | None,
    table: Callable[[], Table],
    records: Callable[[], Any],
    stream: IO[str] | None = None,
) -> None:
    """Write the display table, or the JSON records, to ``stream`` in ``fmt``.

    Both come as builders, so that only the one asked for is made (10,000 rows cost).
    """
    stream = stream or sys.stdout
    fmt = fmt or default_format(stream)
    if fmt == "json":
        # start-up: `list` does not load render.json
        from reformctl.render.json import write_json

        write_json(records(), stream)
    else:
        emit_table(table(), fmt, stream)


def emit_table(table: Table, fmt: str | None, stream: IO[str] | None = None) -> None:
    """Write one display table in a text format (table, plain, markdown or csv)."""
    stream = stream or sys.stdout
    fmt = fmt or default_format(stream)
    if fmt == "table":
        # start-up: `check` does not load render.terminal
        from reformctl.render.terminal import print_table

        print_table(table, stream)
    else:
        # start-up: `check` does not load render.text
        from reformctl.render.text import write_text

        write_text(table, fmt, stream)


def emit_lines(lines: Sequence[str], stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    for line in lines:
        stream.write(line + "\n")
