"""Workbooks: a report (a sheet per section), the exported 台账 and its sheets, a unit's return
form. Chinese headers under a title and an as-of row, column widths, a frozen header printed
on every page (landscape A4, fitted to the width), red and yellow fills for overdue and behind.

Reports and the export are written as XML directly (their cells are plain values in a few
fixed styles: openpyxl's object per cell cost 4x the time); the return form, small and with
protection and validation, through openpyxl. Text is always a string cell, never a formula."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from itertools import chain
from typing import TYPE_CHECKING, Any

from reformctl.render.table import Share
from reformctl.spreadsheets import ooxml_text

if TYPE_CHECKING:
    from reformctl.render.circular import Shown

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


LIGHT_WORDS = {
    "zh": {"red": "红", "yellow": "黄", "dim": "灰"},
    "en": {"red": "red", "yellow": "yellow", "dim": "dim"},
}
HEAD = 3  # rows above the data in a report's sheet: title, as-of, header
# every printed page's footer, centred: page N of M (Excel's &P and &N codes)
PAGE_FOOTER = "第 &P 页，共 &N 页"


def print_setup(ws: Any, header_row: int) -> None:
    """Landscape A4, fitted to the page's width (as many pages down as it takes), the header
    row printed at the top of every page, the page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = PAGE_FOOTER


WRAP_AT = 20  # a column wider than this (in characters) is this wide and its text wraps


def column_widths(header: list[str], rows: list[list[Any]]) -> tuple[list[int], set[int]]:
    """Each column's width in characters (its longest cell, CJK counting two) and the columns
    whose long text wraps at WRAP_AT instead: a 台账 printed landscape and fitted to the page's
    width stays legible when 实施路径 does not take a whole line."""
    widths = [_width(h) for h in header]
    for i in range(len(header)):
        seen = {row[i] for row in rows if i < len(row)} - {None, ""}
        if seen:  # each distinct value once (a point's title repeats on each of its rows)
            widths[i] = max(widths[i], max(_width(str(v)) for v in seen))
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
_FOOTER_XML = "&amp;C" + PAGE_FOOTER.replace("&", "&amp;")  # centred section, XML-escaped
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# the cell styles (cellXfs) of every workbook written here, by index
PLAIN, TITLE, HEADER, TOP, WRAP, DATE, REPORT_TITLE, PCT = range(8)
_XF = (
    '<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{apply}>{align}</xf>'
)


def _xf(fmt: int = 0, font: int = 0, fill: int = 0, align: str = "") -> str:
    apply = "".join(
        f' apply{k}="1"'
        for k, on in (("NumberFormat", fmt), ("Font", font), ("Fill", fill), ("Alignment", align))
        if on
    )
    return _XF.format(
        fmt=fmt, font=font, fill=fill, apply=apply, align=f"<alignment {align}/>" if align else ""
    )


def _solid(rgb: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="00{rgb}"/><bgColor rgb="00{rgb}"/>'
        "</patternFill></fill>"
    )


_FONT = '<font>{b}<sz val="{size}"/><name val="Calibri"/><family val="2"/></font>'
_STYLES = (
    f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="4">'
    + _FONT.format(b="", size=11)
    + _FONT.format(b="<b/>", size=16)
    + _FONT.format(b="<b/>", size=11)
    + _FONT.format(b="<b/>", size=14)
    + "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>' + _solid("D9D9D9") + "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    + _xf()  # PLAIN
    + _xf(font=1, align='horizontal="center" vertical="center"')  # TITLE
    + _xf(font=2, fill=2, align='horizontal="center" vertical="center" wrapText="1"')  # HEADER
    + _xf(align='vertical="top"')  # TOP
    + _xf(align='vertical="top" wrapText="1"')  # WRAP
    + _xf(fmt=164, align='vertical="top"')  # DATE
    + _xf(font=3)  # REPORT_TITLE
    + _xf(fmt=9)  # PCT: the built-in 0%
    + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    # the warning lights' row fills, for conditional formatting, in the order of FILLS
    f'<dxfs count="{len(FILLS)}">'
    + "".join(f"<dxf>{_solid(rgb)}</dxf>" for rgb in FILLS.values())
    + "</dxfs></styleSheet>"
)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _xml(text: str) -> str:
    """Text for an element's content: XML's three escapes, a carriage return kept as such
    (a parser would read a bare one as a line feed), and OOXML's _xHHHH_ for the characters
    XML cannot hold."""
    return ooxml_text(text).translate(_XML_ESCAPES)


def _attr(text: str) -> str:
    return _xml(text).replace('"', "&quot;")


