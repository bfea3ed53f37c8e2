"""A report as an Excel workbook (openpyxl): a sheet per section, Chinese headers, column widths,
a frozen header row, red and yellow fills for overdue and behind."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from reformctl.render import Share
from reformctl.reports import Report
from reformctl.spreadsheets import ooxml_text

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "dim": "EDEDED"}


@functools.lru_cache(maxsize=1 << 16)
def _width(text: str) -> int:
    """Display width (CJK counts two), for column widths; unit names repeat, so it is cached."""
    if text.isascii():
        return max(map(len, text.splitlines()), default=0)
    from wcwidth import wcswidth

    return max((wcswidth(line) for line in text.splitlines()), default=0)


def _cell_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    if value is None or value == "":
        return None  # an empty cell is not written at all (a big sheet has many)
    if isinstance(value, (int, float, dt.date, str)):
        return value
    return str(value)


def _cell(ws: Any, value: Any) -> Any:
    """A write-only cell. Text is always a string cell: openpyxl would store "=HYPERLINK(...)" as
    a live formula and "#N/A" as an error value; characters XML cannot hold are escaped the
    OOXML way (_x000C_), which Excel shows as the character and import reads back."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=ooxml_text(value))
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(ws, value=value)


def _header_cells(ws: Any, headers: list[str]) -> list[Any]:
    """The header row: bold on grey."""
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    cells = []
    for text in headers:
        cell = _cell(ws, text)
        cell.font, cell.fill = Font(bold=True), fill
        cells.append(cell)
    return cells


class _NamedStyles:
    """One named style per (warning light, kind of cell), registered once: setting a cell's
    style by name costs far less than building fills per cell (openpyxl hashes each)."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.names: set[str] = set()

    def get(self, tone: str, kind: str) -> str:
        from openpyxl.styles import Alignment, NamedStyle, PatternFill

        name = f"reformctl-{tone or 'plain'}-{kind or 'text'}"
        if name not in self.names:
            style = NamedStyle(name=name)
            if tone:
                style.fill = PatternFill("solid", start_color=FILLS[tone], end_color=FILLS[tone])
            if kind == "pct":
                style.number_format = "0%"
            elif kind == "wrap":
                style.alignment = Alignment(wrap_text=True, vertical="top")
            elif kind == "date":
                style.number_format = "yyyy-mm-dd"
            self.wb.add_named_style(style)
            self.names.add(name)
        return name


LIGHT_WORDS = {
    "zh": {"red": "红", "yellow": "黄", "dim": "灰"},
    "en": {"red": "red", "yellow": "yellow", "dim": "dim"},
}
STYLED_ROWS = 2000  # per-cell styles (percent, wrapping) only on tables up to this size


HEAD = 3  # rows above the data in a report's sheet: title, as-of, header


def title_cells(ws: Any, title: str) -> list[Any]:
    from openpyxl.styles import Font

    cell = _cell(ws, title)
    cell.font = Font(bold=True, size=14)
    return [cell]


def print_setup(ws: Any, header_row: int) -> None:
    """Landscape A4, fitted to the page's width (as many pages down as it takes), the header
    row printed at the top of every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def workbook_bytes(report: Report, lang: str = "zh") -> bytes:
    """A sheet per section. The warning lights are a 预警 column (红/黄/灰) and conditional
    formatting that fills the row: Excel shows the colours, and they follow the rows when a
    clerk sorts or filters (per-cell fills would also cost seconds on a 10,000-row sheet)."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    styles = _NamedStyles(wb)
    words = LIGHT_WORDS["en" if lang == "en" else "zh"]
    used: set[str] = set()
    for section in report.sections:
        name = _BAD_SHEET_CHARS.sub("", section.title)[:31] or section.key
        while name in used:
            name = name[:29] + f"{len(used):02d}"
        used.add(name)
        ws = wb.create_sheet(name)
        table = section.table
        lit = any(table.lights)
        headers = [c.header for c in table.columns] + (
            ["预警" if lang != "en" else "Light"] if lit else []
        )
        bars = [c.bar for c in table.columns]
        styled = len(table.rows) <= STYLED_ROWS
        widths = [_width(h) for h in headers]
        rows = []
        for cells, light in zip(table.rows, table.lights, strict=True):
            values: list[Any] = [_cell_value(v) for v in cells]
            if lit:
                values.append(words.get(light or ""))
            rows.append(values)
            for i, v in enumerate(values):
                if v is None:
                    continue
                text = f"{v:.0%}" if i < len(bars) and bars[i] and isinstance(v, float) else str(v)
                widths[i] = max(widths[i], _width(text))
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 6), 60)
        # a title and an as-of row above the header, which repeats on every printed page
        ws.freeze_panes = f"A{HEAD + 1}"
        print_setup(ws, HEAD)
        last = get_column_letter(len(headers))
        if lit and rows:
            area = f"A{HEAD + 1}:{last}{len(rows) + HEAD}"
            for light, word in words.items():
                fill = PatternFill("solid", start_color=FILLS[light], end_color=FILLS[light])
                ws.conditional_formatting.add(
                    area, FormulaRule(formula=[f'${last}{HEAD + 1}="{word}"'], fill=fill)
                )
        ws.append(title_cells(ws, report.title))
        ws.append([_cell(ws, report.subtitle)])
        ws.append(_header_cells(ws, headers))
        for values in rows:
            if not styled:
                ws.append([_cell(ws, v) if isinstance(v, str) else v for v in values])
                continue
            out: list[Any] = []
            for i, v in enumerate(values):
                if isinstance(v, Share) or (i < len(bars) and bars[i] and isinstance(v, float)):
                    kind = "pct"
                elif isinstance(v, dt.date):
                    kind = "date"
                elif isinstance(v, str) and len(v) > 30:
                    kind = "wrap"
                else:
                    out.append(_cell(ws, v) if isinstance(v, str) else v)
                    continue
                cell = _cell(ws, float(v) if kind == "pct" else v)
                cell.style = styles.get("", kind)
                out.append(cell)
            ws.append(out)
        for note in table.notes:
            ws.append([_cell(ws, note)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _title_rows(ws: Any, lines: Sequence[str], ncol: int) -> None:
    """A title (bold, centred over the table's columns) and the lines under it (an as-of
    row...), written above a sheet's header row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for r, text in enumerate(lines, 1):
        cell = _cell(ws, text)
        if r == 1:
            cell.font = Font(bold=True, size=16)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if ncol > 1:
                ws.merged_cells.add(f"A1:{get_column_letter(ncol)}1")
        ws.append([cell])
    if lines:
        ws.row_dimensions[1].height = 30


