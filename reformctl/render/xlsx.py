"""A report as an Excel workbook (openpyxl): a sheet per section, Chinese headers, column widths,
a frozen header row, red and yellow fills for overdue and behind."""

from __future__ import annotations

import datetime as dt
import io
import re
from fractions import Fraction
from typing import Any

from reformctl.reports import Report

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "dim": "EDEDED"}


def _width(text: str) -> int:
    from wcwidth import wcswidth

    return max(wcswidth(line) for line in text.splitlines()) if text else 0


def _cell_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    if value is None:
        return ""
    if isinstance(value, (int, float, dt.date, str)):
        return value
    return str(value)


def workbook_bytes(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    header_fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    bold = Font(bold=True)
    used: set[str] = set()
    for section in report.sections:
        name = _BAD_SHEET_CHARS.sub("", section.title)[:31] or section.key
        while name in used:
            name = name[:29] + f"{len(used):02d}"
        used.add(name)
        ws = wb.create_sheet(name)
        table = section.table
        widths = [_width(c.header) for c in table.columns]
        rows = []
        for cells in table.rows:
            values = [_cell_value(v) for v in cells]
            rows.append(values)
            for i, v in enumerate(values):
                text = f"{v:.0%}" if table.columns[i].bar and isinstance(v, float) else str(v)
                widths[i] = max(widths[i], _width(text))
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 6), 60)
        ws.freeze_panes = "A2"
        header = []
        for c in table.columns:
            cell = WriteOnlyCell(ws, value=c.header)
            cell.font, cell.fill = bold, header_fill
            header.append(cell)
        ws.append(header)
        wrap = Alignment(wrap_text=True, vertical="top")
        for values, light in zip(rows, table.lights, strict=True):
            fill = fills.get(light or "")
            out = []
            for i, v in enumerate(values):
                cell = WriteOnlyCell(ws, value=v)
                if table.columns[i].bar and isinstance(v, float):
                    cell.number_format = "0%"
                elif isinstance(v, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                if fill is not None:
                    cell.fill = fill
                if isinstance(v, str) and len(v) > 30:
                    cell.alignment = wrap
                out.append(cell)
            ws.append(out)
        for note in table.notes:
            ws.append([note])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
