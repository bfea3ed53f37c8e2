"""Spreadsheet files exchanged with clerks, made safe in both directions.

Out: a text cell that a spreadsheet program would run as a formula is neutralised the OWASP way
(:func:`csv_cell`); numbers are left as numbers. In: a file given to ``import`` (.xlsx and
.xlsm through openpyxl, .xls through xlrd, .ods streamed with lxml, CSV in UTF-8 or GB18030, the
tables of a .docx through python-docx: :func:`read_sheets`) is read within the limits below, so
that a hostile or broken file (a huge declared sheet size, a zip bomb, a billion-laughs entity,
a truncated zip, a million rows) is refused with one line (exit 2) instead of filling memory,
running for ever or crashing. Every limit is in :mod:`~reformctl.spreadsheets.limits`.

One module a format family: ``xlsx`` (.xlsx, .xlsm), ``legacy`` (.xls), ``ods``, ``text``
(CSV), ``docx``; ``sheet`` the table they all give; ``formulas`` and ``write`` the way out.

Pure of the CLI: the caller gets rows of cell values or a :class:`ReformctlError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.spreadsheets.docx import read_docx
from reformctl.spreadsheets.formulas import (
    csv_cell,
    csv_text_cell,
    from_ooxml_text,
    ooxml_text,
    restore_csv_cell,
)
from reformctl.spreadsheets.legacy import read_xls
from reformctl.spreadsheets.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MiB,
    _read_bytes,
)
from reformctl.spreadsheets.ods import read_ods
from reformctl.spreadsheets.sheet import Sheet
from reformctl.spreadsheets.text import csv_text, read_csv
from reformctl.spreadsheets.write import csv_line, write_csv
from reformctl.spreadsheets.xlsx import read_workbook

__all__ = [
    "FORMATS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_PARTS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MiB",
    "Sheet",
    "csv_cell",
    "csv_line",
    "csv_text",
    "csv_text_cell",
    "from_ooxml_text",
    "ooxml_text",
    "read_csv",
    "read_docx",
    "read_ods",
    "read_sheets",
    "read_table",
    "read_workbook",
    "read_xls",
    "restore_csv_cell",
    "write_csv",
]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: .xls (or .doc)
_ZIP = b"PK\x03\x04"


FORMATS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx")


def read_sheets(path: Path) -> list[Sheet]:
    """Every table of a file given to ``import``, in the file's order, within the limits above:
    .xlsx and .xlsm (openpyxl), .xls (xlrd), .ods, .csv, and the tables of a .docx. An Excel
    file is read by what its bytes are (an .xls that is really an .xlsx, as offices rename
    them, reads as one); a web page saved as .xls is refused with what to do."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [Sheet("", read_csv(path), kind="csv")]
    if suffix == ".doc":
        raise ReformctlError("import-doc", file=str(path))
    if suffix not in FORMATS:
        raise ReformctlError("import-format", ext=suffix or path.name)
    data = _read_bytes(path)
    if suffix == ".ods":
        return read_ods(path, data)
    if suffix == ".docx":
        return read_docx(path, data)
    if data.startswith(_ZIP):
        return read_workbook(path, data, "xlsx" if suffix == ".xls" else None)
    if data.startswith(_OLE) or suffix == ".xls":
        if data[:1024].lstrip().lower().startswith((b"<", b"\xef\xbb\xbf<")):
            raise ReformctlError("import-html-xls", file=str(path))
        return read_xls(path, data)
    return read_workbook(path, data)


def read_table(path: Path) -> dict[str, list[list[Any]]]:
    """Sheets of a workbook (or the one table of a CSV, under the name "") as rows of values,
    merged cells filled."""
    return {sheet.name: sheet.filled() for sheet in read_sheets(path)}
