""".xlsx and .xlsm workbooks given to ``import``: openpyxl reads the workbook's own parts, each
sheet's cells are streamed with lxml (cached values of formulas, hidden rows, columns and
sheets, merged ranges)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.spreadsheets.formulas import from_ooxml_text
from reformctl.spreadsheets.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    _Budget,
    _check_zip,
    _read_bytes,
    _unreadable,
)
from reformctl.spreadsheets.sheet import Sheet


def read_workbook(path: Path, data: bytes | None = None, kind: str | None = None) -> list[Sheet]:
    """Every worksheet, in the workbook's order, as rows of values (cached results of formulas,
    not formulas), read in openpyxl's streaming mode with the declared sheet sizes ignored: a
    sheet that claims A1:XFD1048576 costs what its cells cost. Merged ranges are listed, not
    filled (``Sheet.filled``)."""
    import warnings

    file = str(path)
    data = _read_bytes(path) if data is None else data
    _check_zip(data, file)
    budget = _Budget(file)
    sheets: list[Sheet] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns on stderr about odd styles; one line
        try:
            for title, xml, rows, seen, hidden in _worksheets(data, file):
                taken = budget.take(rows, title)
                height = len(taken)
                sheets.append(
                    Sheet(
                        title,
                        [
                            [from_ooxml_text(v) if isinstance(v, str) else v for v in row]
                            for row in taken
                        ],
                        merged=_merged_ranges(xml),
                        hidden_columns=_hidden_columns(xml),
                        hidden_rows=frozenset(r for r in seen.hidden_rows if r < height),
                        no_value=frozenset(p for p in seen.no_value if p[0] < height),
                        kind=kind or path.suffix.lower().lstrip("."),
                        hidden=hidden,
                    )
                )
        except ReformctlError:
            raise
        except Exception as exc:  # openpyxl: whatever its parser raised, sometimes wrapped
            raise _unreadable(exc, file, "import-not-xlsx") from None
    if not sheets:
        raise ReformctlError("import-no-sheets", file=file)
    return sheets


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class _Seen:
    """What a sheet's rows showed besides their values, as they were read (0-based)."""

    hidden_rows: set[int] = field(default_factory=set)
    no_value: set[tuple[int, int]] = field(default_factory=set)  # formulas never calculated


