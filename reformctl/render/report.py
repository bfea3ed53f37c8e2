"""Reports to the terminal (rich), Markdown, CSV, JSON, HTML (print-ready) or Excel (openpyxl).
``--out FILE`` chooses by extension."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reformctl.errors import ReformctlError
from reformctl.render.escape import safe_line, visible
from reformctl.reports import Report

if TYPE_CHECKING:
    from reformctl.render.document import Document

OUT_FORMATS = {
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".json": "json",
    ".docx": "docx",
}


def format_for(path: Path) -> str:
    fmt = OUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReformctlError("r-bad-out", ext=path.suffix or path.name)
    return fmt


RICH_ROWS = 2000  # beyond this, rich's layout takes seconds: large sections print as plain text


def write_terminal(report: Report, stream: IO[str]) -> None:
    """Rich tables with warning lights on a terminal; plain text when piped (as `list` does)."""
    from reformctl.render.text import write_text

    if not stream.isatty():
        stream.write(f"{safe_line(report.title)}\n{safe_line(report.subtitle)}\n")
        for section in report.sections:
            stream.write("\n")
            write_text(section.table, "plain", stream)
        return
    from reformctl.render.console import make_console
    from reformctl.render.terminal import print_table

    console = make_console(stream)
    console.print(report.title, style="bold", markup=False)
    console.print(report.subtitle, style="dim", markup=False)
    for section in report.sections:
        console.print()
        if len(section.table.rows) > RICH_ROWS:
            write_text(section.table, "plain", stream)
        else:
            print_table(section.table, stream)


def markdown(report: Report) -> str:
    from reformctl.render.text import write_text

    out = io.StringIO()
    out.write(f"# {visible(report.title)}\n\n{safe_line(report.subtitle)}\n")
    for section in report.sections:
        out.write("\n")
        write_text(section.table, "markdown", out)
    return out.getvalue()


def csv_text(report: Report) -> str:
    """Every section in turn; text that could start a formula is neutralised (as in every CSV)."""
    from reformctl.render.text import write_csv
    from reformctl.spreadsheets import csv_cell, csv_line

    out = io.StringIO()
    out.write(csv_line([csv_cell(report.title)]))
    out.write(csv_line([csv_cell(report.subtitle)]))
    for section in report.sections:
        out.write("\n")
        out.write(csv_line([csv_cell(section.title)]))
        write_csv(section.table, out)
    return out.getvalue()


def document_of(report: Report, lang: str) -> Document:
    """The report as a document (公文): title, period, then each section as a heading, the
    paragraphs written from its figures, its table and the identity the table obeys."""
    import datetime as dt

    from reformctl.i18n import date_text
    from reformctl.render import percent
    from reformctl.render.document import Document

    def cell(value: object, bar: bool) -> str:
        if value is None:
            return ""
        if bar:
            return percent(value)
        if isinstance(value, dt.date):
            return date_text(value, lang)
        return str(value)

    doc = Document([])
    doc.add("title", report.title)
    doc.add("subtitle", report.subtitle)
    for section in report.sections:
        doc.add("heading1", section.title)
        for paragraph in section.narrative:
            doc.add("para", paragraph)
        table = section.table
        if table.rows:
            bars = [c.bar for c in table.columns]
            doc.add(
                "table",
                headers=[c.header for c in table.columns],
                rows=[[cell(v, b) for v, b in zip(row, bars, strict=True)] for row in table.rows],
            )
        for note in table.notes:
            doc.add("note", note)
    if report.office:
        doc.add("signature", report.office)
        doc.add("date", date_text(report.written or report.as_of, lang))
    return doc


def save(report: Report, path: Path, lang: str, overwrite: bool = False) -> None:
    """Write the report to ``path`` in the format its extension names (atomically); an existing
    file is replaced only when ``overwrite``."""
    from reformctl.ledger.write import create_file, replace_file

    write = replace_file if overwrite else create_file

    fmt = format_for(path)
    if fmt == "docx":
        from reformctl.render.document import docx_bytes

        write(path, docx_bytes(document_of(report, lang), title=report.title))
        return
    if fmt == "xlsx":
        from reformctl.render.xlsx import workbook_bytes

        write(path, workbook_bytes(report, lang))
        return
    if fmt == "html":
        from reformctl.render.html import page

        text = page(report, lang)
    elif fmt == "markdown":
        text = markdown(report)
    elif fmt == "csv":
        write(path, csv_text(report).encode("utf-8-sig"))  # a BOM: Excel on Windows reads UTF-8
        return
    else:
        from reformctl.render.json import dumps

        text = dumps(report.to_json()) + "\n"
    write(path, text.encode("utf-8"))
