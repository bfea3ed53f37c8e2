""".xls workbooks (BIFF, Excel 97-2003) given to ``import``, read by xlrd with formatting: only
cells formatted as dates are dates; cell records are counted before any is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.spreadsheets import limits
from reformctl.spreadsheets.limits import MAX_COLUMNS, MAX_ROWS, _Budget, _unreadable
from reformctl.spreadsheets.sheet import Sheet

# BIFF records that hold cells, and how many each holds (MULBLANK/MULRK: one a column)
_BIFF_CELLS = {0x0201, 0x0203, 0x0204, 0x0205, 0x0006, 0x027E, 0x00FD, 0x00D6}
_BIFF_MULBLANK, _BIFF_MULRK = 0x00BE, 0x00BD


def _biff_cells(stream: bytes, file: str) -> None:
    """Refuse an .xls whose records declare more cells than MAX_CELLS (blank ones included:
    a MULBLANK record of 500 bytes declares 256), before xlrd builds any of them."""
    import struct

    n, pos, end = 0, 0, len(stream)
    unpack = struct.Struct("<HH").unpack_from
    while pos + 4 <= end:
        code, length = unpack(stream, pos)
        if code in _BIFF_CELLS:
            n += 1
        elif code == _BIFF_MULBLANK:
            n += max(length - 6, 0) // 2
        elif code == _BIFF_MULRK:
            n += max(length - 6, 0) // 6
        if n > limits.MAX_CELLS:  # read when used: a test lowers it
            raise ReformctlError("import-too-many-cells", file=file, limit=limits.MAX_CELLS)
        pos += 4 + length


def _xls_value(ctype: int, value: Any, datemode: int) -> Any:
    import xlrd

    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_TEXT:
        return value
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    if ctype == xlrd.XL_CELL_DATE:  # a number in a cell formatted as a date
        try:
            return xlrd.xldate.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            pass  # no day (a negative serial): the number, refused by the date reader
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_xls(path: Path, data: bytes) -> list[Sheet]:
    """Every worksheet of an Excel 97-2003 workbook, read by xlrd with its formatting: only
    cells formatted as dates are dates; merged ranges, hidden columns and rows as in the file.
    Rows are ragged (no padding to the widest row); cell records are counted before any is
    built."""
    import os

    file = str(path)
    budget = _Budget(file)
    sheets: list[Sheet] = []
    try:
        import xlrd

        with open(os.devnull, "w") as quiet:  # xlrd writes warnings to its log file
            book = xlrd.open_workbook(
                file_contents=data,
                formatting_info=True,
                on_demand=True,
                ragged_rows=True,
                logfile=quiet,
            )
            _biff_cells(bytes(book.mem[book.base : book.base + book.stream_len]), file)
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                rows = (
                    [
                        _xls_value(sheet.cell_type(r, c), sheet.cell_value(r, c), book.datemode)
                        for c in range(sheet.row_len(r))
                    ]
                    for r in range(sheet.nrows)
                )
                taken = budget.take(rows, sheet.name)
                sheets.append(
                    Sheet(
                        sheet.name,
                        taken,
                        merged=[
                            (top, left, bottom - 1, right - 1)
                            for top, bottom, left, right in sheet.merged_cells
                            if 0 <= top < bottom <= MAX_ROWS and 0 <= left < right <= MAX_COLUMNS
                        ],
                        hidden_columns=frozenset(
                            c
                            for c, info in sheet.colinfo_map.items()
                            if info.hidden and c < MAX_COLUMNS
                        ),
                        hidden_rows=frozenset(
                            r
                            for r, info in sheet.rowinfo_map.items()
                            if info.hidden and r < len(taken)
                        ),
                        kind="xls",
                        hidden=sheet.visibility != 0,  # 1 hidden, 2 very hidden
                    )
                )
                book.unload_sheet(index)
    except ReformctlError:
        raise
    except Exception as exc:  # xlrd reports a broken file as whatever it tripped on
        raise _unreadable(exc, file, "import-not-xls") from None
    if not sheets:
        raise ReformctlError("import-no-sheets", file=file)
    return sheets
