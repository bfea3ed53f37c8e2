"""The tables of a .docx given to ``import`` (the year's 工作要点 and 分工方案), through
python-docx: one sheet a table, merged cells in their top-left cell."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.spreadsheets.limits import MAX_COLUMNS, MiB, _Budget, _check_zip, _size, _unreadable
from reformctl.spreadsheets.sheet import Sheet

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
