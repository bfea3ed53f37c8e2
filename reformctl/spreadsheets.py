"""Spreadsheet files exchanged with clerks, made safe in both directions.

Out: a text cell that a spreadsheet program would run as a formula is neutralised the OWASP way
(:func:`csv_cell`); numbers are left as numbers. In: a file given to ``import`` (.xlsx and
.xlsm through openpyxl, .xls through xlrd, .ods streamed with lxml, CSV in UTF-8 or GB18030, the
tables of a .docx through python-docx: :func:`read_sheets`) is read within the limits below, so
that a hostile or broken file (a huge declared sheet size, a zip bomb, a billion-laughs entity,
a truncated zip, a million rows) is refused with one line (exit 2) instead of filling memory,
running for ever or crashing. Every limit is here.

Pure of the CLI: the caller gets rows of cell values or a :class:`ReformctlError`.
"""

from __future__ import annotations

import io
import numbers
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reformctl.errors import ReformctlError

MiB = 1 << 20

# -- limits on a file given to `import` ------------------------------------------------------------
# The largest real case is the 10,000-point benchmark ledger (benchmarks/generate.py): its export
# is 45,130 rows of 16 columns, a 3.7 MB workbook whose main sheet unpacks to 57 MB (read in about
# 8 s), or a 12.7 MB CSV. Each limit leaves four times that room or more, and together they keep
# memory well under a gigabyte and the time under a minute on a clerk's laptop.

# Size on disk: the file is read into memory once. 5x the benchmark CSV, 17x its workbook.
MAX_FILE_BYTES = 64 * MiB
# Rows of one sheet, counted by position (an empty row counts, so a stray cell at row 1,048,576
# cannot make us walk a million rows): 4x the benchmark's 45,130.
MAX_ROWS = 200_000
# Columns of one row up to its last non-empty cell: 256 is column IV, the whole width of the old
# .xls format; a 台账 has 10 to 30. A value far to the right is a mistake or an attack.
MAX_COLUMNS = 256
# Cells kept in memory across all sheets read (rows x their width): 7x the benchmark's 722,080.
MAX_CELLS = 5_000_000
# A workbook's parts unpacked, all together: 4.5x the benchmark's 57 MB sheet. XML parsing runs
# at about 8 MB/s here, so this also bounds the time. The sizes are the zip's own declarations:
# Python's zipfile never inflates a part beyond its declared size (a lying header fails its CRC).
MAX_UNPACKED_BYTES = 256 * MiB
# Unpacked : packed, for each part larger than RATIO_FROM: real sheets compress 5x to 20x (the
# benchmark's 16x to 19x); 100 is Apache POI's default. A zip bomb of whitespace packs 1000x.
MAX_RATIO = 100
RATIO_FROM = 1 * MiB  # small parts may compress far better and cost nothing
# Files inside the workbook's zip: a workbook has about ten plus two a sheet.
MAX_PARTS = 1_000
# XML entities (billion laughs): refused outright. openpyxl parses through defusedxml (a
# dependency for this reason), which forbids entity declarations; an .xlsx never needs them.

# -- formulas: out (export, reports) and back in (import) -----------------------------------------
# OWASP's "CSV injection" rule: a cell starting with = + - @ TAB or CR may be run as a formula by
# a spreadsheet program, so text starting with one gets a leading '. Text that already starts
# with quotes before such a character gets one more, so that import can take exactly one away
# and every text round-trips.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet will show, never run: text that could start a
    formula gets a leading ``'``; numbers (``-3`` days overdue) stay numbers."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def csv_text_cell(value: str, raw: Any) -> str:
    """A display cell ``value`` rendered from ``raw``: neutralised unless ``raw`` is a number."""
    if not isinstance(raw, bool) and isinstance(raw, numbers.Real):  # int, float, Fraction
        return value
    return str(csv_cell(value))


def restore_csv_cell(text: str) -> str:
    """The inverse of :func:`csv_cell` on text: one neutralising quote taken away."""
    return text[1:] if text[:1] == "'" and _NEUTRALISED.match(text) else text