class _Cells:
    """Cells as XML. Text is always an inline string cell, never a formula or an error value
    (and inline as openpyxl writes it, which import's reading of _xHHHH_ escapes expects);
    numbers are numbers; dates are date serials. Each text is escaped once (a point's title
    repeats on each of its milestones' rows)."""

    def __init__(self) -> None:
        self.escaped: dict[str, str] = {}

    def text(self, ref: str, text: str, style: int) -> str:
        tail = self.escaped.get(text)
        if tail is None:
            tail = self.escaped[text] = f'<is><t xml:space="preserve">{_xml(text)}</t></is></c>'
        return f'<c r="{ref}" s="{style}" t="inlineStr">{tail}'

    def cell(self, ref: str, value: Any, style: int) -> str:
        """``value`` (already through :func:`_cell_value`; None is no cell at all)."""
        if value is None:
            return ""
        if isinstance(value, str):
            return self.text(ref, value, style)
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            return f'<c r="{ref}" s="{DATE}"><v>{(day - _EPOCH).days}</v></c>'
        number = repr(int(value)) if isinstance(value, int) else repr(float(value))
        return f'<c r="{ref}" s="{style}"><v>{number}</v></c>'


def _letters(n: int) -> list[str]:
    """Column letters A, B, ... for n columns (openpyxl's own would import all of openpyxl,
    half a second of the export's start)."""
    out = []
    for i in range(1, max(n, 1) + 1):
        name = ""
        while i:
            i, rest = divmod(i - 1, 26)
            name = chr(65 + rest) + name
        out.append(name)
    return out


