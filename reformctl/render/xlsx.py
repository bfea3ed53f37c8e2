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


LINE_HEIGHT = 16.5  # points: a line of 11 pt Chinese text (CJK faces stand taller than Calibri)


def row_height(values: Sequence[Any], widths: list[int], wrapped: set[int]) -> float | None:
    """The height of a row whose long text wraps, in points (None: one line). Set by hand:
    LibreOffice does not fit rows to wrapped text when it opens a workbook."""
    lines = 1
    for i in wrapped:
        v = values[i] if i < len(values) else None
        if isinstance(v, str) and v:
            lines = max(lines, -(-_width(v) // max(widths[i] - 1, 1)))
    return LINE_HEIGHT * lines if lines > 1 else None


_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# cell styles (cellXfs) of the workbooks sheets_bytes writes, by index
PLAIN, TITLE, HEADER, TOP, WRAP, DATE = range(6)
_STYLES = (
    f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor rgb="FFD9D9D9"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _xml(text: str) -> str:
    """Text for an element's content: XML's three escapes, a carriage return kept as such
    (a parser would read a bare one as a line feed), and OOXML's _xHHHH_ for the characters
    XML cannot hold."""
    return ooxml_text(text).translate(_XML_ESCAPES)


class _Strings:
    """Text cells, written inline (as openpyxl writes them, and as import reads them back:
    its reader undoes the _xHHHH_ escapes of inline strings once). Each text is escaped once
    (a point's title repeats on each of its milestones' rows)."""

    def __init__(self) -> None:
        self.escaped: dict[str, str] = {}

    def cell(self, ref: str, text: str, style: int) -> str:
        xml = self.escaped.get(text)
        if xml is None:
            xml = self.escaped[text] = _xml(text)
        return (
            f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{xml}</t></is></c>'
        )


def _sheet_xml(
    header: list[str], rows: list[list[Any]], lines: Sequence[str], strings: _Strings
) -> str:
    """One sheet's XML, written directly: the cells are plain values, so this is a string
    join per row where openpyxl builds and serialises an object per cell (20x the time on a
    10,000-point 台账). Text is always a string cell (never a formula, never an error value),
    numbers are numbers, dates are date serials in yyyy-mm-dd."""
    from openpyxl.utils import get_column_letter

    ncol = len(header)
    letters = [get_column_letter(i) for i in range(1, max(ncol, 1) + 1)]
    widths, wrapped = column_widths(header, rows)
    head = len(lines) + 1
    styles = [WRAP if i in wrapped else TOP for i in range(ncol)]
    out: list[str] = []
    add = out.append
    for r, text in enumerate(lines, 1):
        tall = ' ht="30" customHeight="1"' if r == 1 else ""
        add(f'<row r="{r}"{tall}>{strings.cell(f"A{r}", text, TITLE if r == 1 else PLAIN)}</row>')
    cells = "".join(strings.cell(f"{letters[i]}{head}", h, HEADER) for i, h in enumerate(header))
    add(f'<row r="{head}">{cells}</row>')
    for r, row in enumerate(rows, head + 1):
        height = row_height(row, widths, wrapped) if wrapped else None
        add(f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">')
        for i, v in enumerate(row):
            value = _cell_value(v)
            if value is None:
                continue
            ref = f"{letters[i]}{r}"
            if isinstance(value, str):
                add(strings.cell(ref, value, styles[i]))
            elif isinstance(value, bool):
                add(f'<c r="{ref}" s="{styles[i]}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                add(f'<c r="{ref}" s="{DATE}"><v>{(day - _EPOCH).days}</v></c>')
            else:
                add(f'<c r="{ref}" s="{styles[i]}"><v>{value!r}</v></c>')
        add("</row>")
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)
    )
    merge = (
        f'<mergeCells count="1"><mergeCell ref="A1:{letters[ncol - 1]}1"/></mergeCells>'
        if lines and ncol > 1
        else ""
    )
    return (
        f'<worksheet xmlns="{_NS}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{head}" topLeftCell="A{head + 1}" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>{''.join(out)}</sheetData>{merge}"
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )


def sheets_bytes(
    sheets: dict[str, tuple[list[str], list[list[Any]]]],
    heads: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """Plain sheets (header row, then rows) as a workbook: widths, a frozen header printed at
    the top of every page (landscape A4, fitted to the width), cells at the top of their row,
    long text wrapping (:func:`column_widths`). ``heads`` gives a sheet rows above its header:
    a title (centred over the columns), then e.g. an as-of row."""
    import zipfile

    strings = _Strings()
    parts: list[tuple[str, str]] = []
    names, titles = [], []
    for n, (name, (header, rows)) in enumerate(sheets.items(), 1):
        lines = list((heads or {}).get(name, ()))
        parts.append((f"xl/worksheets/sheet{n}.xml", _sheet_xml(header, rows, lines, strings)))
        quoted = name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        names.append(f'<sheet name="{quoted}" sheetId="{n}" r:id="rId{n}"/>')
        row = len(lines) + 1
        sheet_ref = "'" + _xml(name).replace("'", "''") + "'"
        titles.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n - 1}">'
            f"{sheet_ref}!${row}:${row}</definedName>"
        )
    count = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    parts += [
        (
            "[Content_Types].xml",
            f'<Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{overrides}</Types>",
        ),
        (
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{"".join(names)}</sheets>'
            f"<definedNames>{''.join(titles)}</definedNames></workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG}/relationships">{sheet_rels}'
            f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        ),
        ("xl/styles.xml", _STYLES),
    ]
    buffer = io.BytesIO()
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, xml in parts:
            z.writestr(name, (declaration + xml).encode("utf-8"))
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