# OOXML's escape for characters XML 1.0 cannot hold (_x000C_ for a form feed), which Excel
# shows as the character; a literal "_x0041_" in the text has its "_" escaped (_x005F_) so that
# reading it back is exact.
_OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_text(text: str) -> str:
    return _OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def from_ooxml_text(text: str) -> str:
    if "_x" not in text:
        return text
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


# -- import: reading within the limits ------------------------------------------------------------
def _size(n: int) -> str:
    for unit, scale in (("MiB", MiB), ("KiB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"


def _read_bytes(path: Path) -> bytes:
    """The whole file, if it is a regular file within MAX_FILE_BYTES."""
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReformctlError("import-missing", file=str(path)) from None
    except OSError as exc:
        raise ReformctlError("import-unreadable", file=str(path), why=exc.strerror) from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise ReformctlError("import-not-file", file=str(path))
    if info.st_size > MAX_FILE_BYTES:
        raise ReformctlError(
            "import-too-big", file=str(path), size=_size(info.st_size), limit=_size(MAX_FILE_BYTES)
        )
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ReformctlError("import-unreadable", file=str(path), why=exc.strerror) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReformctlError(
            "import-too-big", file=str(path), size=_size(len(data)), limit=_size(MAX_FILE_BYTES)
        )
    return data


class _Budget:
    """Rows, columns and cells counted as rows arrive, refusing the first one over a limit."""

    def __init__(self, file: str) -> None:
        self.file, self.cells = file, 0

    def take(
        self, rows: Iterable[Iterable[Any]], sheet: str | None, first: int = 1
    ) -> list[list[Any]]:
        """``rows`` as lists, trailing empty cells dropped; ``sheet`` None for a CSV file;
        ``first`` the number of the first row (an .ods gives its rows one at a time)."""
        out: list[list[Any]] = []
        for number, row in enumerate(rows, first):
            if number > MAX_ROWS:
                code = "import-too-many-rows" if sheet is not None else "import-csv-too-many-rows"
                raise ReformctlError(code, file=self.file, sheet=sheet, limit=MAX_ROWS)
            cells = list(row)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise ReformctlError(
                    "import-too-many-columns"
                    if sheet is not None
                    else "import-csv-too-many-columns",
                    file=self.file,
                    sheet=sheet,
                    row=number,
                    n=len(cells),
                    limit=MAX_COLUMNS,
                )
            self.cells += len(cells)
            if self.cells > MAX_CELLS:
                raise ReformctlError("import-too-many-cells", file=self.file, limit=MAX_CELLS)
            out.append(cells)
        return out


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def csv_text(data: bytes, file: str) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else GB18030, which Excel and WPS on
    Chinese systems save (GBK and GB2312 are its subsets). Chinese text in GBK is almost never
    valid UTF-8 (a header such as 工作要点 never is), so the order decides reliably. Neither:
    refused naming the first byte that neither reads, as far as the likelier one got."""
    failures = []
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            failures.append(exc)
    at = max(failures, key=lambda exc: exc.start).start
    raise ReformctlError("import-not-text", file=file, offset=at, byte=f"0x{data[at]:02X}")


def read_csv(path: Path) -> list[list[Any]]:
    """The rows of a CSV file (UTF-8, with or without BOM, GBK or GB18030), cut by the csv module
    alone: line breaks inside quoted cells are kept, and U+2028, U+0085 and form feeds are
    text, not row ends (str.splitlines would split on them). Neutralised cells are restored."""
    import csv
    import io

    text = csv_text(_read_bytes(path), str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    budget = _Budget(str(path))

    def rows() -> Iterable[list[str]]:
        try:
            for row in reader:
                yield [restore_csv_cell(cell) for cell in row]
        except csv.Error as exc:
            raise ReformctlError(
                "import-bad-csv", file=str(path), line=reader.line_num, why=_one_line(exc)
            ) from None

    return budget.take(rows(), None)


def _check_zip(data: bytes, file: str, code: str = "import-not-xlsx") -> None:
    """Refuse a file that is not a zip, or whose parts would unpack too large (a zip bomb),
    before openpyxl inflates anything."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # a version or compression zipfile does not know (damaged bytes)
        ValueError,
        EOFError,
        OSError,
    ) as exc:
        raise ReformctlError(code, file=file, why=_one_line(exc)) from None
    if len(parts) > MAX_PARTS:
        raise ReformctlError("import-too-many-parts", file=file, n=len(parts), limit=MAX_PARTS)
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED_BYTES:
        raise ReformctlError(
            "import-unpacked-too-big", file=file, size=_size(total), limit=_size(MAX_UNPACKED_BYTES)
        )
    for p in parts:
        if p.file_size > RATIO_FROM and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise ReformctlError(
                "import-zip-ratio",
                file=file,
                part=p.filename,
                ratio=p.file_size // max(p.compress_size, 1),
                limit=MAX_RATIO,
            )


def _root_cause(exc: BaseException) -> BaseException:
    seen = {id(exc)}
    while exc.__cause__ is not None and id(exc.__cause__) not in seen:
        exc = exc.__cause__
        seen.add(id(exc))
    return exc


def _entities_refused(exc: BaseException) -> bool:
    """Whether a parser refused XML entities: defusedxml (worksheets, shared strings) forbids
    declaring them; libxml2 (the other parts, via lxml) and expat stop their amplification."""
    refusals: tuple[type[BaseException], ...] = ()
    try:
        from defusedxml import DefusedXmlException

        refusals = (DefusedXmlException,)
    except ImportError:  # a dependency; without it expat's own amplification limit refuses
        pass
    chain: BaseException | None = exc
    for _ in range(10):
        if chain is None:
            break
        if isinstance(chain, refusals) or "amplification" in str(chain):  # libxml2, expat
            return True
        chain = chain.__cause__ or chain.__context__
    return False


def _unreadable(exc: BaseException, file: str, code: str) -> ReformctlError:
    """The one-line refusal of a file a reader's parser failed on: whatever it raised
    (KeyError, TypeError, zlib.error, a ParseError..., sometimes wrapped) means, for an input
    file, one thing: a file we cannot read as ``code`` says; XML entities are named as such."""
    if _entities_refused(exc):
        return ReformctlError("import-xml-entities", file=file)
    cause = _root_cause(exc)
    return ReformctlError(code, file=file, why=f"{type(cause).__name__}: {_one_line(cause)}")


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


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """Every cell of a merged range reads as its top-left value (as a clerk sees it)."""
    for top, left, bottom, right in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, right + 1):
                if c < len(row):
                    row[c] = value
                elif value is not None and c < MAX_COLUMNS:
                    row.extend([None] * (c - len(row)) + [value])
    return rows