def _worksheet(
    rows: Iterable[str],
    widths: Sequence[float],
    head: int,
    merge: str = "",
    conditional: str = "",
) -> Iterator[str]:
    """A sheet around its rows' XML, in pieces (a 10,000-point 台账 is 60 MB of XML, never
    held whole): column widths, frozen below the header row ``head``, landscape A4 fitted to
    the width (the header printed on every page: a defined name in the workbook), the page
    number in the footer (:data:`PAGE_FOOTER`)."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)
    )
    yield (
        f'<worksheet xmlns="{_NS}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{head}" topLeftCell="A{head + 1}" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )
    batch: list[str] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 2000:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)
    yield (
        "</sheetData>"
        + (f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>' if merge else "")
        + conditional
        + '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        f"<headerFooter><oddFooter>{_FOOTER_XML}</oddFooter></headerFooter>"
        "</worksheet>"
    )


def _package(sheets: list[tuple[str, Iterable[str], int]]) -> bytes:
    """The workbook's zip: (name, worksheet XML in pieces, header row) for each sheet, the
    styles. The sheets' pieces are compressed as they come."""
    import zipfile

    count = len(sheets)
    names, titles = [], []
    for n, (name, _, row) in enumerate(sheets, 1):
        names.append(f'<sheet name="{_attr(name)}" sheetId="{n}" r:id="rId{n}"/>')
        quoted = "'" + _xml(name).replace("'", "''") + "'"
        titles.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n - 1}">'
            f"{quoted}!${row}:${row}</definedName>"
        )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    parts = [
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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as z:
        for name, xml in parts:
            z.writestr(name, (declaration + xml).encode("utf-8"))
        for n, (_, pieces, _) in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                part.write(declaration.encode("utf-8"))
                for piece in pieces:
                    part.write(piece.encode("utf-8"))
    return buffer.getvalue()


def sheets_bytes(
    sheets: dict[str, tuple[list[str], list[list[Any]]]],
    heads: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """Plain sheets (header row, then rows) as a workbook: widths, a frozen header printed at
    the top of every page (landscape A4, fitted to the width), cells at the top of their row,
    long text wrapping (:func:`column_widths`). ``heads`` gives a sheet rows above its header:
    a title (centred over the columns), then e.g. an as-of row.

    The XML is written directly: the cells are plain values in a few fixed styles, so a row
    is one string join where openpyxl builds and serialises an object per cell (4x the time
    on a 10,000-point 台账)."""
    cells = _Cells()
    out: list[tuple[str, Iterable[str], int]] = []
    for name, (header, rows) in sheets.items():
        lines = list((heads or {}).get(name, ()))
        letters = _letters(len(header))
        widths, wrapped = column_widths(header, rows)
        head = len(lines) + 1
        top: list[str] = []
        for r, text in enumerate(lines, 1):
            tall = ' ht="30" customHeight="1"' if r == 1 else ""
            top.append(
                f'<row r="{r}"{tall}>{cells.text(f"A{r}", text, TITLE if r == 1 else PLAIN)}</row>'
            )
        top.append(
            f'<row r="{head}">'
            + "".join(cells.text(f"{letters[i]}{head}", h, HEADER) for i, h in enumerate(header))
            + "</row>"
        )
        body = _plain_rows(cells, rows, head + 1, letters, widths, wrapped)
        merge = f"A1:{letters[len(header) - 1]}1" if lines and len(header) > 1 else ""
        out.append((name, _worksheet(chain(top, body), widths, head, merge), head))
    return _package(out)


def _plain_rows(
    cells: _Cells,
    rows: list[list[Any]],
    first: int,
    letters: list[str],
    widths: list[int],
    wrapped: set[int],
) -> Iterator[str]:
    """The rows of a plain sheet as XML, one string each, made as the zip asks for them. The
    common cells (text, whole numbers, dates) take a short path; anything else goes through
    :meth:`_Cells.cell`."""
    styles = [WRAP if i in wrapped else TOP for i in range(len(letters))]
    date = dt.date
    for r, row in enumerate(rows, first):
        height = row_height(row, widths, wrapped) if wrapped else None
        parts = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for i, v in enumerate(row):
            kind = type(v)
            if kind is str:
                if v:
                    parts.append(cells.text(f"{letters[i]}{r}", v, styles[i]))
            elif kind is int:
                parts.append(f'<c r="{letters[i]}{r}" s="{styles[i]}"><v>{v}</v></c>')
            elif kind is date:
                serial = (v - _EPOCH).days
                parts.append(f'<c r="{letters[i]}{r}" s="{DATE}"><v>{serial}</v></c>')
            elif v is not None:
                parts.append(cells.cell(f"{letters[i]}{r}", _cell_value(v), styles[i]))
        parts.append("</row>")
        yield "".join(parts)


def workbook_bytes(report: Shown, lang: str = "zh") -> bytes:
    """A sheet per section: the report's title and as-of rows over the header (printed on
    every page), percentages as numbers in 0%, dates as dates, long text wrapped. The warning
    lights are a 预警 column (红/黄/灰) and conditional formatting that fills the row: Excel
    shows the colours, and they follow the rows when a clerk sorts or filters."""
    cells = _Cells()
    words = LIGHT_WORDS["en" if lang == "en" else "zh"]
    used: set[str] = set()
    out: list[tuple[str, Iterable[str], int]] = []
    for section in report.sections:
        name = _BAD_SHEET_CHARS.sub("", section.title)[:31] or section.key
        while name in used:
            name = name[:29] + f"{len(used):02d}"
        used.add(name)
        table = section.table
        lit = any(table.lights)
        headers = [c.header for c in table.columns] + (
            ["预警" if lang != "en" else "Light"] if lit else []
        )
        bars = [c.bar for c in table.columns]
        letters = _letters(len(headers))
        widths = [_width(h) for h in headers]
        rows = []
        for values, light in zip(table.rows, table.lights, strict=True):
            row: list[Any] = [_cell_value(v) for v in values]
            if lit:
                row.append(words.get(light or ""))
            rows.append(row)
            for i, v in enumerate(row):
                if v is None:
                    continue
                text = f"{v:.0%}" if i < len(bars) and bars[i] and isinstance(v, float) else str(v)
                widths[i] = max(widths[i], _width(text))
        xml = [
            f'<row r="1">{cells.text("A1", report.title, REPORT_TITLE)}</row>',
            f'<row r="2">{cells.text("A2", report.subtitle, PLAIN)}</row>',
            '<row r="3">'
            + "".join(cells.text(f"{letters[i]}3", h, HEADER) for i, h in enumerate(headers))
            + "</row>",
        ]
        for r, row in enumerate(rows, HEAD + 1):
            parts = [f'<row r="{r}">']
            for i, v in enumerate(row):
                if isinstance(v, Share) or (i < len(bars) and bars[i] and isinstance(v, float)):
                    style = PCT
                elif isinstance(v, str) and len(v) > 30:
                    style = WRAP
                else:
                    style = PLAIN  # a date takes DATE in _Cells.cell
                parts.append(cells.cell(f"{letters[i]}{r}", v, style))
            parts.append("</row>")
            xml.append("".join(parts))
        for r, note in enumerate(table.notes, HEAD + len(rows) + 1):
            xml.append(f'<row r="{r}">{cells.text(f"A{r}", note, PLAIN)}</row>')
        conditional = ""
        if lit and rows:
            last = letters[len(headers) - 1]
            area = f"A{HEAD + 1}:{last}{len(rows) + HEAD}"
            formulas = [f'${last}{HEAD + 1}="{words[light]}"' for light in FILLS]
            rules = "".join(
                f'<cfRule type="expression" dxfId="{n}" priority="{n + 1}">'
                f"<formula>{_xml(formula)}</formula></cfRule>"
                for n, formula in enumerate(formulas)
            )
            conditional = f'<conditionalFormatting sqref="{area}">{rules}</conditionalFormatting>'
        sizes = [min(max(w + 2, 6), 60) for w in widths]
        out.append((name, _worksheet(xml, sizes, HEAD, conditional=conditional), HEAD))
    return _package(out)


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