WRAP_AT = 20  # a column wider than this (in characters) is this wide and its text wraps


def column_widths(header: list[str], rows: list[list[Any]]) -> tuple[list[int], set[int]]:
    """Each column's width in characters (its longest cell, CJK counting two) and the columns
    whose long text wraps at WRAP_AT instead: a 台账 printed landscape and fitted to the page's
    width stays legible when 实施路径 does not take a whole line."""
    widths = [_width(h) for h in header]
    for row in rows:
        for i, v in enumerate(row):
            if v is not None and v != "":
                widths[i] = max(widths[i], _width(str(v)))
    wrapped = {i for i, w in enumerate(widths) if w > WRAP_AT}
    return [min(max(w + 2, 6), WRAP_AT + 2) for w in widths], wrapped


LINE_HEIGHT = 15  # points: a row of one line at the default 11 pt


def row_height(values: Sequence[Any], widths: list[int], wrapped: set[int]) -> float | None:
    """The height of a row whose long text wraps, in points (None: one line). Set by hand:
    LibreOffice does not fit rows to wrapped text when it opens a workbook."""
    lines = 1
    for i in wrapped:
        v = values[i] if i < len(values) else None
        if isinstance(v, str) and v:
            lines = max(lines, -(-_width(v) // max(widths[i] - 1, 1)))
    return LINE_HEIGHT * lines if lines > 1 else None


def sheets_bytes(
    sheets: dict[str, tuple[list[str], list[list[Any]]]],
    heads: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """Plain sheets (header row, then rows) as a workbook, with widths and a frozen header.
    ``heads`` gives a sheet rows above its header: a title (centred over the columns), then
    e.g. an as-of row; the header row is printed at the top of every page. Cells sit at the
    top of their row; long text wraps (:func:`column_widths`)."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        lines = list((heads or {}).get(name, ()))
        header_row = len(lines) + 1
        widths, wrapped = column_widths(header, rows)
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = f"A{header_row + 1}"
        print_setup(ws, header_row)
        _title_rows(ws, lines, len(header))
        heading = _header_cells(ws, header)
        for cell in heading:
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.append(heading)
        # one style each, built once and copied to each cell (a 10,000-point 台账 has 700,000)
        top, wrap, date = (Cell(ws, 1, 1) for _ in range(3))
        top.alignment = Alignment(vertical="top")
        wrap.alignment = Alignment(vertical="top", wrap_text=True)
        date.alignment = Alignment(vertical="top")
        date.number_format = "yyyy-mm-dd"
        styles = [wrap._style if i in wrapped else top._style for i in range(len(header))]
        for r, row in enumerate(rows, header_row + 1):
            if wrapped:
                height = row_height(row, widths, wrapped)
                if height:
                    ws.row_dimensions[r].height = height
            out = []
            for i, v in enumerate(row):
                value = _cell_value(v)
                if isinstance(value, str):
                    cell = Cell(ws, 1, 1, value=ooxml_text(value), style_array=styles[i])
                    cell.data_type = "s"  # never a formula, never an error value
                elif isinstance(value, dt.date):
                    cell = Cell(ws, 1, 1, value=value, style_array=date._style)
                else:
                    cell = Cell(ws, 1, 1, value=value, style_array=styles[i])
                out.append(cell)
            ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_bytes(
    headers: list[str],
    rows: list[list[Any]],
    title: str,
    as_of: str,
    note: str,
    year: int,
    spare: int = 30,
) -> bytes:
    """A unit's return form (填报表): a title, an as-of row and a note above the 台账 headers
    plus 本月进展; the ID columns (编号, 节点编号) of the rows given are locked (the sheet is
    protected without a password, every other cell open); date columns accept only dates of
    the year before to the year after; ``spare`` empty rows below for new milestones."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ncol = len(headers)
    last = get_column_letter(ncol)
    ws.append([ooxml_text(title)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([ooxml_text(as_of)])
    ws.append([ooxml_text(note)])
    ws.merge_cells(f"A3:{last}3")
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 36
    head = 4  # the header row; the rows above are text, the data starts below it
    for i, text in enumerate(headers, 1):
        cell = ws.cell(head, i, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ids = {headers.index(h) for h in ("编号", "节点编号") if h in headers}
    dates = [i for i, h in enumerate(headers) if h in ("完成时限", "完成日期", "销号日期")]
    widths, wrapped = column_widths(headers, rows)
    first = head + 1
    for r, values in enumerate(rows, start=first):
        ws.row_dimensions[r].height = row_height(values, widths, wrapped)
        for i, v in enumerate(values):
            cell = ws.cell(r, i + 1, ooxml_text(v) if isinstance(v, str) else _cell_value(v))
            if isinstance(v, str):
                cell.data_type = "s"
            if isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cell.protection = Protection(locked=i in ids)
            cell.alignment = Alignment(vertical="top", wrap_text=i in wrapped)
    first_spare = first + len(rows)
    for r in range(first_spare, first_spare + spare):
        for i in range(ncol):
            ws.cell(r, i + 1).protection = Protection(locked=False)
    end = first_spare + spare - 1
    check = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({year - 1},1,1)",
        formula2=f"DATE({year + 1},12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期有误",
        error=f"请填写{year - 1}年至{year + 1}年的日期，如 {year}-06-30",
    )
    ws.add_data_validation(check)
    for i in dates:
        letter = get_column_letter(i + 1)
        check.add(f"{letter}{first}:{letter}{end}")
        for r in range(first, end + 1):
            ws.cell(r, i + 1).number_format = "yyyy-mm-dd"
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(w, 8)
    ws.freeze_panes = f"A{first}"
    print_setup(ws, head)
    ws.protection.sheet = True
    for allowed in ("formatColumns", "formatRows", "formatCells", "autoFilter", "sort"):
        setattr(ws.protection, allowed, False)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
