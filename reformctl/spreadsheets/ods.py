""".ods workbooks (OpenDocument: LibreOffice, WPS) given to ``import``: content.xml streamed with
lxml, cells by their declared types, merged, covered and hidden cells as the file says."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.spreadsheets.limits import MAX_COLUMNS, MAX_ROWS, _Budget, _check_zip, _unreadable
from reformctl.spreadsheets.sheet import Sheet

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_TABLE, _ODS_ROW, _ODS_COLUMN = _T + "table", _T + "table-row", _T + "table-column"
_ODS_CELL, _ODS_COVERED = _T + "table-cell", _T + "covered-table-cell"
_ODS_NAME, _ODS_VISIBILITY, _ODS_FORMULA = _T + "name", _T + "visibility", _T + "formula"
_ODS_ROWS_REPEATED, _ODS_COLUMNS_REPEATED = (
    _T + "number-rows-repeated",
    _T + "number-columns-repeated",
)
_ODS_ACROSS, _ODS_DOWN = _T + "number-columns-spanned", _T + "number-rows-spanned"
_ODS_TYPE, _ODS_VALUE, _ODS_DATE = _O + "value-type", _O + "value", _O + "date-value"
_ODS_BOOLEAN, _ODS_STRING = _O + "boolean-value", _O + "string-value"
_ODS_P, _ODS_S, _ODS_C, _ODS_TAB, _ODS_BREAK = (
    _X + "p",
    _X + "s",
    _X + "c",
    _X + "tab",
    _X + "line-break",
)
_ODS_ANNOTATION, _ODS_SPREADSHEET = _O + "annotation", _O + "spreadsheet"
_ODS_NUMBERS = ("float", "percentage", "currency")


def _count(attrs: Any, name: str) -> int:
    """A repeat or span count of an .ods element: 1 when absent; a broken one refused."""
    text = attrs.get(name)
    if text is None:
        return 1
    n = int(text)  # ValueError: a broken file
    if n < 1:
        raise ValueError(f"{name.rsplit('}', 1)[-1]}={text}")
    return n


def _ods_text(element: Any) -> str:
    """The text of a paragraph as shown: spans and links read through, text:s as its spaces,
    text:tab and text:line-break as a tab and a line break; notes left out."""
    if len(element) == 0:
        return element.text or ""
    out = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _ODS_S:
            out.append(" " * min(_count(child.attrib, _ODS_C), 1000))
        elif tag == _ODS_TAB:
            out.append("\t")
        elif tag == _ODS_BREAK:
            out.append("\n")
        elif isinstance(tag, str) and tag != _ODS_ANNOTATION:
            out.append(_ods_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _ods_value(cell: Any, attrs: Any) -> Any:
    """A cell's value by its type: a date only where the file says the cell is one."""
    kind = attrs.get(_ODS_TYPE)
    if kind in _ODS_NUMBERS:
        number = float(attrs.get(_ODS_VALUE))  # ValueError, TypeError: a broken file
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        import datetime as dt

        try:
            return dt.datetime.fromisoformat(attrs.get(_ODS_DATE) or "")
        except ValueError:
            pass  # a date the calendar has not: the text shown
    elif kind == "boolean":
        return attrs.get(_ODS_BOOLEAN) in ("true", "1")
    paragraphs = [_ods_text(p) for p in cell if p.tag == _ODS_P]
    if not paragraphs:
        return attrs.get(_ODS_STRING) or None
    return "\n".join(paragraphs)


