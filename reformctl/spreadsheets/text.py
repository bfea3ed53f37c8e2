"""CSV files given to ``import``: UTF-8 (with or without BOM), GBK or GB18030, cut by the csv
module alone, neutralised cells restored."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.spreadsheets.formulas import restore_csv_cell
from reformctl.spreadsheets.limits import _Budget, _one_line, _read_bytes


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
