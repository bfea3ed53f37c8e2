"""CSV written for clerks: every text cell neutralised (:func:`csv_cell`), quoted as every
reader expects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from reformctl.spreadsheets.formulas import csv_cell


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV row, as the csv module writes it (RFC 4180 quoting, "\n" line ends), except that
    a cell holding a carriage return is quoted too: Python 3.11's writer leaves it bare when the
    line end is "\n", and every reader then ends the row there."""
    fields = []
    for value in cells:
        text = "" if value is None else str(value)
        if any(c in text for c in ',"\r\n'):
            text = '"' + text.replace('"', '""') + '"'
        fields.append(text)
    if fields == [""]:
        return '""\n'  # a row of one empty cell, not an empty row
    return ",".join(fields) + "\n"


def write_csv(stream: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    """Rows to ``stream`` as CSV, every text cell through :func:`csv_cell`."""
    for row in rows:
        stream.write(csv_line(csv_cell(v) for v in row))