class _OdsSheet:
    """One table of an .ods being read: rows kept up to the last one with a value, repeats
    expanded only where they hold one, every position counted against the limits."""

    def __init__(self, name: str, file: str, budget: _Budget) -> None:
        self.name, self.file, self.budget = name, file, budget
        self.rows: list[list[Any]] = []
        self.position = 0  # rows seen, empty ones included
        self.column = 0  # columns declared so far (table:table-column)
        self.hidden_columns: set[int] = set()
        self.hidden_rows: set[int] = set()
        self.merged: list[tuple[int, int, int, int]] = []
        self.no_value: set[tuple[int, int]] = set()

    def column_declared(self, element: Any) -> None:
        attrs = element.attrib
        n = _count(attrs, _ODS_COLUMNS_REPEATED)
        if attrs.get(_ODS_VISIBILITY, "visible") != "visible":
            self.hidden_columns.update(range(self.column, min(self.column + n, MAX_COLUMNS)))
        self.column += n

    def row(self, element: Any) -> None:
        attrs = element.attrib
        repeat = _count(attrs, _ODS_ROWS_REPEATED)
        top = self.position
        values: list[Any] = []
        column = 0
        for cell in element:
            tag = cell.tag
            if tag != _ODS_CELL and tag != _ODS_COVERED:
                continue
            at = cell.attrib
            n = _count(at, _ODS_COLUMNS_REPEATED)
            if tag == _ODS_COVERED:
                column += n  # covered by a merge
                continue
            value = None if _ODS_TYPE not in at and len(cell) == 0 else _ods_value(cell, at)
            if _ODS_ACROSS in at or _ODS_DOWN in at:
                across, down = _count(at, _ODS_ACROSS), _count(at, _ODS_DOWN)
                if (across > 1 or down > 1) and column < MAX_COLUMNS and top < MAX_ROWS:
                    self.merged.append((top, column, top + down - 1, column + across - 1))
            if _ODS_FORMULA in at and _ODS_TYPE not in at:
                self.no_value.add((top, column))
            if value is not None:
                if column + n > MAX_COLUMNS:
                    raise ReformctlError(
                        "import-too-many-columns",
                        file=self.file,
                        sheet=self.name,
                        row=top + 1,
                        n=column + n,
                        limit=MAX_COLUMNS,
                    )
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                if n == 1:
                    values.append(value)
                else:
                    values.extend([value] * n)
            column += n
        hidden = attrs.get(_ODS_VISIBILITY, "visible") != "visible"
        if not values:  # empty rows cost nothing until a row with a value follows them
            if hidden:
                self.hidden_rows.update(range(top, min(top + repeat, MAX_ROWS)))
            self.position += repeat
            return
        if top + repeat > MAX_ROWS:
            raise ReformctlError(
                "import-too-many-rows", file=self.file, sheet=self.name, limit=MAX_ROWS
            )
        if top > len(self.rows):
            self.rows.extend([] for _ in range(top - len(self.rows)))
        rows = values if repeat == 1 else (list(values) for _ in range(repeat))
        self.rows.extend(self.budget.take([rows] if repeat == 1 else rows, self.name, top + 1))
        if hidden:
            self.hidden_rows.update(range(top, top + repeat))
        self.position += repeat

    def sheet(self) -> Sheet:
        height = len(self.rows)
        return Sheet(
            self.name,
            self.rows,
            merged=[m for m in self.merged if m[2] < MAX_ROWS and m[3] < MAX_COLUMNS],
            hidden_columns=frozenset(self.hidden_columns),
            hidden_rows=frozenset(r for r in self.hidden_rows if r < height),
            no_value=frozenset(p for p in self.no_value if p[0] < height),
            kind="ods",
        )


def read_ods(path: Path, data: bytes) -> list[Sheet]:
    """Every table of an OpenDocument spreadsheet (LibreOffice, WPS), streamed from its
    content.xml with lxml: values by their declared type (dates only where the file says a cell
    is one), covered cells empty, merged ranges from their spans, hidden columns and rows;
    repeated empty rows and columns (a sheet padded to 1,048,576 rows) cost nothing."""
    import zipfile

    from lxml import etree  # type: ignore[import-untyped]

    file = str(path)
    _check_zip(data, file, "import-not-ods")
    budget = _Budget(file)
    sheets: list[Sheet] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("content.xml")
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
            raise ReformctlError("import-xml-entities", file=file)
        events = etree.iterparse(
            io.BytesIO(xml),
            events=("end",),
            tag=(_ODS_TABLE, _ODS_ROW, _ODS_COLUMN),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
        )
        table: Any = None  # the table being read
        current: _OdsSheet | None = None
        for _, element in events:
            if element.tag == _ODS_TABLE:
                if element is table and current is not None:
                    sheets.append(current.sheet())
                    table, current = None, None
                    element.clear(keep_tail=True)
                continue
            if element.getparent() is not table:  # the first row or column of a table
                owner = element.getparent()
                while owner is not None and owner.tag != _ODS_TABLE:
                    owner = owner.getparent()  # through row and column groups
                if owner is None or owner.getparent() is None:
                    continue
                if owner.getparent().tag != _ODS_SPREADSHEET:
                    continue  # a table inside a cell: its text is not read
                if owner is not table:
                    table = owner
                    current = _OdsSheet(owner.get(_ODS_NAME) or "", file, budget)
            if current is None:
                continue
            if element.tag == _ODS_ROW:
                current.row(element)
            else:
                current.column_declared(element)
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except ReformctlError:
        raise
    except Exception as exc:
        raise _unreadable(exc, file, "import-not-ods") from None
    if not sheets:
        raise ReformctlError("import-no-sheets", file=file)
    return sheets