@dataclass
class Sheet:
    """One table as a file holds it, before any reading of its meaning.

    ``rows`` are 0-based rows of cell values: ``str``, ``int``, ``float``, ``bool``, ``None``,
    and ``datetime.date``/``datetime.datetime`` only where the file itself says the cell is a
    date (a date-formatted cell of a workbook; never from CSV, whose cells are all text).
    Merged ranges are listed, not filled; ``filled()`` gives the rows as a clerk sees them.
    Positions everywhere are 0-based (row, column)."""

    name: str  # the sheet's name; "" for a CSV file; "表1", "表2"... for a document's tables
    rows: list[list[Any]]
    # (top, left, bottom, right) of each merged range
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_columns: frozenset[int] = frozenset()
    hidden_rows: frozenset[int] = frozenset()
    no_value: frozenset[tuple[int, int]] = frozenset()  # formulas with no cached value
    kind: str = "xlsx"  # xlsx, xlsm, xls, ods, csv, docx
    hidden: bool = False  # a hidden (or very hidden) sheet of the workbook

    def filled(self) -> list[list[Any]]:
        """The rows with every cell of a merged range reading as its top-left value, invisible
        format characters (zero-width space, BOM, joiners) dropped from text."""
        rows = [
            [_visible(v) if type(v) is str and _INVISIBLE_ANY.search(v) else v for v in row]
            for row in self.rows
        ]
        return _fill_merged(rows, self.merged)