def _worksheets(
    data: bytes, file: str
) -> Iterator[tuple[str, bytes, Iterator[tuple[Any, ...]], _Seen, bool]]:
    """(title, XML, rows of values, what they showed, hidden) of every worksheet, in order.

    openpyxl reads the workbook's own parts (sheet names, shared strings, styles); each sheet's
    cells are read here with lxml, row by row, as openpyxl's streaming mode gives them
    (``iter_rows(values_only=True)``, the declared size ignored), about ten times faster: its
    read-only sheet parses a sheet without a declared size twice (once to find the size) and
    every inline string through its rich-text model. A cell of any kind but the plain three
    (a number without a date style, an inline or a shared string) is read by openpyxl's own
    cell parser, so every value is what openpyxl makes of it."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        reader.read_properties()
        reader.read_custom()
        reader.read_theme()
        apply_stylesheet(reader.archive, reader.wb)
        wb = reader.wb
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or "chartsheet" in rel.Type:
                continue
            xml = reader.archive.read(rel.target)
            if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                raise ReformctlError("import-xml-entities", file=file)
            parser = WorkSheetParser(
                None,
                reader.shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            seen = _Seen()
            hidden = sheet.state in ("hidden", "veryHidden")
            yield sheet.name, xml, _rows(xml, parser, seen), seen, hidden
    finally:
        reader.archive.close()


def _rows(xml: bytes, parser: Any, seen: _Seen) -> Iterator[tuple[Any, ...]]:
    """A sheet's rows of values, as openpyxl's ``ReadOnlyWorksheet._cells_by_row`` yields them
    with no declared size: a missing row is empty; a row is as wide as its last cell."""
    from lxml import etree  # type: ignore[import-untyped]
    from openpyxl.utils.cell import column_index_from_string

    row_tag, cell_tag, value_tag = _MAIN + "row", _MAIN + "c", _MAIN + "v"
    formula_tag = _MAIN + "f"
    inline_tag, text_tag = _MAIN + "is", _MAIN + "t"
    from openpyxl.utils.datetime import from_excel

    strings = parser.shared_strings
    counter = 1
    events = etree.iterparse(
        io.BytesIO(xml),
        events=("end",),
        tag=row_tag,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
    )
    for _, row in events:
        cells = _plain_row(
            row,
            cell_tag,
            value_tag,
            inline_tag,
            text_tag,
            strings,
            parser,
            column_index_from_string,
            from_excel,
        )
        if cells is None:  # anything else: openpyxl's own parser, counters kept in step
            idx, parsed = parser.parse_row(row)
            cells = [(c["column"], c["value"]) for c in parsed]
        else:
            idx = cells.pop()[1]
        parser.row_counter = idx
        if row.get("hidden") in ("1", "true") and idx <= MAX_ROWS:
            seen.hidden_rows.add(idx - 1)
        for formula in row.iter(formula_tag):  # a formula whose result was never stored:
            cell = formula.getparent()  # no <v>, or an empty one where "" is no result
            ref, cached = cell.get("r") or "", cell.find(value_tag)
            letters = ref.rstrip("0123456789")
            if (cached is None or (not cached.text and cell.get("t") != "str")) and (
                letters and len(letters) <= 3
            ):
                seen.no_value.add((idx - 1, column_index_from_string(letters) - 1))
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
        for _ in range(counter, idx):
            counter += 1
            yield ()
        if counter <= idx:
            counter += 1
            if not cells:
                yield ()
                continue
            width = cells[-1][0]
            values: list[Any] = [None] * width
            for column, value in cells:
                if 1 <= column <= width:
                    values[column - 1] = value
            yield tuple(values)


def _plain_row(
    row: Any,
    cell_tag: str,
    value_tag: str,
    inline_tag: str,
    text_tag: str,
    strings: list[str],
    parser: Any,
    column_of: Any,
    from_excel: Any,
) -> list[tuple[int, Any]] | None:
    """(column, value) of each cell of a row whose cells are all of the plain kinds, each
    with its reference, then (0, the row's number); None for any other row."""
    number = row.get("r")
    if number is None or not number.isdigit():
        return None
    out: list[tuple[int, Any]] = []
    for cell in row:
        ref = cell.get("r")
        if cell.tag != cell_tag or ref is None:
            return None
        letters = ref.rstrip("0123456789")
        if not letters or not ref[len(letters) :].isdigit():
            return None
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            if len(cell) != 1:
                return None
            inline = cell[0]
            if inline.tag != inline_tag or len(inline) != 1 or inline[0].tag != text_tag:
                return None
            value: Any = inline[0].text or ""
        elif kind == "n" or kind == "s":
            text = cell.findtext(value_tag, None) or None
            if text is None:
                value = None
            elif kind == "s":
                value = strings[int(text)]
            else:
                value = float(text) if "." in text or "E" in text or "e" in text else int(text)
                style = cell.get("s")
                if style and int(style) in parser.date_formats:
                    try:
                        value = from_excel(
                            value, parser.epoch, timedelta=int(style) in parser.timedelta_formats
                        )
                    except (OverflowError, ValueError):
                        return None  # openpyxl's parser warns and makes it an error cell
        else:
            return None
        out.append((column_of(letters), value))
    out.append((0, int(number)))
    return out


_COL_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR_RE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def _hidden_columns(xml: bytes) -> frozenset[int]:
    """The 0-based columns a sheet hides (``<col min max hidden="1">`` of its ``<cols>``,
    which comes before its cells)."""
    head = xml[: xml.find(b"sheetData")] if b"sheetData" in xml else xml
    hidden: set[int] = set()
    for attrs in _COL_RE.findall(head):
        found = dict(_ATTR_RE.findall(attrs))
        if found.get(b"hidden") not in (b"1", b"true"):
            continue
        try:
            low, high = int(found.get(b"min", b"0")), int(found.get(b"max", b"0"))
        except ValueError:
            continue
        hidden.update(range(max(low, 1) - 1, min(high, MAX_COLUMNS)))
    return frozenset(hidden)


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet's XML (read-only mode does not keep them), as 0-based
    (first row, first column, last row, last column)."""
    from openpyxl.utils import column_index_from_string

    out = []
    for c1, r1, c2, r2 in _MERGE_RE.findall(xml):
        top, left = int(r1) - 1, column_index_from_string(c1.decode()) - 1
        bottom, right = int(r2) - 1, column_index_from_string(c2.decode()) - 1
        if 0 <= top <= bottom < MAX_ROWS and 0 <= left <= right < MAX_COLUMNS:
            out.append((top, left, bottom, right))
    return out
