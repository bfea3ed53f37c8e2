"""The display table every text format renders: its columns, rows and warning lights, and the
cells that read as percentages or dates with a note. Nothing here writes anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reformctl.records import field, record


@record
class Column:
    header: str
    align: str = "left"  # or "right"
    bar: bool = False  # cell is a fraction 0..1: a bar on a terminal, a percentage elsewhere
    nowrap: bool = False  # IDs and dates never fold
    key: bool = False  # on a terminal: never cut nor dropped (a unit's name); breaks at spaces
    clip: bool = False  # on a narrow terminal: shortened with … rather than folded
    optional: bool = False  # on a narrow terminal: left out before a title gets too short


@record(frozen=False)
class Table:
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    lights: list[str | None] = field(default_factory=list)  # one per row
    title: str | None = None
    notes: list[str] = field(default_factory=list)  # lines printed under the table
    show_header: bool = True
    # where no column names the state: a header and a word per light, for output without colour
    light_words: tuple[str, dict[str, str]] | None = None

    def add(self, cells: list[Any], light: str | None = None) -> None:
        self.rows.append(cells)
        self.lights.append(light)

    def with_light_column(self) -> Table:
        """This table with its warning lights as a last column of words (红/黄/绿), where
        colour cannot show them (NO_COLOR, piped text, Markdown, CSV)."""
        if self.light_words is None:
            return self
        header, words = self.light_words
        return Table(
            [*self.columns, Column(header, nowrap=True)],
            [
                [*row, words.get(light or "", "")]
                for row, light in zip(self.rows, self.lights, strict=True)
            ],
            list(self.lights),
            self.title,
            list(self.notes),
            self.show_header,
        )


def percent(value: Any) -> str:
    if value is None or value == "":
        return ""  # no figure (an invalid revision in history, say)
    return f"{round(float(value) * 100)}%"


class Share(float):
    """A fraction that reads as a percentage (67%) in every text format and stays a number (with
    a percentage format) in a workbook."""

    __slots__ = ()

    def __str__(self) -> str:
        return percent(self)

    def __repr__(self) -> str:
        return percent(self)


class NotedDate(dt.date):
    """A date with a note after it in text (2026-09-30（延期1次）); a date cell in a workbook."""

    note: str

    def __new__(cls, day: dt.date, note: str) -> NotedDate:
        obj = super().__new__(cls, day.year, day.month, day.day)
        obj.note = note
        return obj

    def __str__(self) -> str:
        return self.isoformat() + self.note


def share(value: Any) -> Share:
    return Share(float(value))


def bar(value: Any, width: int = 10) -> str:
    if value is None or value == "":
        return ""
    filled = round(float(value) * width)
    return "█" * filled + "░" * (width - filled) + f" {percent(value):>4}"


def text_cells(table: Table) -> list[list[str]]:
    """Cells as strings for the text formats (bars become percentages)."""
    bars = [i for i, c in enumerate(table.columns) if c.bar]
    out = []
    for row in table.rows:
        cells = ["" if v is None else str(v) for v in row]
        for i in bars:
            cells[i] = percent(row[i])
        out.append(cells)
    return out