# format characters that show nothing: pasted from web pages and Word, they would make
# look-alike names (省国资委 and 省国资委\u200b)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_INVISIBLE_ANY = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # found fast, in C


def _visible(text: str) -> str:
    return text.translate(_INVISIBLE)


# -- .xls (BIFF, Excel 97-2003), .ods (OpenDocument) and .docx tables ---------------------------
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: .xls (or .doc)
_ZIP = b"PK\x03\x04"
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
        if n > MAX_CELLS:
            raise ReformctlError("import-too-many-cells", file=file, limit=MAX_CELLS)
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

    from lxml import etree

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


# Each XML part of a Word document: python-docx parses it whole into one tree, about ten times
# its size in memory, so 32 MiB keeps that tree under half a gigabyte. A table of 300 points in
# 6 columns is 0.2 MB of document.xml as python-docx writes it (Word's markup, a few times that).
MAX_DOCUMENT_XML = 32 * MiB


def _docx_rows(
    table: Any, file: str, name: str
) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
    """A Word table as rows on its grid: a cell spanning columns (gridSpan) or continued down
    (vMerge) is one merged range, its text in the top-left cell alone; paragraphs joined by
    line breaks; rows repeated as headers on each page are rows like any other."""
    from docx.text.paragraph import Paragraph

    rows: list[list[Any]] = []
    ranges: list[list[int]] = []
    above: dict[int, int] = {}  # column → index in ranges of the vertical merge open there
    for r, tr in enumerate(table._tbl.tr_lst):
        values: list[Any] = []
        column = tr.grid_before
        still_open: dict[int, int] = {}
        for tc in tr.tc_lst:
            span = max(tc.grid_span, 1)
            if column + span > MAX_COLUMNS:
                raise ReformctlError(
                    "import-too-many-columns",
                    file=file,
                    sheet=name,
                    row=r + 1,
                    n=column + span,
                    limit=MAX_COLUMNS,
                )
            merge = tc.vMerge
            if merge == "continue" and column in above:
                index = above[column]
                ranges[index][2] = r
                still_open[column] = index
                values.extend([None] * (column + span - len(values)))
            else:
                text = "\n".join(Paragraph(p, table).text for p in tc.p_lst)
                values.extend([None] * (column - len(values)))
                values.append(text)
                values.extend([None] * (span - 1))
                if span > 1 or merge == "restart":
                    ranges.append([r, column, r, column + span - 1])
                    if merge == "restart":
                        still_open[column] = len(ranges) - 1
            column += span
        above = still_open
        rows.append(values)
    merged = [(t, lft, b, rgt) for t, lft, b, rgt in ranges if (t, lft) != (b, rgt)]
    return rows, merged


def read_docx(path: Path, data: bytes) -> list[Sheet]:
    """Every table of a Word document (the year's 工作要点 and its 分工方案), in order, as a
    sheet named 表1, 表2...: a table continued across pages is one table; two tables stay two."""
    import zipfile

    file = str(path)
    _check_zip(data, file, "import-not-docx")
    budget = _Budget(file)
    sheets: list[Sheet] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in archive.infolist():
                if part.filename.startswith("word/") and part.filename.endswith(".xml"):
                    if part.file_size > MAX_DOCUMENT_XML:
                        raise ReformctlError(
                            "import-unpacked-too-big",
                            file=file,
                            size=_size(part.file_size),
                            limit=_size(MAX_DOCUMENT_XML),
                        )
                    head = archive.open(part).read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ReformctlError("import-xml-entities", file=file)
        import docx

        document = docx.Document(io.BytesIO(data))
        for number, table in enumerate(document.tables, 1):
            name = f"表{number}"
            rows, merged = _docx_rows(table, file, name)
            sheets.append(Sheet(name, budget.take(rows, name), merged=merged, kind="docx"))
    except ReformctlError:
        raise
    except Exception as exc:
        raise _unreadable(exc, file, "import-not-docx") from None
    if not sheets:
        raise ReformctlError("import-no-tables", file=file)
    return sheets


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
